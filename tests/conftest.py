"""Fixtures shared by the whole suite: stores, parameterised over every implementation.

``store`` yields an empty store of each kind; the Neo4j one is skipped, with the reason, unless
``NEO4J_URI`` (with ``NEO4J_USER`` and ``NEO4J_PASSWORD``) points at a live Neo4j 5 server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.contract import GraphStore
from graph.memory import MemoryStore

STORE_KINDS = ["memory", "neo4j"]

NEO4J_SKIP_REASON = (
    "NEO4J_URI is not set: start Neo4j 5 (README, 'Running the suite against Neo4j') and set "
    "NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to run the store contract suite against it"
)

StoreOpener = Callable[[], GraphStore]


def _neo4j_opener() -> StoreOpener:
    if not os.environ.get("NEO4J_URI"):
        pytest.skip(NEO4J_SKIP_REASON)
    from graph.neo4j import Neo4jStore
    from graph.settings import Settings

    return lambda: Neo4jStore.from_settings(Settings())


@pytest.fixture(params=STORE_KINDS)
def store_opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreOpener]:
    """Opens a new handle on one empty backing store (a file, or a Neo4j database)."""
    if request.param == "memory":
        path = tmp_path / "contract.sqlite"
        opener: StoreOpener = lambda: MemoryStore(path)  # noqa: E731
    else:
        opener = _neo4j_opener()
    first = opener()
    first.delete_nodes([n.id for n in first.iter_nodes()])
    first.close()
    yield opener


@pytest.fixture
def store(store_opener: StoreOpener) -> Iterator[GraphStore]:
    s = store_opener()
    yield s
    s.close()
