"""Every flagship query folder, imported with its Neo4j version: their Neo4j versions and
``native.*`` statements are registered once this module is.

Why a module of its own: a query registers its Neo4j version and statement only when a Neo4j
store first asks for it (so that serving the embedded store never imports the driver), and the
store layer (:mod:`graph.neo4j`) may not import the queries, so whatever needs all of them at
once (the Cypher lint and the registry tests) imports this.
"""

from __future__ import annotations

import importlib

from graph.queries import agreements, analytics, chain, coverage, gaps
from graph.queries.dispatch import Dispatchable

FOLDERS = (agreements, analytics, chain, coverage, gaps)
"""The flagship query packages."""

for _folder in FOLDERS:  # each folder's Neo4j version, and with it its native.* statement
    importlib.import_module(f"{_folder.__name__}.neo4j")


def native_queries(backend: str = "neo4j") -> dict[str, Dispatchable[..., object]]:
    """The flagship queries with a version for ``backend``, by name."""
    found: dict[str, Dispatchable[..., object]] = {}
    for folder in FOLDERS:
        for name in folder.__all__:
            query = getattr(folder, name)
            if isinstance(query, Dispatchable) and backend in query.natives:
                found[name] = query
    return found


__all__ = ["FOLDERS", "native_queries"]
