"""A unit's shared agreements in one Cypher statement: what ``gather_shared`` reads.

Registered in the one statement registry (:func:`graph.neo4j.statements.native_statement`);
:mod:`graph.queries.agreements.neo4j` runs it.
"""

from __future__ import annotations

from graph.neo4j.statements import ENTITY, in_force, native_row, native_statement, union_all

_OWN = f"""
    MATCH (:{ENTITY} {{id: $unit_id}})-[r:PARTY_TO]->(a:{ENTITY})
    WHERE {in_force("r")}
    """
_PARTIES = f"""
    {_OWN}
    AND {in_force("a")}
    MATCH (a)<-[r2:PARTY_TO]-(x:{ENTITY})
    WHERE {in_force("r2")}
    """
_THEIRS = f"""
    {_PARTIES}
    WITH DISTINCT x
    MATCH (x)-[r3:PARTY_TO]->(b:{ENTITY})
    WHERE {in_force("r3")}
    """

SHARED = native_statement(
    "native.shared_agreements",
    union_all(
        f"""
        MATCH (n:{ENTITY} {{id: $unit_id}})
        {native_row("node", "n.id", None, "n")}
        """,
        f"""
        {_OWN}
        {native_row("own", "$unit_id", "r", "a")}
        """,
        f"""
        {_PARTIES}
        {native_row("parties", "a.id", "r2", "x")}
        """,
        f"""
        {_THEIRS}
        {native_row("theirs", "x.id", "r3", "b")}
        """,
        f"""
        {_THEIRS}
        AND {in_force("b")}
        WITH DISTINCT b
        MATCH (b)<-[r4:PARTY_TO]-(y:{ENTITY})
        WHERE {in_force("r4")}
        {native_row("second", "b.id", "r4", "y")}
        """,
    ),
    {"unit_id": "unit:12410000MB0000000U", "as_of": "2024-01-01"},
    "Shared agreements of a unit: its agreements in force, their parties, those parties' "
    "agreements and the parties to those; what graph.queries.agreements.gather_shared reads.",
)
"""``native.shared_agreements``: rows ``node``, ``own``, ``parties``, ``theirs``, ``second``."""
