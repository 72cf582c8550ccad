"""Domain queries: plain functions over the store contract, store first.

Each flagship query first asks the store for a native version (``store.native_query(name)``),
so the Neo4j store can answer in one Cypher round trip; otherwise it runs on the primitives.
"""
