"""Native versions of the flagship domain queries: each answers in one Cypher round trip.

A domain query in :mod:`graph.queries` first asks ``store.native_query(name)``; on Neo4j that
returns the function registered here under ``name``, bound to the store. The functions live in
:mod:`graph.neo4j.flagship`; their Cypher lives with every other statement in
:mod:`graph.neo4j.statements` (the ``native.*`` statements, linted with the rest), and they run
it with :meth:`Neo4jStore.read`::

    @native("coverage")
    def coverage(store: Neo4jStore, building_id: str, as_of: date | None = None) -> Coverage:
        records = store.read("native.coverage", building_id=building_id, as_of=iso(day))
        return assemble_coverage(building_id, coverage_material(records, building_id), day)

Its answer must equal the contract-based query's answer on the same graph: it decodes the rows
into the records the contract calls return and reuses the query module's own assembly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

NativeQuery = Callable[..., Any]
"""A native query: called with the store first, then the domain query's own arguments."""

NATIVE_QUERIES: dict[str, NativeQuery] = {}

F = TypeVar("F", bound=NativeQuery)


def native(name: str) -> Callable[[F], F]:
    """Register ``function`` as the Neo4j store's answer to ``native_query(name)``."""

    def register(function: F) -> F:
        if name in NATIVE_QUERIES:
            raise ValueError(f"native query {name!r} registered twice")
        NATIVE_QUERIES[name] = function
        return function

    return register
