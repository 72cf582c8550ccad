"""The response cache answers repeats without GraphQL, and forgets everything on a write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from api.app import create_app
from graph.memory import MemoryStore
from graph.settings import Settings
from tests import small_graph as g
from tests.api.serving import in_process
from tests.api.test_store_calls import CountingStore
from tests.small_graph import seed_small_graph

QUERY = {"query": "query($id: ID!) { node(id: $id) { name } }", "variables": {"id": g.B3.id}}


@pytest.fixture
def setup() -> Iterator[tuple[MemoryStore, CountingStore, httpx.Client]]:
    store = MemoryStore()
    seed_small_graph(store)
    proxy = CountingStore(store)
    settings = Settings(admin_token="other")  # a second known caller beside anonymous
    with in_process(create_app(proxy, settings)) as client:  # type: ignore[arg-type]
        yield store, proxy, client
    store.close()


def test_a_repeat_is_served_from_the_cache(
    setup: tuple[MemoryStore, CountingStore, httpx.Client],
) -> None:
    _, proxy, client = setup
    first = client.post("/graphql", json=QUERY)
    proxy.calls.clear()
    second = client.post("/graphql", json=QUERY)
    assert second.content == first.content
    assert second.json() == {"data": {"node": {"name": "淇园3号楼"}}}
    assert dict(proxy.calls) == {"version": 1}


def test_a_write_invalidates(setup: tuple[MemoryStore, CountingStore, httpx.Client]) -> None:
    store, _, client = setup
    client.post("/graphql", json=QUERY)
    store.upsert_nodes([g.B3.__class__(g.B3.id, "Building", {"name": "新3号楼"})])
    assert client.post("/graphql", json=QUERY).json() == {"data": {"node": {"name": "新3号楼"}}}


def test_errors_and_other_callers_are_not_shared(
    setup: tuple[MemoryStore, CountingStore, httpx.Client],
) -> None:
    _, proxy, client = setup
    bad = {"query": '{ coverage(building: "building:nope") { asOf } }'}
    client.post("/graphql", json=bad)
    proxy.calls.clear()
    assert client.post("/graphql", json=bad).json()["errors"]
    assert proxy.calls["get_nodes"] == 1  # ran again: errors are never cached
    client.post("/graphql", json=QUERY)
    proxy.calls.clear()
    other = client.post("/graphql", json=QUERY, headers={"Authorization": "Bearer other"})
    assert other.json() == {"data": {"node": {"name": "淇园3号楼"}}}
    assert proxy.calls["get_nodes"] == 1  # another caller's key: executed, not shared


def test_a_new_day_where_the_place_is_is_a_new_answer(
    setup: tuple[MemoryStore, CountingStore, httpx.Client],
) -> None:
    """At 16:00 UTC Shanghai's day turns while the server's (UTC) day goes on: an answer
    cached for the old day (asOf defaults to today) must not be served on the new one."""
    import time_machine

    _, _, client = setup
    ask = {
        "query": "query($b: ID!) { coverage(building: $b) { asOf } }",
        "variables": {"b": g.B3.id},
    }
    with time_machine.travel(datetime(2024, 12, 31, 15, 59, tzinfo=UTC), tick=False):
        before = client.post("/graphql", json=ask).json()
    with time_machine.travel(datetime(2024, 12, 31, 16, 1, tzinfo=UTC), tick=False):
        after = client.post("/graphql", json=ask).json()
    assert before == {"data": {"coverage": {"asOf": "2024-12-31"}}}
    assert after == {"data": {"coverage": {"asOf": "2025-01-01"}}}
