"""The Cypher fragments that fetch a grid's links in one statement (no statement of its own).

:func:`grid_link_branches` is :func:`~graph.queries.grid_links.query.gather_links` as three
``UNION ALL`` branches; the chain and gap statements (``graph/queries/{chain,gaps}/cypher.py``)
include them, and :mod:`graph.queries.grid_links.neo4j` decodes their rows.
"""

from __future__ import annotations

from graph.neo4j.statements import ENTITY, in_force, kinds_test, native_row
from graph.queries.grid_links.query import INCOMING_KINDS, INCOMING_TYPES


def holders_branch(linked: str) -> str:
    """Rows ``holds``: the people holding the posts in force at each ``m`` that ``linked``
    yields (or holding ``m`` itself when it is a post), as the gather steps ask for them."""
    return f"""
        {linked}
        WITH DISTINCT m
        OPTIONAL MATCH (m)<-[r2:POST_IN]-(q:Post)
        WHERE {in_force("r2")}
        WITH collect(m) + collect(q) AS candidates
        UNWIND candidates AS p
        WITH DISTINCT p
        WHERE p:Post
        MATCH (p)<-[h:HOLDS]-(person:Person)
        WHERE {in_force("h")}
        {native_row("holds", "p.id", "h", "person")}
        """


def grid_link_branches(grids: str) -> list[str]:
    """``gather_links`` as three branches, after ``grids`` has bound each grid once as ``g``.

    The incoming hops of every grid (rows ``in``); the posts of every unit so linked (``post``,
    a superset of the organisations the assembly asks about); the holders of every post among
    them (``holds``).
    """
    linked = f"""
        {grids}
        MATCH (g)<-[r:{"|".join(INCOMING_TYPES)}]-(m:{ENTITY})
        WHERE {in_force("r")} AND {kinds_test("m", INCOMING_KINDS)}
        """
    return [
        f"""
        {linked}
        {native_row("in", "g.id", "r", "m")}
        """,
        f"""
        {linked}
        WITH DISTINCT m
        MATCH (m)<-[r2:POST_IN]-(p:Post)
        WHERE {in_force("r2")}
        {native_row("post", "m.id", "r2", "p")}
        """,
        holders_branch(linked),
    ]
