"""Open the store the settings ask for."""

from __future__ import annotations

from graph.contract import GraphStore
from graph.settings import Settings


def open_store(settings: Settings) -> GraphStore:
    """The configured store; the Neo4j driver is imported only when it is asked for."""
    if settings.store == "neo4j":
        from graph.neo4j import Neo4jStore

        return Neo4jStore.from_settings(settings)
    from graph.memory import MemoryStore

    return MemoryStore(settings.store_path)
