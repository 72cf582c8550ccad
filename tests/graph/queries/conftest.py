"""The small hand-built graph in every store of the contract suite."""

from __future__ import annotations

import pytest

from graph.contract import GraphStore
from tests.small_graph import seed_small_graph


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    seed_small_graph(store)
    return store
