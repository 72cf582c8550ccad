"""The district's analytics on Neo4j: one registered statement each, the same assembly.

Pairing load, building-leader coverage and agreements by topic and year are aggregated by
Neo4j itself (``native.pairing_load``, ``native.building_leader_coverage``,
``native.agreements_by_topic_and_year``) and decoded into the records
:mod:`graph.analytics` assembles; the co-construction network is fetched in one round trip
(``native.co_construction``) and analysed by networkx as on every store.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from graph.analytics import (
    CoConstruction,
    CommunityLeaders,
    DepartmentLoad,
    LeaderMaterial,
    NetworkMaterial,
    PairingMaterial,
    TopicYear,
    assemble_leader_coverage,
    assemble_network,
    assemble_pairing_load,
    sort_topics,
)
from graph.neo4j.flagship import Rows
from graph.neo4j.native import native
from graph.neo4j.store import decode_node, iso

if TYPE_CHECKING:
    from graph.neo4j.store import Neo4jStore

PAIRING_LOAD = "native.pairing_load"
LEADER_COVERAGE = "native.building_leader_coverage"
TOPICS = "native.agreements_by_topic_and_year"
NETWORK = "native.co_construction"


@native("pairing_load")
def pairing_load(store: Neo4jStore, as_of: date) -> list[DepartmentLoad]:
    """:func:`graph.analytics.pairing_load` in one round trip."""
    records = store.read(PAIRING_LOAD, as_of=iso(as_of))
    departments = [decode_node(r["department"]) for r in records]
    paired = {r["department"]["id"]: [decode_node(c) for c in r["communities"]] for r in records}
    return assemble_pairing_load(PairingMaterial(departments, paired))


@native("building_leader_coverage")
def building_leader_coverage(store: Neo4jStore, as_of: date) -> list[CommunityLeaders]:
    """:func:`graph.analytics.building_leader_coverage` in one round trip."""
    records = store.read(LEADER_COVERAGE, as_of=iso(as_of))
    counts = {}
    for r in records:
        community = decode_node(r["community"])
        counts[community.id] = (community, int(r["buildings"]), int(r["led"]))
    return assemble_leader_coverage(LeaderMaterial(counts))


@native("agreements_by_topic_and_year")
def agreements_by_topic_and_year(store: Neo4jStore) -> list[TopicYear]:
    """:func:`graph.analytics.agreements_by_topic_and_year`, counted by Neo4j."""
    return sort_topics(
        TopicYear(r["topic"], r["year"], int(r["agreements"])) for r in store.read(TOPICS)
    )


@native("co_construction")
def co_construction(store: Neo4jStore, as_of: date) -> CoConstruction:
    """:func:`graph.analytics.co_construction`: the network in one round trip."""
    rows = Rows(store.read(NETWORK, as_of=iso(as_of)))
    material = NetworkMaterial(
        rows.listing("agreement"), rows.hops("parties"), rows.listing("community")
    )
    return assemble_network(material, as_of)


__all__ = [
    "agreements_by_topic_and_year",
    "building_leader_coverage",
    "co_construction",
    "pairing_load",
]
