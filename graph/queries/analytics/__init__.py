"""The district's analytics (pairing load, building-leader coverage, agreements by topic and
year, the co-construction network), in one folder.

``answer`` the answers' dataclasses; ``query`` the queries over the store contract (gather,
then a pure assembly); ``cypher`` their Neo4j statements; ``neo4j`` their Neo4j versions,
registered on each query itself (:mod:`graph.queries.dispatch`).
"""

from graph.queries.analytics.answer import (
    CoConstruction,
    CommunityLeaders,
    DepartmentLoad,
    NetworkComponent,
    PartnerReach,
    TopicYear,
)
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
    count_topics,
    gather_leader_coverage,
    gather_network,
    gather_pairing_load,
    pairing_load,
    sort_topics,
)

# the Neo4j versions register themselves when a Neo4j store first asks (no driver otherwise)
pairing_load.natives_in("neo4j", "graph.queries.analytics.neo4j")
building_leader_coverage.natives_in("neo4j", "graph.queries.analytics.neo4j")
agreements_by_topic_and_year.natives_in("neo4j", "graph.queries.analytics.neo4j")
co_construction.natives_in("neo4j", "graph.queries.analytics.neo4j")

__all__ = [
    "CoConstruction",
    "CommunityLeaders",
    "DepartmentLoad",
    "LeaderMaterial",
    "NetworkComponent",
    "NetworkMaterial",
    "PairingMaterial",
    "PartnerReach",
    "TopicYear",
    "agreements_by_topic_and_year",
    "assemble_leader_coverage",
    "assemble_network",
    "assemble_pairing_load",
    "building_leader_coverage",
    "co_construction",
    "count_topics",
    "gather_leader_coverage",
    "gather_network",
    "gather_pairing_load",
    "pairing_load",
    "sort_topics",
]
