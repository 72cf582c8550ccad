"""Every flagship query folder, imported: their Neo4j versions and ``native.*`` statements
are registered once this module is.

Why a module of its own: importing a query registers its Neo4j version and statement, but the
store layer (:mod:`graph.neo4j`) may not import the queries, so whatever needs all of them at
once (the Cypher lint, the registry tests, ``gridgraph neo4j`` commands) imports this.
"""

from __future__ import annotations

from graph.queries import agreements, analytics, chain, coverage, gaps
from graph.queries.dispatch import DISPATCHABLES, Dispatchable

FOLDERS = (agreements, analytics, chain, coverage, gaps)
"""The flagship query packages."""


def native_queries(backend: str = "neo4j") -> dict[str, Dispatchable[..., object]]:
    """The queries with a version for ``backend``, by their function's name."""
    return {d.generic.__name__: d for d in DISPATCHABLES if backend in d.natives}


__all__ = ["FOLDERS", "native_queries"]
