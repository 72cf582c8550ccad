"""The district analytics in Cypher: three aggregations Neo4j does itself, and the records of
the co-construction network (which networkx analyses on every store).

Registered in the one statement registry (:func:`graph.neo4j.statements.native_statement`);
:mod:`graph.queries.analytics.neo4j` runs them.
"""

from __future__ import annotations

from graph.neo4j.statements import (
    ENTITY,
    in_force,
    native_row,
    native_statement,
    node_map,
    union_all,
)

_DAY = {"as_of": "2024-01-01"}

PAIRING_LOAD = native_statement(
    "native.pairing_load",
    f"""
    MATCH (d:Department)
    OPTIONAL MATCH (d)-[r:PAIRED_WITH]->(c:Community)
    WHERE {in_force("r")}
    WITH d, collect(DISTINCT c) AS communities
    RETURN {node_map("d")} AS department, [x IN communities | {node_map("x")}] AS communities
    ORDER BY d.id
    """,
    _DAY,
    "Every department with the communities it is paired with on the day.",
)

LEADER_COVERAGE = native_statement(
    "native.building_leader_coverage",
    f"""
    MATCH (c:Community)
    OPTIONAL MATCH (c)<-[rs:PART_OF*1..2]-(b:Building)
    WHERE all(r IN rs WHERE {in_force("r")})
    WITH c, collect(DISTINCT b) AS buildings
    RETURN {node_map("c")} AS community, size(buildings) AS buildings,
    size([b IN buildings WHERE EXISTS {{
    MATCH (b)<-[r1:POST_IN]-(p:Post)<-[h:HOLDS]-(:Person)
    WHERE p.post_type = 'building_leader' AND {in_force("r1")} AND {in_force("h")}
    }}]) AS led
    ORDER BY c.id
    """,
    _DAY,
    "Per community: its buildings on the day and those whose building leader post is held.",
)

TOPICS = native_statement(
    "native.agreements_by_topic_and_year",
    """
    MATCH (a:Agreement)
    WITH a, coalesce(a.valid_from, a.signed_on) AS start
    UNWIND CASE WHEN a.topics IS NULL OR size(a.topics) = 0 THEN [null] ELSE a.topics END
    AS topic
    WITH DISTINCT a, topic, start
    RETURN topic, CASE WHEN start IS NULL THEN null ELSE toInteger(left(start, 4)) END
    AS year, count(a) AS agreements
    """,
    {},
    "Agreements per topic and first year in force, over the whole history.",
)

NETWORK = native_statement(
    "native.co_construction",
    union_all(
        f"""
        MATCH (a:Agreement)
        WHERE {in_force("a")}
        {native_row("agreement", "a.id", None, "a")}
        """,
        f"""
        MATCH (a:Agreement)<-[r:PARTY_TO]-(x:{ENTITY})
        WHERE {in_force("a")} AND {in_force("r")}
        {native_row("parties", "a.id", "r", "x")}
        """,
        f"""
        MATCH (c:Community)
        {native_row("community", "c.id", None, "c")}
        """,
    ),
    _DAY,
    "The agreements in force on the day, their parties in force, and every community: "
    "what graph.queries.analytics.gather_network reads.",
)
