"""The district analytics on Neo4j: one registered statement each
(:mod:`graph.queries.analytics.cypher`), the same assembly as on every store."""

from __future__ import annotations

from datetime import date

from graph.neo4j.rows import Rows
from graph.neo4j.store import Neo4jStore, decode_node, iso
from graph.queries.analytics.answer import (
    CoConstruction,
    CommunityLeaders,
    DepartmentLoad,
    TopicYear,
)
from graph.queries.analytics.cypher import LEADER_COVERAGE, NETWORK, PAIRING_LOAD, TOPICS
from graph.queries.analytics.query import (
    LeaderMaterial,
    NetworkMaterial,
    PairingMaterial,
    agreements_by_topic_and_year,
    assemble_leader_coverage,
    assemble_network,
    assemble_pairing_load,
    building_leader_coverage,
    co_construction,
    pairing_load,
    sort_topics,
)
from graph.queries.chain.query import as_day


@pairing_load.native("neo4j")
def load(store: Neo4jStore, as_of: date | str | None = None) -> list[DepartmentLoad]:
    """:func:`~graph.queries.analytics.query.pairing_load` in one round trip."""
    records = store.read(PAIRING_LOAD.name, as_of=iso(as_day(as_of)))
    departments = [decode_node(r["department"]) for r in records]
    paired = {r["department"]["id"]: [decode_node(c) for c in r["communities"]] for r in records}
    return assemble_pairing_load(PairingMaterial(departments, paired))


@building_leader_coverage.native("neo4j")
def leaders(store: Neo4jStore, as_of: date | str | None = None) -> list[CommunityLeaders]:
    """:func:`~graph.queries.analytics.query.building_leader_coverage` in one round trip."""
    records = store.read(LEADER_COVERAGE.name, as_of=iso(as_day(as_of)))
    counts = {}
    for r in records:
        community = decode_node(r["community"])
        counts[community.id] = (community, int(r["buildings"]), int(r["led"]))
    return assemble_leader_coverage(LeaderMaterial(counts))


@agreements_by_topic_and_year.native("neo4j")
def topics(store: Neo4jStore) -> list[TopicYear]:
    """:func:`~graph.queries.analytics.query.agreements_by_topic_and_year`, counted by Neo4j."""
    return sort_topics(
        TopicYear(r["topic"], r["year"], int(r["agreements"])) for r in store.read(TOPICS.name)
    )


@co_construction.native("neo4j")
def network(store: Neo4jStore, as_of: date | str | None = None) -> CoConstruction:
    """:func:`~graph.queries.analytics.query.co_construction`: the network in one round trip."""
    day = as_day(as_of)
    rows = Rows(store.read(NETWORK.name, as_of=iso(day)))
    material = NetworkMaterial(
        rows.listing("agreement"), rows.hops("parties"), rows.listing("community")
    )
    return assemble_network(material, day)
