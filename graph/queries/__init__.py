"""Domain queries: plain functions over the store contract, store first.

Each flagship query has a folder of its own (``coverage/``, ``agreements/``, ``chain/``,
``gaps/``, ``analytics/``; ``grid_links/`` holds what chain and gaps share) with its answer,
its query over the contract, its Cypher and its Neo4j version side by side. The Neo4j version is
registered on the query function itself (:mod:`graph.queries.dispatch`) and runs when the store's
``backend`` is ``"neo4j"``; on any other store the query runs on the contract's primitives.
:mod:`graph.queries.flagship` imports every folder, so every native version and statement is
registered.
"""
