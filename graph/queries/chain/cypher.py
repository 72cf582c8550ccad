"""Responsibility chains in one Cypher statement: what ``gather_chains`` reads.

Registered in the one statement registry (:func:`graph.neo4j.statements.native_statement`);
:mod:`graph.queries.chain.neo4j` runs it.
"""

from __future__ import annotations

from graph.neo4j.statements import ENTITY, in_force, native_row, native_statement, union_all
from graph.queries.grid_links.cypher import grid_link_branches
from schema.ontology import GRID_STEPS

_UP = f":PART_OF*1..{GRID_STEPS}"
_GRIDS = f"""
    UNWIND $building_ids AS start_id
    MATCH (b:{ENTITY} {{id: start_id}})
    OPTIONAL MATCH p = (b)-[{_UP}]->(above:{ENTITY})
    WHERE all(step IN relationships(p) WHERE {in_force("step")})
    WITH collect(b) + collect(above) AS grids
    UNWIND grids AS g
    WITH DISTINCT g
    """

CHAINS = native_statement(
    "native.responsibility_chains",
    union_all(
        f"""
        UNWIND $building_ids + $event_ids AS node_id
        MATCH (n:{ENTITY} {{id: node_id}})
        {native_row("node", "node_id", None, "n")}
        """,
        f"""
        UNWIND $building_ids AS start_id
        MATCH p = (:{ENTITY} {{id: start_id}})-[{_UP}]->(:{ENTITY})
        WHERE all(step IN relationships(p) WHERE {in_force("step")})
        UNWIND relationships(p) AS r
        WITH DISTINCT start_id, r
        WITH start_id, r, endNode(r) AS above
        {native_row("up", "start_id", "r", "above")}
        """,
        *grid_link_branches(_GRIDS),
        f"""
        UNWIND $event_ids AS event_id
        MATCH (:{ENTITY} {{id: event_id}})-[r:HANDLED_BY|IN_CATEGORY]->(m:{ENTITY})
        WHERE {in_force("r")}
        {native_row("event", "event_id", "r", "m")}
        """,
        f"""
        UNWIND $building_ids AS start_id
        MATCH p = (:{ENTITY} {{id: start_id}})-[{_UP}]->(district:District)
        WHERE all(step IN relationships(p) WHERE {in_force("step")})
        WITH DISTINCT district
        MATCH (d:{ENTITY})-[r:DEPARTMENT_OF]->(district)
        WHERE {in_force("r")}
        {native_row("key_unit", "district.id", "r", "d")}
        """,
    ),
    {
        "building_ids": ["building:410611001001-007-03"],
        "event_ids": ["event_type:E01"],
        "as_of": "2024-01-01",
    },
    "Responsibility chains: the buildings and event types, every PART_OF link up to the "
    "district, the grids' posts, organisations and holders, the event types' handlers and "
    "categories, the districts' departments; what graph.queries.chain.gather_chains reads.",
)
"""``native.responsibility_chains``: rows ``node``, ``up``, the grid links' ``in``, ``post``
and ``holds``, ``event``, ``key_unit``."""
