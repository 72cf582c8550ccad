"""A store tells what changed since an earlier version, with what each record was then, so that
answers kept for that version (gap reports, the search index) can be brought forward.

Two handles on one file stand for two processes: the reader's journal holds the changes it
caught up with as well as its own commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph.memory as memory
from graph.changes import ChangeJournal
from graph.memory import MemoryStore
from graph.model import Node, Relationship

Snapshot = tuple[dict[str, Node], dict[str, Relationship]]


def _snapshot(store: MemoryStore) -> Snapshot:
    return (
        {n.id: n for n in store.iter_nodes()},
        {r.id: r for r in store.iter_relationships()},
    )


def _community(n: int, population: int = 0) -> Node:
    return Node(f"community:{n}", "Community", {"name": f"社区{n}", "population": population})


def _check(store: MemoryStore, then: Snapshot, version: int) -> None:
    """changes_since(version) names every record that differs from ``then``, with its record
    then, and nothing it gives as before differs from ``then``."""
    changes = store.changes_since(version)
    assert changes is not None
    assert (changes.since, changes.until) == (version, store.version())
    now = _snapshot(store)
    for before, after, told in (
        (then[0], now[0], changes.nodes),
        (then[1], now[1], changes.relationships),
    ):
        differ = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
        assert differ <= told.keys()
        assert {i: told[i] for i in told} == {i: before.get(i) for i in told}


def test_nothing_changed_since_the_current_version() -> None:
    store = MemoryStore()
    store.upsert_nodes([_community(1)])
    version = store.version()
    assert version is not None
    changes = store.changes_since(version)
    assert changes is not None and len(changes) == 0


def test_a_version_never_seen_is_not_known() -> None:
    store = MemoryStore()
    version = store.version()
    assert version is not None
    assert store.changes_since(version + 1) is None


def test_a_unit_that_changes_nothing_makes_no_version() -> None:
    store = MemoryStore()
    store.upsert_nodes([_community(1)])
    version = store.version()
    store.upsert_nodes([_community(1)])
    assert store.version() == version


def test_deleted_records_come_with_what_they_were() -> None:
    store = MemoryStore()
    store.upsert_nodes([_community(1), _community(2)])
    link = Relationship("PART_OF", "community:1", "community:2", {"valid_from": "2024-01-01"})
    store.upsert_relationships([link])
    version = store.version()
    assert version is not None
    store.delete_nodes(["community:2"])  # its link goes with it
    changes = store.changes_since(version)
    assert changes is not None
    assert changes.nodes == {"community:2": _community(2)}
    assert changes.relationships == {link.id: link}


def test_a_reload_from_scratch_forgets_what_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "LISTED_IDS", 2)
    path = tmp_path / "s.sqlite"
    reader, writer = MemoryStore(path), MemoryStore(path)
    version = reader.version()
    assert version is not None
    writer.upsert_nodes([_community(n) for n in range(3)])  # too many to list: read whole
    assert reader.counts().nodes == {"Community": 3}
    assert reader.changes_since(version) is None
    now = reader.version()
    assert now is not None and reader.changes_since(now) is not None


def test_the_journal_drops_the_oldest_versions_beyond_its_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ChangeJournal, "KEEP_RECORDS", 3)
    store = MemoryStore()
    start = store.version()
    assert start is not None
    for n in range(4):
        store.upsert_nodes([_community(n)])
    assert store.changes_since(start) is None
    recent = store.version()
    assert recent is not None
    changes = store.changes_since(recent - 2)
    assert changes is not None and set(changes.nodes) == {"community:2", "community:3"}
    store.upsert_nodes([_community(n, 1) for n in range(5)])  # larger than the whole budget
    assert store.changes_since(recent) is None


_IDS = st.integers(min_value=0, max_value=4)
_OPS = st.lists(
    st.tuples(st.sampled_from(["node", "link", "drop", "unlink"]), _IDS, _IDS, st.booleans()),
    max_size=20,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_OPS)
def test_changes_since_any_version_name_what_differs_and_what_it_was(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, int, int, bool]]
) -> None:
    path = tmp_path_factory.mktemp("changes") / "s.sqlite"
    reader, writer = MemoryStore(path), MemoryStore(path)
    seen: dict[int, Snapshot] = {}
    for op, a, b, mine in ops:
        store = reader if mine else writer
        if op == "node":
            store.upsert_nodes([_community(a, b)])
        elif op == "drop":
            store.delete_nodes([f"community:{a}"])
        elif op == "link":
            if len(store.get_nodes([f"community:{a}", f"community:{b}"])) == len({a, b}):
                store.upsert_relationships(
                    [
                        Relationship(
                            "PART_OF",
                            f"community:{a}",
                            f"community:{b}",
                            {"valid_from": f"2024-01-0{b + 1}"},
                        )
                    ]
                )
        else:
            store.delete_relationships([f"PART_OF:community:{a}>community:{b}"])
        version = reader.version()  # the reader looks (and catches up) after every write
        assert version is not None
        seen.setdefault(version, _snapshot(reader))
    for version, then in seen.items():
        _check(reader, then, version)
