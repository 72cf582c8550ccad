"""The plans Neo4j makes for listing statements: a local question starts from an index.

``EXPLAIN`` on the real server (the statement is planned, not run): a listing with a top-level
``within`` looks its grid up by id and walks down, where the same listing without it reads
every node of the kind (a label scan), which is what makes it cost as much as the graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph.listing import AllOf, Below, Listing, PropTest
from graph.neo4j import Neo4jStore
from graph.neo4j.statements import aggregate_statement, listing_statement
from tests.conftest import Neo4jServer


@pytest.fixture
def neo4j(neo4j_server: Neo4jServer) -> Iterator[Neo4jStore]:
    store = Neo4jStore.from_settings(neo4j_server.settings())
    yield store
    store.close()


def _operators(plan: Any) -> set[str]:
    found = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", ()):
        found |= _operators(child)
    return found


def _planned(store: Neo4jStore, text: str, params: dict[str, Any]) -> set[str]:
    with store._session("READ") as session:  # EXPLAIN plans the registry's own text
        summary = session.run("EXPLAIN " + text, params).consume()  # type: ignore[arg-type]
    assert summary.plan is not None
    return _operators(summary.plan)


@pytest.mark.parametrize("statement", [listing_statement, aggregate_statement])
def test_a_listing_within_a_grid_starts_from_its_id(neo4j: Neo4jStore, statement: Any) -> None:
    named = PropTest("name", "eq", "1号楼")
    args = (None, 20) if statement is listing_statement else ((),)
    within, params = statement(Listing("Building", AllOf((named, Below("community:1")))), *args)
    anywhere, every = statement(Listing("Building", named), *args)
    local = _planned(neo4j, within.text, params)
    assert "NodeUniqueIndexSeek" in local or "NodeIndexSeek" in local, local
    assert "NodeByLabelScan" not in local, local
    assert "NodeByLabelScan" in _planned(neo4j, anywhere.text, every), "the scan it avoids"
