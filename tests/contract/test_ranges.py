"""Range questions on ordered properties (``nodes_in_range``), the same on every store, and
the embedded store's index equal to a scan after any writes."""

from __future__ import annotations

from random import Random

import pytest

from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import Node, new_node
from loaders.reference import seed_reference_graph

ENDS = {"A1": "2024-03-01", "A2": "2024-02-01", "A3": "2024-02-01", "A4": "2025-01-01",
        "A5": None, "A6": "2023-12-31"}  # fmt: skip


def _agreements(store: GraphStore) -> None:
    store.upsert_nodes(
        [new_node("Agreement", code=c, **({"valid_to": e} if e else {})) for c, e in ENDS.items()]
    )


def _ids(nodes: list[Node]) -> list[str]:
    return [n.id.split(":")[1] for n in nodes]


def test_a_range_comes_in_value_then_id_order(store: GraphStore) -> None:
    _agreements(store)
    assert _ids(store.nodes_in_range("Agreement", "valid_to", "2024-01-01", "2024-12-31")) == [
        "A2", "A3", "A1"]  # fmt: skip
    both_ends = store.nodes_in_range("Agreement", "valid_to", "2024-02-01", "2024-03-01")
    assert _ids(both_ends) == ["A2", "A3", "A1"]  # both ends included
    everything = store.nodes_in_range("Agreement", "valid_to", "0000", "9999")
    assert _ids(everything) == ["A6", "A2", "A3", "A1", "A4"]  # open-ended A5 left out


def test_a_range_pages_by_keyset(store: GraphStore) -> None:
    _agreements(store)
    pages, after = [], None
    while True:
        page = store.nodes_in_range("Agreement", "valid_to", "0000", "9999", after, limit=2)
        pages.append(_ids(page))
        if len(page) < 2:
            break
        after = (page[-1].props["valid_to"], page[-1].id)
    assert pages == [["A6", "A2"], ["A3", "A1"], ["A4"]]


def test_a_write_moves_a_node_in_the_order(store: GraphStore) -> None:
    _agreements(store)
    store.upsert_nodes([Node("agreement:A4", "Agreement", {"valid_to": "2024-01-15"})])
    store.delete_nodes(["agreement:A2"])
    assert _ids(store.nodes_in_range("Agreement", "valid_to", "2024-01-01", "2024-12-31")) == [
        "A4", "A3", "A1"]  # fmt: skip


def test_only_ordered_properties_answer_ranges(store: GraphStore) -> None:
    with pytest.raises(ValueError, match=r"Agreement\.name is not kept in value order"):
        store.nodes_in_range("Agreement", "name", "a", "z")


def test_the_index_equals_a_scan_after_random_writes_on_the_reference_graph() -> None:
    store = MemoryStore()
    seed_reference_graph(store, scale=2)
    rng = Random(3)
    agreements = list(store.nodes_of_kind("Agreement"))
    days = [
        f"20{y:02d}-{m:02d}-{d:02d}" for y in range(20, 40) for m in (1, 6, 12) for d in (1, 28)
    ]
    for _ in range(5):  # moved, cleared, removed, added
        store.upsert_nodes(
            Node(a.id, "Agreement", {"valid_to": rng.choice([*days, None])})
            for a in rng.sample(agreements, 200)
        )
        store.delete_nodes(a.id for a in rng.sample(agreements, 20))
        store.upsert_nodes(
            new_node("Agreement", code=f"R{rng.randrange(10**6)}", valid_to=rng.choice(days))
            for _ in range(20)
        )
        for low, high in [("2020-01-01", "2039-12-31"), ("2026-01-01", "2026-12-31")]:
            indexed = store.nodes_in_range("Agreement", "valid_to", low, high)
            scanned = GraphStore.nodes_in_range(store, "Agreement", "valid_to", low, high)
            assert [n.id for n in indexed] == [n.id for n in scanned]
            assert indexed
