"""The Neo4j store: the store contract on Neo4j 5 (see ``docs/neo4j.md``).

``statements`` holds every Cypher statement gridgraph can send (the native versions of the
domain queries add theirs from their own folders, ``graph/queries/<query>/cypher.py``);
``store`` the store itself; ``rows`` decodes a native statement's rows into contract records.
The package imports the driver only when the store is first asked for (:func:`__getattr__`).
Nothing here knows a domain query: the queries register their Neo4j versions themselves
(:mod:`graph.queries.dispatch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.neo4j.store import Neo4jStore, connect


def __getattr__(name: str) -> Any:
    """The store on first use: the statements (imported by every query's ``cypher`` module)
    come without the driver."""
    if name in __all__:
        from graph.neo4j import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Neo4jStore", "connect"]
