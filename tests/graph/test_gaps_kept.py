"""Gap reports kept per interval of change days: equal to a fresh report on every day, after
random writes too, and a new day of a known interval asks the store nothing."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from api.app import create_app
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import Direction, Relationship, holds_on, new_node
from graph.queries.gaps import (
    GAP_RELATION_TYPES,
    GapReport,
    KeptGaps,
    change_days,
    find_gaps,
)
from tests.api.serving import in_process
from tests.api.test_store_calls import CountingStore
from tests.chain_graph import build_small_district, build_synthetic_district

FIRST, LAST = date(2018, 1, 1), date(2026, 12, 31)


def in_force(store: GraphStore, day: date) -> frozenset[str]:
    """The ids of the report's relationships in force on ``day``, by a scan."""
    return frozenset(
        r.id
        for r in store.iter_relationships()
        if r.type in GAP_RELATION_TYPES and holds_on(r.props, day)
    )


def every_day() -> Iterator[date]:
    day = FIRST
    while day <= LAST:
        yield day
        day += timedelta(days=1)


def scanned_change_days(store: GraphStore) -> list[date]:
    """Days whose links in force differ from the day before's, day by day over nine years."""
    rels = [r for r in store.iter_relationships() if r.type in GAP_RELATION_TYPES]
    found, before = [], None
    for day in every_day():
        now = frozenset(r.id for r in rels if holds_on(r.props, day))
        if before is not None and now != before:
            found.append(day)
        before = now
    return found


def same(a: GapReport, b: GapReport) -> None:
    assert a.as_of == b.as_of
    assert a.rows == b.rows  # reasons and all, in order
    assert a.checked == b.checked
    assert a.counts() == b.counts()


def test_change_days_equal_a_scan(store: GraphStore) -> None:
    build_synthetic_district(store, communities=2, compounds_per=2, buildings_per=2, seed=3)
    days = change_days(store)
    inside = [d for d in days.days if FIRST < d <= LAST]
    assert inside and inside == scanned_change_days(store)
    # equal intervals exactly when the links in force are equal
    rng = random.Random(5)
    span = (LAST - FIRST).days
    for _ in range(60):
        a = FIRST + timedelta(days=rng.randrange(span))
        b = a + timedelta(days=rng.choice([1, 7, 90, 400]))
        assert (days.interval(a) == days.interval(b)) == (not any(a < c <= b for c in days.days))
        if days.interval(a) == days.interval(b):
            assert in_force(store, a) == in_force(store, b)


def test_kept_reports_equal_fresh_ones(store: GraphStore) -> None:
    build_synthetic_district(store, communities=3, compounds_per=2, buildings_per=2, seed=11)
    kept: KeptGaps[GapReport] = KeptGaps(store, lambda r: r)
    rng = random.Random(2)
    span = (LAST - FIRST).days
    asked = [FIRST + timedelta(days=rng.randrange(span)) for _ in range(25)]
    asked += [d + timedelta(days=k) for d in change_days(store).days for k in (-1, 0)]
    for day in asked:
        same(kept.get(day).on(day), find_gaps(store, day))
    assert len(kept._kept) <= len(change_days(store).days) + 1
    # one whole report; every other interval from the nearest kept one, its touched grids
    assert kept.recomputed["whole"] == 1
    assert kept.recomputed["touched"] == len(kept._kept) - 1 >= 2


def test_kept_reports_are_computed_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A whole report allocates hundreds of thousands of objects: computed with the collector
    running, it set off full collections of everything alive (90 ms pauses at scale 10)."""
    import gc

    import graph.queries.gaps.kept as kept_module

    store = MemoryStore()
    build_synthetic_district(store, communities=2, compounds_per=1, buildings_per=1, seed=3)
    collecting: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> GapReport:
        collecting.append(gc.isenabled())
        return find_gaps(*args, **kwargs)

    monkeypatch.setattr(kept_module, "find_gaps", watched)
    assert gc.isenabled()
    KeptGaps(store, lambda r: r).get(FIRST)
    assert collecting == [False] and gc.isenabled()


def test_kept_intervals_are_bounded(store: GraphStore) -> None:
    build_synthetic_district(store, communities=2, compounds_per=2, buildings_per=2, seed=4)
    kept: KeptGaps[GapReport] = KeptGaps(store, lambda r: r)
    kept.KEEP = 1
    assert kept.days is not None and len(kept.days.days) >= 2
    for day in [FIRST, *kept.days.days, FIRST]:
        same(kept.get(day).on(day), find_gaps(store, day))
        assert len(kept._kept) == 1


def random_write(store: GraphStore, rng: random.Random) -> None:
    """Delete some of the report's relationships, redate others, or delete a grid."""
    rels = sorted(
        (r for r in store.iter_relationships() if r.type in GAP_RELATION_TYPES),
        key=lambda r: r.id,
    )
    choice = rng.randrange(3)
    if choice == 0:
        store.delete_relationships([r.id for r in rng.sample(rels, min(3, len(rels)))])
    elif choice == 1:
        days = ["2021-03-01", "2023-06-30", "2024-02-29", None]
        changed = []
        for r in rng.sample(rels, min(4, len(rels))):
            start = r.props.get("valid_from")
            end = rng.choice(days)
            if end is not None and start is not None and end < start:
                end = None
            changed.append(Relationship(r.type, r.source, r.target, {"valid_to": end}, r.id))
        store.upsert_relationships(changed)
    else:
        grids = [n.id for n in store.iter_nodes("Building")] or [
            n.id for n in store.iter_nodes("Compound")
        ]
        store.delete_nodes(rng.sample(grids, 1))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_reports_equal_fresh_ones_after_random_writes(store: GraphStore, seed: int) -> None:
    """As the API keeps them: one :class:`KeptGaps` per store version."""
    build_synthetic_district(store, communities=3, compounds_per=2, buildings_per=2, seed=seed)
    rng = random.Random(seed)
    kept: KeptGaps[GapReport] | None = None
    for _ in range(6):
        for _ in range(3):
            day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days))
            if kept is None or kept.version != store.version():
                kept = KeptGaps(store, lambda r: r)
            same(kept.get(day).on(day), find_gaps(store, day))
        random_write(store, rng)


@pytest.fixture(scope="module")
def reference() -> Iterator[MemoryStore]:
    generator = pytest.importorskip("loaders.reference.generator")
    store = MemoryStore()
    generator.seed_reference_graph(store, scale=2)
    yield store
    store.close()


def test_kept_reports_equal_fresh_ones_on_the_reference_graph(reference: MemoryStore) -> None:
    """Scale 2, random days and days either side of change days, then random writes."""
    rng = random.Random(13)
    span = (LAST - FIRST).days
    for round_ in range(2):
        kept: KeptGaps[GapReport] = KeptGaps(reference, lambda r: r)
        change = [d for d in kept.days.days if FIRST <= d <= LAST] if kept.days else []
        asked = [FIRST + timedelta(days=rng.randrange(span)) for _ in range(4)]
        asked += [d + timedelta(days=k) for d in rng.sample(change, 2) for k in (-1, 0)]
        for day in asked:
            same(kept.get(day).on(day), find_gaps(reference, day))
        assert kept.recomputed["touched"] >= len(asked) // 2, kept.recomputed
        if round_ == 0:
            random_write(reference, rng)


GAPS = """query($d: Date) { gaps(asOf: $d) { asOf totalCount counts { level kind count }
  rows(first: 500) { nodes { kind level reason node { id } } } } }"""


def api_gaps(client: httpx.Client, day: date) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": GAPS, "variables": {"d": day.isoformat()}})
    body = response.json()
    assert "errors" not in body, body
    gaps: dict[str, Any] = body["data"]["gaps"]
    return gaps


def expected(store: GraphStore, day: date) -> dict[str, Any]:
    report = find_gaps(store, day)
    return {
        "asOf": day.isoformat(),
        "totalCount": len(report.rows),
        "counts": [
            {"level": lv.upper(), "kind": k.upper(), "count": n}
            for (lv, k), n in report.counts().items()
        ],
        "rows": {
            "nodes": [
                {
                    "kind": r.gap.what.name,
                    "level": r.gap.level.upper(),
                    "reason": r.gap.reason,
                    "node": {"id": r.node.id},
                }
                for r in report.rows
            ]
        },
    }


def test_api_reuses_the_interval_and_follows_writes() -> None:
    """A second day of the same interval asks the store only its version; after a write the
    answer is that of the new data; every answer equals a fresh report."""
    inner = MemoryStore()
    built = build_small_district(inner)
    proxy = CountingStore(inner)
    days = change_days(inner).days
    first, second = days[-1] + timedelta(days=3), days[-1] + timedelta(days=40)
    with in_process(create_app(proxy, response_cache=False)) as client:  # type: ignore[arg-type]
        assert api_gaps(client, first) == expected(inner, first)
        proxy.calls.clear()
        assert api_gaps(client, second) == expected(inner, second)
        assert set(proxy.calls) <= {"version"}, proxy.calls
        before = days[0] - timedelta(days=1)
        assert api_gaps(client, before) == expected(inner, before)  # another interval
        assert proxy.calls["neighbours"] > 0

        # a write: the pairing of a community ends, so its gap appears on the later days
        [pairing] = [
            r
            for r in inner.iter_relationships("PAIRED_WITH")
            if holds_on(r.props, second) and r.target == built.id("c1")
        ]
        end = (first + timedelta(days=10)).isoformat()
        inner.upsert_relationships(
            [
                Relationship(
                    pairing.type, pairing.source, pairing.target, {"valid_to": end}, pairing.id
                )
            ]
        )
        for day in (first, second, second + timedelta(days=1)):
            assert api_gaps(client, day) == expected(inner, day)
        kinds = [r["kind"] for r in api_gaps(client, second)["rows"]["nodes"]]
        assert "NO_PAIRING" in kinds
    inner.close()


def test_realistic_writes_are_carried_on_the_reference_graph(reference: MemoryStore) -> None:
    """A building added under a compound, a pairing ended, a holder for a vacant post: each
    write brings the kept reports forward (none computed whole) and they equal fresh ones."""
    today, earlier = date(2026, 12, 2), date(2023, 6, 30)
    kept: KeptGaps[GapReport] = KeptGaps(reference, lambda r: r)
    for day in (today, earlier):
        same(kept.get(day).on(day), find_gaps(reference, day))
    wholes = kept.recomputed["whole"]

    def carry(write: Callable[[], None]) -> GapReport:
        nonlocal kept
        intervals = len(kept._kept)
        write()
        carried = kept.carried()
        assert carried is not None and intervals >= 2
        assert carried.recomputed == {"carried": min(intervals, KeptGaps.CARRY)}
        for day in (today, earlier, today + timedelta(days=500)):
            same(carried.get(day).on(day), find_gaps(reference, day))
        assert carried.recomputed["whole"] == 0, carried.recomputed
        kept = carried
        return carried.get(today).on(today)

    compound = reference.nodes_of_kind("Compound")[7]
    building = new_node(
        "Building",
        community_code=compound.get("community_code"),
        compound_no=compound.get("compound_no"),
        building_no="99",
        name="新楼",
    )

    def add_building() -> None:
        with reference.transaction() as tx:
            tx.upsert_nodes([building])
            tx.upsert_relationships([Relationship("PART_OF", building.id, compound.id)])

    report = carry(add_building)
    new_gaps = {r.gap.what.value for r in report.rows if r.node.id == building.id}
    assert {"no_person_in_charge", "no_party_organization"} <= new_gaps
    [row] = [r for r in report.rows if r.node.id == building.id][:1]
    assert row.community is not None and row.community.get("division_code") == compound.get(
        "community_code"
    )

    pairings = [r for r in reference.iter_relationships("PAIRED_WITH") if holds_on(r.props, today)]
    by_community: dict[str, list[Relationship]] = {}
    for r in pairings:
        by_community.setdefault(r.target, []).append(r)
    community, [pairing] = next((c, rs) for c, rs in sorted(by_community.items()) if len(rs) == 1)

    def end_pairing() -> None:
        ended = {**pairing.props, "valid_to": (today - timedelta(days=1)).isoformat()}
        reference.upsert_relationships(
            [Relationship(pairing.type, pairing.source, pairing.target, ended, pairing.id)]
        )

    report = carry(end_pairing)
    assert any(r.node.id == community and r.gap.what.value == "no_pairing" for r in report.rows)

    vacant = next(
        r.node.id
        for r in report.rows
        if r.gap.level == "building"
        and r.gap.what.value == "no_person_in_charge"
        and r.node.id != building.id
    )
    [post] = [
        h.node
        for h in reference.neighbours([vacant], "POST_IN", Direction.IN)[vacant]
        if h.node.get("post_type") == "building_leader"
    ][:1]
    person = new_node("Person", code="SP-REF-NEW", name="新楼栋长")

    def add_holder() -> None:
        with reference.transaction() as tx:
            tx.upsert_nodes([person])
            tx.upsert_relationships(
                [Relationship("HOLDS", person.id, post.id, {"valid_from": "2026-11-01"})]
            )

    report = carry(add_holder)
    assert not any(
        r.node.id == vacant and r.gap.what.value == "no_person_in_charge" for r in report.rows
    )
    assert kept.recomputed["whole"] == 0 and wholes == 1
