"""Gap reports carried to a new version of the data by what a write changed
(:meth:`KeptGaps.carried`) equal reports computed afresh, after random writes of every kind a
report reads: buildings added, links ended, redated or deleted, grids renamed, moved or
deleted, posts and party organisations changed, holders added, event types changed."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import Node, Relationship, new_node
from graph.queries.gaps import (
    GAP_RELATION_TYPES,
    ChangeDays,
    GapReport,
    KeptGaps,
    change_days,
    find_gaps,
)
from tests.chain_graph import build_synthetic_district

FIRST, LAST = date(2018, 1, 1), date(2026, 12, 31)
#: The days writes date links with: some already change days of the built graph.
DAYS = ["2019-06-01", "2020-01-01", "2021-03-01", "2023-06-30", "2023-12-31", "2024-01-01"]


def same(a: GapReport, b: GapReport) -> None:
    assert a.as_of == b.as_of
    assert a.rows == b.rows  # reasons, communities and all, in order
    assert a.checked == b.checked
    assert a.counts() == b.counts()


def _pick(rng: random.Random, items: list[Node]) -> Node | None:
    return rng.choice(items) if items else None


def _kind(store: GraphStore, kind: str) -> list[Node]:
    return sorted(store.iter_nodes(kind), key=lambda n: n.id)


def _links(store: GraphStore, types: frozenset[str] = GAP_RELATION_TYPES) -> list[Relationship]:
    return sorted((r for r in store.iter_relationships() if r.type in types), key=lambda r: r.id)


def _period(rng: random.Random) -> dict[str, str]:
    start = rng.choice([None, *DAYS])
    end = rng.choice([None, *[d for d in DAYS if start is None or d >= start]])
    return {k: v for k, v in (("valid_from", start), ("valid_to", end)) if v is not None}


def add_building(store: GraphStore, rng: random.Random, n: int) -> None:
    """A new building under a compound, dated or not, with a leader now and then."""
    compound = _pick(rng, _kind(store, "Compound"))
    if compound is None:
        return
    building = new_node(
        "Building",
        community_code=compound.get("community_code"),
        compound_no=compound.get("compound_no"),
        building_no=f"9{n:03d}",
    )
    with store.transaction() as tx:
        tx.upsert_nodes([building])
        tx.upsert_relationships([Relationship("PART_OF", building.id, compound.id, _period(rng))])
        if rng.random() < 0.5:
            post = new_node("Post", post_type="building_leader", code=f"NEW-{n}")
            person = new_node("Person", code=f"SP-NEW-{n}", name="新楼栋长")
            tx.upsert_nodes([post, person])
            tx.upsert_relationships(
                [
                    Relationship("POST_IN", post.id, building.id),
                    Relationship("HOLDS", person.id, post.id, _period(rng)),
                ]
            )


def redate_links(store: GraphStore, rng: random.Random, n: int) -> None:
    """Links ended, begun later or made open-ended (a pairing ends, a contract lapses)."""
    changed = []
    for r in rng.sample(_links(store), min(len(_links(store)), rng.randint(1, 3))):
        props = {k: v for k, v in r.props.items() if k not in ("valid_from", "valid_to")}
        changed.append(Relationship(r.type, r.source, r.target, props | _period(rng), r.id))
    store.upsert_relationships(changed)


def delete_links(store: GraphStore, rng: random.Random, n: int) -> None:
    links = _links(store)
    store.delete_relationships([r.id for r in rng.sample(links, min(len(links), 2))])


def delete_node(store: GraphStore, rng: random.Random, n: int) -> None:
    """A grid, post, person, unit or event type deleted, with its links."""
    kinds = ["Building", "Compound", "Community", "Subdistrict", "Post", "Person"]
    kinds += ["PartyOrganization", "Department", "PropertyFirm", "EventType", "LeadingGroup"]
    node = _pick(rng, _kind(store, rng.choice(kinds)))
    if node is not None:
        store.delete_nodes([node.id])


def rename(store: GraphStore, rng: random.Random, n: int) -> None:
    """A grid (a community names every row below it) or an event type renamed."""
    kind = rng.choice(["Community", "Community", "Compound", "Building", "District", "EventType"])
    node = _pick(rng, _kind(store, kind))
    if node is not None:
        store.upsert_nodes([Node(node.id, node.kind, {**node.props, "name": f"改名{n}"})])


def retype(store: GraphStore, rng: random.Random, n: int) -> None:
    """A post's type, a party organisation's level, an event's response level changed."""
    choice = rng.randrange(3)
    if choice == 0:
        types = sorted({str(p.get("post_type")) for p in _kind(store, "Post")})
        node = _pick(rng, _kind(store, "Post"))
        key, value = "post_type", rng.choice(types) if types else None
    elif choice == 1:
        levels = sorted({str(p.get("level")) for p in _kind(store, "PartyOrganization")})
        node = _pick(rng, _kind(store, "PartyOrganization"))
        key, value = "level", rng.choice(levels) if levels else None
    else:
        node = _pick(rng, _kind(store, "EventType"))
        key, value = "response_level", rng.choice([None, "community", "nowhere"])
    if node is not None:
        props = {k: v for k, v in {**node.props, key: value}.items() if v is not None}
        store.upsert_nodes([Node(node.id, node.kind, props)])


def move(store: GraphStore, rng: random.Random, n: int) -> None:
    """A grid moved under another parent (of its level above, now and then of another), from
    a day or for good; a community's move may leave a subdistrict with none."""
    level_above = {"Building": "Compound", "Compound": "Community", "Community": "Subdistrict"}
    kind = rng.choice(sorted(level_above))
    node = _pick(rng, _kind(store, kind))
    above = rng.choice([level_above[kind]] * 4 + ["Community", "District"])
    parent = _pick(rng, _kind(store, above))
    if node is None or parent is None or parent.id == node.id:
        return
    with store.transaction() as tx:
        if rng.random() < 0.7:
            tx.delete_relationships(
                [r.id for r in store.iter_relationships("PART_OF") if r.source == node.id]
            )
        tx.upsert_relationships([Relationship("PART_OF", node.id, parent.id, _period(rng))])


def add_subdistrict(store: GraphStore, rng: random.Random, n: int) -> None:
    """A subdistrict (outside the grid system until a community is part of it)."""
    district = _pick(rng, _kind(store, "District"))
    sub = new_node("Subdistrict", division_code=f"4106119{n:02d}", name=f"新街道{n}")
    with store.transaction() as tx:
        tx.upsert_nodes([sub])
        if district is not None:
            tx.upsert_relationships([Relationship("PART_OF", sub.id, district.id)])


def add_holder(store: GraphStore, rng: random.Random, n: int) -> None:
    """Someone takes up a post (a vacant one, or beside its holder), from a day or not."""
    post = _pick(rng, _kind(store, "Post"))
    if post is None:
        return
    person = new_node("Person", code=f"SP-H-{n}", name="新任")
    with store.transaction() as tx:
        tx.upsert_nodes([person])
        tx.upsert_relationships([Relationship("HOLDS", person.id, post.id, _period(rng))])


def add_link(store: GraphStore, rng: random.Random, n: int) -> None:
    """A party organisation covers a grid, a department pairs with a community or handles an
    event type, a firm manages a compound, a post is put in a grid or organisation."""
    grids = [
        g for k in ("Building", "Compound", "Community", "Subdistrict") for g in _kind(store, k)
    ]
    choices: list[tuple[str, list[Node], list[Node]]] = [
        ("COVERS", _kind(store, "PartyOrganization"), grids),
        ("PAIRED_WITH", _kind(store, "Department"), _kind(store, "Community")),
        ("HANDLED_BY", _kind(store, "EventType"), _kind(store, "Department")),
        ("MANAGES", _kind(store, "PropertyFirm"), _kind(store, "Compound")),
        ("POST_IN", _kind(store, "Post"), grids + _kind(store, "PartyOrganization")),
    ]
    type_, sources, targets = rng.choice(choices)
    source, target = _pick(rng, sources), _pick(rng, targets)
    if source is not None and target is not None:
        store.upsert_relationships([Relationship(type_, source.id, target.id, _period(rng))])


WRITES: list[Callable[[GraphStore, random.Random, int], None]] = [
    add_building,
    redate_links,
    delete_links,
    delete_node,
    rename,
    retype,
    move,
    add_subdistrict,
    add_holder,
    add_link,
]


def _days(rng: random.Random, k: int) -> list[date]:
    span = (LAST - FIRST).days
    near = [date.fromisoformat(d) + timedelta(days=rng.choice([-1, 0, 1])) for d in DAYS]
    return [rng.choice([FIRST + timedelta(days=rng.randrange(span)), *near]) for _ in range(k)]


def check_carried(reader: MemoryStore, writer: GraphStore, seed: int, steps: int) -> None:
    """Ask some days, write at random (through ``writer``), carry, check every day again."""
    rng = random.Random(seed)
    kept: KeptGaps[GapReport] = KeptGaps(reader, lambda r: r)
    for n in range(steps):
        asked = _days(rng, rng.randint(1, 3))
        for day in asked:
            same(kept.get(day).on(day), find_gaps(reader, day))
        intervals = len(kept._kept)
        rng.choice(WRITES)(writer, rng, n)

        before = kept.version
        carried = kept.carried()
        assert carried is not None and carried.version == reader.version()
        if carried.version == before:  # the write changed nothing
            assert carried is kept
        else:
            assert carried.recomputed == {"carried": min(intervals, KeptGaps.CARRY)}
        fresh = change_days(reader)
        assert carried.days is not None and carried.days.days == fresh.days
        for day in _days(rng, 4):
            assert carried.days.interval(day) == fresh.interval(day)
        # the carried intervals first (their rows brought forward), then days derived from them
        wholes = carried.recomputed["whole"]
        for day in [*(rows.as_of for rows, _ in carried._kept.values()), *_days(rng, 2)]:
            same(carried.get(day).on(day), find_gaps(reader, day))
        assert carried.recomputed["whole"] == wholes, carried.recomputed
        kept = carried


def _built(store: GraphStore, seed: int) -> None:
    build_synthetic_district(store, communities=3, compounds_per=2, buildings_per=2, seed=seed)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), rebase=st.booleans())
def test_carried_reports_equal_fresh_ones_after_random_writes(seed: int, rebase: bool) -> None:
    """``rebase``: the change days' edits folded into a new sorted base at every write."""
    store = MemoryStore()
    _built(store, seed % 7)
    edits = ChangeDays.EDITS
    ChangeDays.EDITS = 0 if rebase else edits
    try:
        check_carried(store, store, seed, steps=6)
    finally:
        ChangeDays.EDITS = edits
    store.close()


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**16))
def test_writes_of_another_process_are_carried_too(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    """The reader brings its reports forward by the changes it caught up with from the file."""
    path: Path = tmp_path_factory.mktemp("carried") / "s.sqlite"
    reader, writer = MemoryStore(path), MemoryStore(path)
    _built(writer, seed % 7)
    check_carried(reader, writer, seed, steps=4)
    reader.close()
    writer.close()


@pytest.mark.parametrize("dated", [False, True])
def test_a_community_coming_to_another_subdistrict_first_leaves_its_own_outside(
    dated: bool,
) -> None:
    """Of a community's subdistricts only the first keeps it in the grid system: a second
    one that sorts first leaves the old one with no community, outside the report, though
    no link of the old one changed. Carried by the write, or (``dated``) by the day."""
    store = MemoryStore()
    built = build_synthetic_district(store, communities=3, compounds_per=1, buildings_per=1)
    sub0, sub1, c1 = built.id("sub0"), built.id("sub1"), built.id("c1")
    assert sub0 < sub1 and [
        r.target for r in store.iter_relationships("PART_OF") if r.source == c1
    ] == [sub1]
    before, after = date(2023, 12, 31), date(2024, 1, 1)
    kept: KeptGaps[GapReport] = KeptGaps(store, lambda r: r)
    for day in (before, after):
        same(kept.get(day).on(day), find_gaps(store, day))
    store.upsert_relationships(
        [Relationship("PART_OF", c1, sub0, {"valid_from": after.isoformat()} if dated else {})]
    )
    carried = kept.carried()
    assert carried is not None and carried.recomputed["carried"] == 2
    wholes = carried.recomputed["whole"]
    for day in (before, after, after + timedelta(days=400), before - timedelta(days=400)):
        fresh = find_gaps(store, day)
        same(carried.get(day).on(day), fresh)
        sub1_inside = dated and day < after
        assert fresh.checked["subdistrict"] == (2 if sub1_inside else 1)
        if not sub1_inside:
            assert sub1 not in fresh.nodes_with_gaps()
    assert carried.recomputed["whole"] == wholes
