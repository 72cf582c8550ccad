"""The Neo4j store: the store contract on Neo4j 5 (see ``docs/neo4j.md``).

``statements`` holds every Cypher statement gridgraph can send; ``store`` the store itself;
``native`` the registry of one-round-trip versions of the flagship domain queries, and
``flagship`` those versions; ``analytics`` the district analytics (:mod:`graph.analytics`).
"""

from graph.neo4j import analytics, flagship  # noqa: F401 - register the native queries
from graph.neo4j.store import Neo4jStore, connect

__all__ = ["Neo4jStore", "connect"]
