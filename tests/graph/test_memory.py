"""What the embedded store adds to the contract: files, other processes, in-memory mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import StoreUnavailable
from graph.memory import NO_LINKS, SHARED_VALUE_CHARS, MemoryStore
from graph.model import Direction, Relationship
from tests.contract import graphs as g


def test_commits_from_another_handle_are_seen_on_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    reader, writer = MemoryStore(path), MemoryStore(path)
    assert reader.get_nodes([g.DISTRICT.id]) == {}
    writer.upsert_nodes([g.DISTRICT])
    assert reader.get_nodes([g.DISTRICT.id]) == {g.DISTRICT.id: g.DISTRICT}
    writer.delete_nodes([g.DISTRICT.id])
    assert reader.counts().nodes == {}


def test_in_memory_store_keeps_nothing_on_disk(tmp_path: Path) -> None:
    store = MemoryStore(None)
    store.upsert_nodes([g.DISTRICT])
    assert store.counts().nodes == {"District": 1}
    assert list(tmp_path.iterdir()) == []


def test_unopenable_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable, match="cannot open store file"):
        MemoryStore(blocker / "store.sqlite")


def test_networkx_graph_is_available_for_analytics() -> None:
    store = MemoryStore(None)
    nodes, rels = g.district_slice()
    with store.transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    assert store.graph.number_of_nodes() == len(nodes)
    assert store.graph.number_of_edges() == len(rels)


def test_a_reopened_graph_shares_what_links_repeat_and_writes_stay_apart(tmp_path: Path) -> None:
    """Reading the file, links with the same small properties share one dict, and a link's
    ends are its nodes' own id strings; a later write to one link leaves the others as they
    were."""
    path = tmp_path / "s.sqlite"
    nodes, rels = g.district_slice()
    with MemoryStore(path).transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    again = MemoryStore(path)
    node_ids = {nid: nid for nid in again.graph.nodes}  # the graph's own id strings
    by_props: dict[str, list[Relationship]] = {}
    for rel in again.get_relationships([r.id for r in rels]).values():
        assert rel.source is node_ids[rel.source] and rel.target is node_ids[rel.target]
        by_props.setdefault(repr(sorted(rel.props.items())), []).append(rel)
    first, second = next(group for group in by_props.values() if len(group) > 1)[:2]
    assert first.props is second.props
    again.upsert_relationships(
        [Relationship(first.type, first.source, first.target, {"source_file": "改.csv"}, first.id)]
    )
    assert again.get_relationships([first.id])[first.id].props["source_file"] == "改.csv"
    assert "source_file" not in again.get_relationships([second.id])[second.id].props
    again.close()


def test_a_reopened_graph_reads_each_short_value_once_and_keeps_no_wrappers(
    tmp_path: Path,
) -> None:
    """Reading the file, equal kinds, types and short string values are one string object, and
    networkx's attribute dicts are the records' own properties: the same data, less memory."""
    path = tmp_path / "s.sqlite"
    nodes, rels = g.district_slice()
    # the day department B was paired, again in other properties: one string once read
    since = {"valid_from": g.PAIRING_B.props["valid_from"], "valid_to": "2030-12-31"}
    rels.append(Relationship("DEPARTMENT_OF", g.DEPT_B.id, g.DISTRICT.id, since))
    with MemoryStore(path).transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    again = MemoryStore(path)
    read = again.get_nodes([n.id for n in nodes])
    assert read == {n.id: n for n in nodes}
    by_kind: dict[str, str] = {}
    values: dict[object, object] = {}
    for node in read.values():
        assert by_kind.setdefault(node.kind, node.kind) is node.kind
        assert again.graph.nodes[node.id] is node.props
        for value in node.props.values():
            if isinstance(value, str) and len(value) <= SHARED_VALUE_CHARS:
                assert values.setdefault(value, value) is value
    assert any(values), "the slice has short string values"
    linked = again.get_relationships([r.id for r in rels])
    assert linked == {r.id: r for r in rels}
    dates = 0
    for rel in linked.values():
        assert again.graph[rel.source][rel.target][rel.id] is rel.props
        for value in rel.props.values():  # a link's short values are the nodes' ones too
            if isinstance(value, str) and len(value) <= SHARED_VALUE_CHARS:
                assert values.setdefault(value, value) is value
                dates += 1
    assert dates, "the slice's links have short string values"
    again.close()


def test_nodes_without_links_share_one_empty_adjacency_that_refuses_writes(
    tmp_path: Path,
) -> None:
    """A node with no links on a side has the shared empty adjacency there, reopened or
    written; its first link there gives it its own, and a write into the shared one through
    networkx fails instead of linking every such node."""
    path = tmp_path / "s.sqlite"
    nodes, rels = g.district_slice()
    with MemoryStore(path).transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    again = MemoryStore(path)
    succ, pred = again.graph._succ, again.graph._pred
    lonely = [nid for nid in succ if not succ[nid]]
    assert lonely and all(succ[nid] is NO_LINKS for nid in lonely)
    assert all(pred[nid] is NO_LINKS for nid in pred if not pred[nid])
    assert pred[g.DONGFANG.id] is NO_LINKS  # a community nothing is part of, reopened
    again.upsert_nodes([g.DEPT_C])  # a new node: the shared one on both sides
    assert succ[g.DEPT_C.id] is NO_LINKS and pred[g.DEPT_C.id] is NO_LINKS
    link = Relationship("PAIRED_WITH", g.DEPT_C.id, g.DONGFANG.id)
    again.upsert_relationships([link])
    assert succ[g.DEPT_C.id] is not NO_LINKS and pred[g.DONGFANG.id] is not NO_LINKS
    written = again.get_relationships([link.id])[link.id]
    assert again.graph[g.DEPT_C.id][g.DONGFANG.id][link.id] is written.props
    assert not NO_LINKS
    hops = again.neighbours([g.DONGFANG.id], direction=Direction.IN)[g.DONGFANG.id]
    assert [h.node.id for h in hops] == [g.DEPT_C.id]
    again.delete_relationships([link.id])
    assert again.neighbours([g.DEPT_C.id]) == {g.DEPT_C.id: []}
    with pytest.raises(TypeError, match="read-only"):
        again.graph.add_edge(g.DISTRICT.id, g.DONGFANG.id)
    assert not NO_LINKS and again.graph.number_of_edges() == len(rels)
    again.close()
