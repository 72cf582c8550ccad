"""The coverage of a building in one Cypher statement: what ``gather_coverage`` reads.

Registered in the one statement registry (:func:`graph.neo4j.statements.native_statement`),
so it is linted with every other statement; :mod:`graph.queries.coverage.neo4j` runs it.
"""

from __future__ import annotations

from graph.neo4j.statements import ENTITY, in_force, native_row, native_statement, union_all
from graph.queries.coverage.query import LINKS_TO_GRID
from graph.queries.grid_links.cypher import holders_branch
from schema.ontology import GRID_STEPS

_UP = f":PART_OF*1..{GRID_STEPS}"
_LINKED = f"""
    MATCH (b:{ENTITY} {{id: $building_id}})
    OPTIONAL MATCH p = (b)-[{_UP}]->(above:{ENTITY})
    WHERE all(step IN relationships(p) WHERE {in_force("step")})
    WITH collect(b) + collect(above) AS grids
    UNWIND grids AS g
    WITH DISTINCT g
    MATCH (g)-[r:{"|".join(LINKS_TO_GRID)}]-(m:{ENTITY})
    WHERE {in_force("r")}
    """

COVERAGE = native_statement(
    "native.coverage",
    union_all(
        f"""
        MATCH (n:{ENTITY} {{id: $building_id}})
        {native_row("node", "n.id", None, "n")}
        """,
        f"""
        MATCH p = (:{ENTITY} {{id: $building_id}})-[{_UP}]->(:{ENTITY})
        WHERE all(step IN relationships(p) WHERE {in_force("step")})
        UNWIND relationships(p) AS r
        WITH DISTINCT r
        WITH r, endNode(r) AS above
        {native_row("up", "$building_id", "r", "above")}
        """,
        f"""
        {_LINKED}
        {native_row("linked", "g.id", "r", "m")}
        """,
        f"""
        {_LINKED}
        AND ((type(r) <> 'PARTY_TO' AND NOT m:Post)
        OR (type(r) = 'PARTY_TO' AND {in_force("m")}))
        WITH DISTINCT m
        MATCH (m)<-[r2:POST_IN|PARTY_TO]-(x:{ENTITY})
        WHERE {in_force("r2")}
        {native_row("second", "m.id", "r2", "x")}
        """,
        holders_branch(_LINKED),
    ),
    {"building_id": "building:410611001001-007-03", "as_of": "2024-01-01"},
    "Coverage of a building: the building, its PART_OF links up, every link of its grids "
    "either way, the posts and parties of the linked units and agreements, the posts' "
    "holders; what graph.queries.coverage.gather_coverage reads.",
)
"""``native.coverage``: rows ``node``, ``up``, ``linked``, ``second``, ``holds``."""
