"""Another process's commits are read back record by record, not by reading the file whole.

Two handles on one file stand for two processes (``gridgraph serve`` and ``gridgraph load``):
each sees the other's commits on its next read. A commit lists the ids it wrote in the file
(``commits``), so the reader fetches only those rows; it reads the file whole when the list
cannot tell (a bulk commit, a reader too far behind, a writer that keeps no list), and either
way ends with the graph a fresh open reads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph.memory as memory
from graph.memory import MemoryStore
from graph.model import Direction, Node, Relationship


def _whole_reads(store: MemoryStore) -> list[int]:
    reads: list[int] = []
    store.after_reload.append(lambda: reads.append(1))
    return reads


def _district(n: int) -> Node:
    return Node(
        f"community:{n}", "Community", {"name": f"社区{n}", "division_code": f"41061100{n}"}
    )


def _same_graph(store: MemoryStore, path: Path) -> None:
    fresh = MemoryStore(path)
    assert list(store.iter_nodes()) == list(fresh.iter_nodes())
    assert list(store.iter_relationships()) == list(fresh.iter_relationships())
    ids = [n.id for n in fresh.iter_nodes()]
    both = Direction.BOTH
    assert store.neighbours(ids, direction=both) == fresh.neighbours(ids, direction=both)
    assert store.find("社区", limit=100) == fresh.find("社区", limit=100)
    fresh.close()


def test_a_small_commit_is_read_back_by_its_ids(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    reader, writer = MemoryStore(path), MemoryStore(path)
    reads = _whole_reads(reader)
    reader.find("社区")  # the name index exists: catching up must keep it
    writer.upsert_nodes([_district(1), _district(2)])
    writer.upsert_relationships([Relationship("PART_OF", "community:1", "community:2")])
    assert reader.get_nodes(["community:1"]) == {"community:1": _district(1)}
    assert [n.id for n in reader.find("社区1")] == ["community:1"]
    renamed = Node("community:1", "Community", {"name": "新社区", "division_code": "410611001"})
    writer.upsert_nodes([renamed])
    assert reader.find("社区1") == [] and reader.find("新社区") == [renamed]
    writer.delete_nodes(["community:2"])
    assert reader.neighbours(["community:1"]) == {"community:1": []}
    assert reads == []
    _same_graph(reader, path)


def test_a_commit_too_large_to_list_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "LISTED_IDS", 3)
    path = tmp_path / "s.sqlite"
    reader, writer = MemoryStore(path), MemoryStore(path)
    reads = _whole_reads(reader)
    writer.upsert_nodes([_district(n) for n in range(5)])
    assert len(reader.get_nodes([f"community:{n}" for n in range(5)])) == 5
    assert reads == [1]
    _same_graph(reader, path)


def test_a_reader_further_behind_than_the_kept_commits_reads_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "KEPT_COMMITS", 2)
    path = tmp_path / "s.sqlite"
    reader, writer = MemoryStore(path), MemoryStore(path)
    reads = _whole_reads(reader)
    for n in range(4):
        writer.upsert_nodes([_district(n)])
    count = sqlite3.connect(path).execute("SELECT count(*) FROM commits").fetchone()[0]
    assert count == 2
    assert reader.counts().nodes == {"Community": 4}
    assert reads == [1]
    writer.upsert_nodes([_district(9)])  # caught up again: by ids from here on
    assert reader.counts().nodes == {"Community": 5} and reads == [1]


def test_a_writer_that_lists_nothing_makes_readers_read_whole(tmp_path: Path) -> None:
    """A file changed outside gridgraph (or by a version without the list) is never missed."""
    path = tmp_path / "s.sqlite"
    reader = MemoryStore(path)
    reads = _whole_reads(reader)
    other = sqlite3.connect(path)
    other.execute("INSERT INTO nodes VALUES ('community:7', 'Community', '{\"name\": \"七\"}')")
    other.commit()
    assert reader.get_nodes(["community:7"])["community:7"].props == {"name": "七"}
    assert reads == [1]


_IDS = st.integers(min_value=0, max_value=5)
_OPS = st.lists(
    st.tuples(st.sampled_from(["node", "link", "drop", "unlink"]), _IDS, _IDS, st.booleans()),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_OPS)
def test_after_any_writes_from_both_sides_each_holds_what_a_fresh_open_reads(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, int, int, bool]]
) -> None:
    path = tmp_path_factory.mktemp("catch") / "s.sqlite"
    stores = MemoryStore(path), MemoryStore(path)
    for op, a, b, first in ops:
        store = stores[0 if first else 1]
        if op == "node":
            store.upsert_nodes(
                [Node(f"community:{a}", "Community", {"name": f"社区{a}", "population": b})]
            )
        elif op == "drop":
            store.delete_nodes([f"community:{a}"])
        elif op == "link":
            ends = store.get_nodes([f"community:{a}", f"community:{b}"])
            if len(ends) == 2 or (a == b and ends):
                rel = Relationship(
                    "PART_OF",
                    f"community:{a}",
                    f"community:{b}",
                    {"valid_from": f"2024-01-0{b + 1}"},
                )
                store.upsert_relationships([rel])
        else:
            store.delete_relationships([f"PART_OF:community:{a}>community:{b}"])
        stores[0].counts()  # the other side looks in between, sometimes
    for store in stores:
        _same_graph(store, path)
