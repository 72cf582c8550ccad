"""Responsibility chains (who answers for an event at a building), in one folder.

``answer`` the answer's dataclasses; ``query`` the query over the store contract (gather, then
a pure assembly); ``cypher`` its one Neo4j statement; ``neo4j`` its Neo4j version, registered
on :func:`responsibility_chains` itself (:mod:`graph.queries.dispatch`).
"""

from graph.queries.chain.answer import (
    Accountability,
    ChainLevel,
    Handler,
    Meeting,
    ResponsibilityChain,
    RoutingStep,
    Stage,
    to_jsonable,
)
from graph.queries.chain.query import (
    ChainMaterial,
    EventFacts,
    as_day,
    assemble_chains,
    districts_reached,
    event_facts,
    gather_chains,
    responsibility_chain,
    responsibility_chains,
)

# the Neo4j versions register themselves when a Neo4j store first asks (no driver otherwise)
responsibility_chains.natives_in("neo4j", "graph.queries.chain.neo4j")

__all__ = [
    "Accountability",
    "ChainLevel",
    "ChainMaterial",
    "EventFacts",
    "Handler",
    "Meeting",
    "ResponsibilityChain",
    "RoutingStep",
    "Stage",
    "as_day",
    "assemble_chains",
    "districts_reached",
    "event_facts",
    "gather_chains",
    "responsibility_chain",
    "responsibility_chains",
    "to_jsonable",
]
