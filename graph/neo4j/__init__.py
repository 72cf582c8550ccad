"""The Neo4j store: the store contract on Neo4j 5 (see ``docs/neo4j.md``).

``statements`` holds every Cypher statement gridgraph can send (the native versions of the
domain queries add theirs from their own folders, ``graph/queries/<query>/cypher.py``);
``store`` the store itself; ``rows`` decodes a native statement's rows into contract records.
Nothing here knows a domain query: the queries register their Neo4j versions themselves
(:mod:`graph.queries.dispatch`).
"""

from graph.neo4j.store import Neo4jStore, connect

__all__ = ["Neo4jStore", "connect"]
