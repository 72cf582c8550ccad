"""Answers derived per store version (api.state.VersionedCache): kept until the data changes,
and computed once even when several requests ask for one at the same time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.state import VersionedCache
from graph.changes import ChangeJournal, Changes
from graph.memory import MemoryStore
from graph.model import Node, new_node


def test_an_answer_is_kept_until_the_store_changes() -> None:
    store = MemoryStore(None)
    cache = VersionedCache(store)
    calls: list[int] = []
    assert cache.get_or_compute("k", lambda: calls.append(1) or len(calls)) == 1
    assert cache.get_or_compute("k", lambda: calls.append(1) or len(calls)) == 1
    store.upsert_nodes([new_node("Community", division_code="1", name="甲")])
    assert cache.get_or_compute("k", lambda: calls.append(1) or len(calls)) == 2


def test_requests_asking_at_once_share_one_computation() -> None:
    cache = VersionedCache(MemoryStore(None))
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow() -> str:
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(10)
        return "report"

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(cache.get_or_compute, "gaps", slow)
        started.wait(10)
        others = [pool.submit(cache.get_or_compute, "gaps", slow) for _ in range(3)]
        release.set()
        answers = [first.result(10)] + [f.result(10) for f in others]
    assert answers == ["report"] * 4
    assert len(calls) == 1


def test_when_the_computation_fails_a_waiting_request_computes_it() -> None:
    cache = VersionedCache(MemoryStore(None))
    started, release = threading.Event(), threading.Event()

    def failing() -> str:
        started.set()
        release.wait(10)
        raise RuntimeError("stopped at its time limit")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.get_or_compute, "gaps", failing)
        started.wait(10)
        second = pool.submit(cache.get_or_compute, "gaps", lambda: "report")
        release.set()
        with pytest.raises(RuntimeError):
            first.result(10)
        assert second.result(10) == "report"


def test_a_computation_may_ask_for_its_own_key() -> None:
    cache = VersionedCache(MemoryStore(None))
    inner = lambda: cache.get_or_compute("k", lambda: "inner")  # noqa: E731
    assert cache.get_or_compute("k", inner) == "inner"


def _names(store: MemoryStore) -> frozenset[str]:
    return frozenset(n.props["name"] for n in store.iter_nodes())


def _carry_names(store: MemoryStore) -> Callable[[frozenset[str], Changes], frozenset[str]]:
    """Brings a set of names forward by the changed nodes, read as they are now."""

    def carry(earlier: frozenset[str], changes: Changes) -> frozenset[str]:
        names = set(earlier) - {n.props["name"] for n in changes.nodes.values() if n}
        now = store.get_nodes(changes.nodes)
        return frozenset(names | {n.props["name"] for n in now.values()})

    return carry


def test_an_answer_is_carried_forward_by_what_changed() -> None:
    store = MemoryStore(None)
    cache = VersionedCache(store)
    carry = _carry_names(store)
    first = new_node("Community", division_code="1", name="甲")
    store.upsert_nodes([first, new_node("Community", division_code="2", name="乙")])
    assert cache.get_or_compute("names", lambda: _names(store), carry) == {"甲", "乙"}
    store.upsert_nodes([new_node("Community", division_code="3", name="丙")])
    store.upsert_nodes(
        [Node(first.id, first.kind, {**first.props, "name": "丁"})]
    )  # two versions on: one step
    assert cache.get_or_compute("names", lambda: _names(store), carry) == {"乙", "丙", "丁"}
    store.delete_nodes([first.id])
    assert cache.get_or_compute("names", lambda: _names(store), carry) == {"乙", "丙"}
    assert cache.carries == {"computed": 1, "carried": 2}


def test_an_answer_is_computed_when_the_store_cannot_tell_what_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ChangeJournal, "KEEP_RECORDS", 1)
    store = MemoryStore(None)
    cache = VersionedCache(store)
    carry = _carry_names(store)
    assert cache.get_or_compute("names", lambda: _names(store), carry) == frozenset()
    store.upsert_nodes([new_node("Community", division_code=str(n), name=str(n)) for n in (1, 2)])
    assert cache.get_or_compute("names", lambda: _names(store), carry) == {"1", "2"}
    assert cache.carries == {"computed": 2}
