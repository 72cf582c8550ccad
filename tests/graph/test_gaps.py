"""The gaps report: exact on the hand-built district, and equal to the union of chain gaps."""

from __future__ import annotations

import csv
import doctest
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graph.queries.chain.query
import graph.queries.gaps.query
from graph.contract import READ_METHODS, GraphStore
from graph.memory import MemoryStore
from graph.queries.chain import responsibility_chain, responsibility_chains
from graph.queries.gaps import CSV_COLUMNS, find_gaps
from tests.api.test_store_calls import CountingStore
from tests.chain_graph import Built, build_small_district, build_synthetic_district


@pytest.fixture
def district(store: GraphStore) -> Built:
    return build_small_district(store)


def keys(report: Any, name: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(r.gap.level, r.gap.what.value, name[r.node.id]) for r in report.rows]


def names(b: Built) -> dict[str, str]:
    return {n.id: k for k, n in b.nodes.items()}


def test_exact_gaps_of_the_small_district(store: GraphStore, district: Built) -> None:
    report = find_gaps(store, "2024-06-01")
    assert keys(report, names(district)) == [
        ("building", "no_person_in_charge", "b2"),
        ("building", "no_party_organization", "b2"),
        ("compound", "no_party_organization", "k2"),
        ("compound", "no_property_manager", "k3"),
        ("community", "no_pairing", "c2"),
        ("event", "no_handler", "e2"),
    ]
    assert report.checked == {
        "building": 4,
        "compound": 3,
        "community": 2,
        "subdistrict": 1,
        "district": 1,
        "event": 2,
    }
    assert report.counts() == {
        ("building", "no_person_in_charge"): 1,
        ("building", "no_party_organization"): 1,
        ("compound", "no_party_organization"): 1,
        ("compound", "no_property_manager"): 1,
        ("community", "no_pairing"): 1,
        ("event", "no_handler"): 1,
    }
    # 幸福小区 is managed by its owners: that is not a missing property manager.
    assert district.id("k2") not in {
        r.node.id for r in report.rows if r.gap.what == "no_property_manager"
    }


def test_gaps_follow_the_date(store: GraphStore, district: Built) -> None:
    before_contract = keys(find_gaps(store, "2021-06-01"), names(district))
    assert ("compound", "no_property_manager", "k1") in before_contract
    # Before 2021 nobody was paired with 黎阳 either; the leading group head arrived in 2021.
    early = keys(find_gaps(store, "2019-06-01"), names(district))
    assert ("community", "no_pairing", "c1") in early
    assert ("district", "no_person_in_charge", "district") in early
    assert ("compound", "no_person_in_charge", "k2") in early


def test_csv_rows(store: GraphStore, district: Built) -> None:
    out = io.StringIO()
    n = find_gaps(store, "2024-06-01").write_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert n == len(rows) == 6
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0] == {
        "kind_of_gap": "no_person_in_charge",
        "level": "building",
        "node_id": "building:410611001001-001-02",
        "name": "桃园小区2号楼",
        "parent_community": "黎阳社区 (community:410611001001)",
        "reason": "桃园小区2号楼 (building:410611001001-001-02): nobody holds building_leader "
        "on 2024-06-01",
    }
    by_node = {r["node_id"]: r["parent_community"] for r in rows}
    assert by_node["community:410611001002"] == "东方社区 (community:410611001002)"
    assert by_node["event_type:E0102"] == ""


def chain_gap_union(
    store: GraphStore, b: Built, day: str
) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    buildings = [n.id for n in b.nodes.values() if n.kind == "Building"]
    events = [n.id for n in b.nodes.values() if n.kind == "EventType"]
    grid_gaps, event_gaps = set(), set()
    for chain in responsibility_chains(store, [(x, e) for x in buildings for e in events], day):
        for gap in chain.gaps:
            (event_gaps if gap.level == "event" else grid_gaps).add(gap.key)
    return grid_gaps, event_gaps


def report_keys(store: GraphStore, day: str) -> tuple[set[Any], set[Any]]:
    rows = find_gaps(store, day).rows
    grid = {r.gap.key for r in rows if r.gap.level != "event"}
    event = {r.gap.key for r in rows if r.gap.level == "event"}
    return grid, event


@pytest.mark.parametrize("day", ["2019-06-01", "2021-06-01", "2023-07-01", "2024-06-01"])
def test_report_equals_union_of_chain_gaps_small(
    store: GraphStore, district: Built, day: str
) -> None:
    assert report_keys(store, day) == chain_gap_union(store, district, day)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("day", ["2023-06-01", "2024-06-01"])
def test_report_equals_union_of_chain_gaps_synthetic(
    store: GraphStore, seed: int, day: str
) -> None:
    b = build_synthetic_district(
        store, communities=5, compounds_per=3, buildings_per=4, seed=seed, missing=0.3
    )
    grid, event = report_keys(store, day)
    assert grid  # with 30% of links missing there is always something to do
    assert (grid, event) == chain_gap_union(store, b, day)


def test_single_chain_gaps_equal_report_rows_for_its_grids(store: GraphStore) -> None:
    b = build_synthetic_district(store, communities=4, compounds_per=3, buildings_per=3, seed=5)
    report = find_gaps(store, "2024-06-01")
    by_node: dict[str, set[Any]] = {}
    for r in report.rows:
        by_node.setdefault(r.node.id, set()).add(r.gap.key)
    event = b.id("e0")
    for building in (n for n in b.nodes.values() if n.kind == "Building"):
        chain = responsibility_chain(store, building.id, event, "2024-06-01")
        for lvl in chain.levels:
            assert lvl.grid is not None
            assert {g.key for g in lvl.gaps} == by_node.get(lvl.grid.id, set())


def store_calls(
    build: Callable[[GraphStore], Built], ask: Callable[[GraphStore, Built], Any]
) -> Counter[str]:
    inner = MemoryStore()
    b = build(inner)
    counting = CountingStore(inner, only=READ_METHODS)
    ask(counting, b)  # type: ignore[arg-type]
    return counting.calls


def small(s: GraphStore) -> Built:
    return build_synthetic_district(s, communities=2, compounds_per=2, buildings_per=2)


def large(s: GraphStore) -> Built:
    return build_synthetic_district(s, communities=12, compounds_per=6, buildings_per=8)


def test_chain_store_calls_are_bounded() -> None:
    def one(s: GraphStore, b: Built) -> Any:
        return responsibility_chain(s, b.id("b1.1.1"), b.id("e1"), "2024-06-01")

    def many(s: GraphStore, b: Built) -> Any:
        pairs = [
            (n.id, e.id)
            for n in b.nodes.values()
            if n.kind == "Building"
            for e in b.nodes.values()
            if e.kind == "EventType"
        ]
        return responsibility_chains(s, pairs, "2024-06-01")

    calls = store_calls(small, one)
    assert sum(calls.values()) <= 7, calls
    assert calls == store_calls(large, one)
    # Every building times every event type: still the same calls.
    assert store_calls(large, many) == calls


def test_gaps_store_calls_are_bounded() -> None:
    def ask(s: GraphStore, b: Built) -> Any:
        return find_gaps(s, "2024-06-01")

    calls = store_calls(small, ask)
    assert sum(calls.values()) <= 11, calls
    assert calls == store_calls(large, ask)


@pytest.mark.parametrize("module", [graph.queries.chain.query, graph.queries.gaps.query])
def test_docstring_examples_run(module: Any) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_towns_outside_the_grid_are_not_reported(store: GraphStore, district: Built) -> None:
    from graph.model import Relationship, new_node

    town = new_node(
        "Subdistrict",
        division_code="410611100",
        name="大河涧乡",
        subdistrict_type="town",
        runs_grid=False,
    )
    store.upsert_nodes([town])
    store.upsert_relationships([Relationship("PART_OF", town.id, district.id("district"))])
    report = find_gaps(store, "2024-06-01")
    assert town.id not in report.nodes_with_gaps()
    assert report.checked["subdistrict"] == 1
    # A subdistrict that has communities is checked: without its contact leader it is a gap.
    store.delete_relationships(
        [
            r.id
            for r in district.rels
            if r.type == "HOLDS" and r.target == district.id("post_contact")
        ]
    )
    report = find_gaps(store, "2024-06-01")
    assert ("subdistrict", "no_person_in_charge", district.id("sub")) in {
        r.gap.key for r in report.rows
    }


def test_the_docs_name_every_kind_of_gap_and_unit_role() -> None:
    from pathlib import Path

    from graph.queries.grid_links import GapKind
    from schema.responsibility import UnitRole

    text = (Path(__file__).resolve().parents[2] / "docs" / "responsibility-chains.md").read_text()
    for value in [*GapKind, *UnitRole]:
        assert f"`{value.value}`" in text, value


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    missing=st.floats(min_value=0.0, max_value=1.0),
    day=st.sampled_from(["2019-01-01", "2023-06-01", "2024-06-01"]),
)
def test_report_always_equals_union_of_chain_gaps(seed: int, missing: float, day: str) -> None:
    with MemoryStore() as s:
        b = build_synthetic_district(
            s,
            communities=3,
            compounds_per=2,
            buildings_per=2,
            event_types=3,
            seed=seed,
            missing=missing,
        )
        assert report_keys(s, day) == chain_gap_union(s, b, day)
