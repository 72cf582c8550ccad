"""A day derived across change days recomputes only the grids of the links whose change a
report can see (:func:`graph.queries.gaps.touch.effective`): a post whose holder is replaced
or a contract renewed touches nothing, and the derived reports still equal fresh ones. And the
embedded store's :meth:`~graph.memory.MemoryStore.linked` answers as the contract's default."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

import graph.adjacency
import graph.queries.gaps.kept as kept_module
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import Direction, Relationship, new_node
from graph.queries.gaps import GapReport, KeptGaps, find_gaps
from graph.queries.gaps.touch import Touched, effective
from graph.queries.grid_links.query import INCOMING_TYPES
from tests.chain_graph import LEADER_CHANGE, build_small_district, build_synthetic_district

FIRST, LAST = date(2018, 1, 1), date(2026, 12, 31)


def same(a: GapReport, b: GapReport) -> None:
    assert a.as_of == b.as_of
    assert a.rows == b.rows  # reasons, communities and all, in order
    assert a.checked == b.checked


def _links(store: GraphStore, type_: str, target: str) -> list[Relationship]:
    return sorted(
        (r for r in store.iter_relationships(type_) if r.target == target), key=lambda r: r.id
    )


@pytest.fixture
def small() -> Iterator[tuple[MemoryStore, Any]]:
    store = MemoryStore()
    built = build_small_district(store)
    yield store, built
    store.close()


def test_a_holder_replaced_on_a_day_touches_nothing(small: tuple[MemoryStore, Any]) -> None:
    store, built = small
    before, after = date(2024, 3, 31), date.fromisoformat(LEADER_CHANGE)
    holds = _links(store, "HOLDS", built.id("post_leader_b1"))
    assert len(holds) == 2  # one ends the day before the other begins
    assert effective(store, holds, before, after) == []
    assert effective(store, holds, after, before) == []
    # the new holder's term ends: the post is vacant from then on, its building touched
    new = next(r for r in holds if r.props.get("valid_from") == LEADER_CHANGE)
    store.upsert_relationships(
        [Relationship(new.type, new.source, new.target, {"valid_to": "2025-06-30"}, new.id)]
    )
    [ended] = _links(store, "HOLDS", built.id("post_leader_b1"))[-1:]
    assert effective(store, [ended], date(2025, 1, 1), date(2025, 7, 1)) == [ended]


def test_a_link_beside_one_in_force_on_both_days_touches_nothing(
    small: tuple[MemoryStore, Any],
) -> None:
    """The changed links give a presence on one day only; an unchanged link gives it on both."""
    store, built = small
    post = built.nodes["post_leader_b1"]
    person = new_node("Person", code="P-B1C", name="代理楼栋长")
    with store.transaction() as tx:
        tx.upsert_nodes([person])
        tx.upsert_relationships(
            [Relationship("HOLDS", person.id, post.id, {"valid_from": "2024-06-01"})]
        )
    [added] = [r for r in _links(store, "HOLDS", post.id) if r.source == person.id]
    # p_new holds the post on both days
    assert effective(store, [added], date(2024, 5, 1), date(2024, 7, 1)) == []
    # nor when the holders on the two days differ: p_old until 2024-03-31, p_new after
    assert effective(store, [added], date(2024, 3, 15), date(2024, 7, 1)) == []
    store.delete_relationships([r.id for r in _links(store, "HOLDS", post.id) if r != added])
    assert effective(store, [added], date(2024, 5, 1), date(2024, 7, 1)) == [added]


def test_a_contract_renewed_touches_nothing_another_kind_of_manager_does(
    small: tuple[MemoryStore, Any],
) -> None:
    store, built = small
    k1, firm = built.id("k1"), built.id("firm")
    [old] = _links(store, "MANAGES", k1)
    renewed = Relationship("MANAGES", firm, k1, {"valid_from": "2025-01-01"})
    owners = new_node("OwnersCommittee", community_code="410611001001", compound_no="001")
    by_owners = Relationship("MANAGES", owners.id, k1, {"valid_from": "2026-01-01"})
    with store.transaction() as tx:
        tx.upsert_nodes([owners])
        tx.upsert_relationships(
            [
                Relationship(old.type, old.source, old.target, {"valid_to": "2024-12-31"}, old.id),
                Relationship(
                    renewed.type,
                    renewed.source,
                    renewed.target,
                    {"valid_to": "2025-12-31"},
                    renewed.id,
                ),
                by_owners,
            ]
        )
    links = {r.id: r for r in _links(store, "MANAGES", k1)}
    assert len(links) == 3
    assert (
        effective(store, [links[old.id], links[renewed.id]], date(2024, 6, 1), date(2025, 6, 1))
        == []
    )
    # the firm's contract ends and the owners take over: both presences change
    changed = [links[renewed.id], links[by_owners.id]]
    assert effective(store, changed, date(2025, 6, 1), date(2026, 6, 1)) == changed


def test_a_link_of_another_source_is_another_presence(small: tuple[MemoryStore, Any]) -> None:
    """Which organisation covers a grid is read (its level, its posts): not just whether one."""
    store, built = small
    k1 = built.id("k1")
    [branch] = [r for r in _links(store, "COVERS", k1)]
    other = new_node("PartyOrganization", code="410611001001-001-X", name="第二支部",
                     level="compound_branch")  # fmt: skip
    with store.transaction() as tx:
        tx.upsert_nodes([other])
        tx.upsert_relationships(
            [
                Relationship(branch.type, branch.source, k1, {"valid_to": "2024-12-31"}, branch.id),
                Relationship("COVERS", other.id, k1, {"valid_from": "2025-01-01"}),
            ]
        )
    changed = _links(store, "COVERS", k1)
    assert len(changed) == 2
    assert effective(store, changed, date(2024, 6, 1), date(2025, 6, 1)) == changed


def test_days_derived_across_replacements_equal_fresh_ones(
    small: tuple[MemoryStore, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Across LEADER_CHANGE no grid is recomputed; every day still equals a fresh report, and
    some are derived with grids recomputed."""
    store, _ = small
    seen: list[Touched] = []
    recompute = kept_module.recompute

    def watched(store: GraphStore, base: Any, day: date, touched: Touched, *rest: Any) -> Any:
        seen.append(touched)
        return recompute(store, base, day, touched, *rest)

    monkeypatch.setattr(kept_module, "recompute", watched)
    kept: KeptGaps[GapReport] = KeptGaps(store, lambda r: r)
    after = date.fromisoformat(LEADER_CHANGE)
    same(kept.get(after).on(after), find_gaps(store, after))
    before = after - timedelta(days=1)
    same(kept.get(before).on(before), find_gaps(store, before))
    assert seen == []  # no grid touched: the report of the day after kept for both intervals
    assert kept.get(before) is kept.get(after)
    assert kept.recomputed == {"whole": 1, "touched": 1}
    assert kept.days is not None
    for day in [d + timedelta(days=k) for d in kept.days.days for k in (-1, 0)]:
        same(kept.get(day).on(day), find_gaps(store, day))
    assert any(seen), seen


@pytest.mark.parametrize("hub", [2, graph.adjacency.HUB_NEIGHBOURS])
def test_linked_is_whether_neighbours_finds_a_hop(
    monkeypatch: pytest.MonkeyPatch, hub: int
) -> None:
    """At hubs (links by type) and elsewhere: as the contract's default, from ``neighbours``."""
    monkeypatch.setattr(graph.adjacency, "HUB_NEIGHBOURS", hub)
    store = MemoryStore()
    build_synthetic_district(store, communities=3, compounds_per=3, buildings_per=3, seed=5)
    assert any(True for _ in store._typed.hubs()) == (hub == 2)
    ids = [*sorted(n.id for n in store.iter_nodes()), "no-such-node"]
    rng = random.Random(hub)
    types: list[Any] = [None, "HOLDS", ("HOLDS", "MANAGES"), "PART_OF", INCOMING_TYPES, "NONE"]
    kinds: list[Any] = [None, "Person", ("PropertyFirm", "OwnersCommittee"), "Compound"]
    days = [None, date(2019, 1, 1), date(2023, 12, 31), date(2024, 1, 1), date(2026, 6, 1)]
    for _ in range(300):
        asked = rng.sample(ids, 40)
        args = (rng.choice(types), rng.choice(list(Direction)), rng.choice(days), rng.choice(kinds))
        assert store.linked(asked, *args) == GraphStore.linked(store, asked, *args), args
    store.close()
