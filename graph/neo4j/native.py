"""Native versions of the flagship domain queries: each answers in one Cypher round trip.

A domain query in :mod:`graph.queries` first asks ``store.native_query(name)``; on Neo4j that
returns the function registered here under ``name``, bound to the store. A native query keeps
its Cypher in the statement registry (:func:`graph.neo4j.statements.register_native`, so it is
linted with the rest) and runs it with :meth:`Neo4jStore.read`::

    COVERAGE = register_native("coverage", "MATCH ... RETURN ...", {"building_id": "..."})

    @native("coverage")
    def coverage(store: Neo4jStore, building_id: str) -> Coverage:
        [record] = store.read(COVERAGE, building_id=building_id)
        return Coverage(...)

Its answer must equal the contract-based query's answer on the same graph; the domain query's
tests run against both stores.
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
