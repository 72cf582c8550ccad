"""The gap report in one Cypher statement: what ``gather_gaps`` reads.

Registered in the one statement registry (:func:`graph.neo4j.statements.native_statement`);
:mod:`graph.queries.gaps.neo4j` runs it.
"""

from __future__ import annotations

from graph.neo4j.statements import ENTITY, in_force, native_row, native_statement, union_all
from graph.queries.grid_links.cypher import grid_link_branches
from schema import ONTOLOGY
from schema.responsibility import CHAIN_ORDER

_GRID_LABELS = [ONTOLOGY.grid_kind(level).name for level in CHAIN_ORDER]
_CHILD_LABELS = _GRID_LABELS[:-1]
_ALL_GRIDS = f"""
    MATCH (g:{"|".join(_GRID_LABELS)})
    """

GAPS = native_statement(
    "native.find_gaps",
    union_all(
        f"""
        {_ALL_GRIDS}
        {native_row("grid", "g.id", None, "g")}
        """,
        f"""
        MATCH (g:{"|".join(_CHILD_LABELS)})-[r:PART_OF]->(m:{ENTITY})
        WHERE {in_force("r")}
        {native_row("up", "g.id", "r", "m")}
        """,
        *grid_link_branches(_ALL_GRIDS),
        f"""
        MATCH (e:EventType)
        {native_row("event_type", "e.id", None, "e")}
        """,
        f"""
        MATCH (e:EventType)-[r:HANDLED_BY]->(m:{ENTITY})
        WHERE {in_force("r")}
        {native_row("event", "e.id", "r", "m")}
        """,
    ),
    {"as_of": "2024-01-01"},
    "The gap report: every grid, the grids' PART_OF links, their posts, organisations and "
    "holders, the event types and their handlers; what graph.queries.gaps.gather_gaps reads.",
)
"""``native.find_gaps``: rows ``grid``, ``up``, the grid links' ``in``, ``post`` and ``holds``,
``event_type``, ``event``."""
