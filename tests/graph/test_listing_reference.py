"""Listing requests on the Qibin reference graph, in the embedded store and in Neo4j, against
answers recomputed here by hand from the graph's own records (no graph.listing code).

The planner's questions of issue 11: communities with no partner agreement in force, buildings
whose leader post is vacant, departments by the communities they pair with, partners by the
communities their agreements reach, the latest agreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import pytest

from graph.contract import GraphStore
from graph.listing import (
    AllOf,
    KindIn,
    Listing,
    PropTest,
    Reach,
    Related,
    SortKey,
    Step,
)
from graph.memory import MemoryStore
from graph.model import Direction, Relationship
from graph.neo4j import Neo4jStore
from tests.conftest import Neo4jServer
from tests.reference_neo4j import GROUP, build_reference, ensure_copied

DAYS = [date(2023, 6, 30), date(2025, 6, 30)]  # the report's day, and later


@pytest.fixture(scope="module")
def reference() -> Iterator[MemoryStore]:
    store = build_reference()
    yield store
    store.close()


@pytest.fixture(params=["memory", "neo4j"])
def on(request: pytest.FixtureRequest, reference: MemoryStore) -> Iterator[GraphStore]:
    """The reference graph in one store: the embedded one, or the suite's Neo4j."""
    if request.param == "memory":
        yield reference
        return
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    store = Neo4jStore.from_settings(server.settings())
    try:
        ensure_copied(reference, store)
        yield store
    finally:
        store.close()


def in_force(rel: Relationship, day: date) -> bool:
    iso = day.isoformat()
    start, end = rel.props.get("valid_from"), rel.props.get("valid_to")
    return (start is None or start <= iso) and (end is None or iso <= end)


def rels(store: GraphStore, type_: str, day: date) -> list[Relationship]:
    return [r for r in store.iter_relationships(type_) if in_force(r, day)]


def ids(store: GraphStore, kind: str) -> list[str]:
    return [n.id for n in store.iter_nodes(kind)]


pytestmark = pytest.mark.xdist_group(GROUP)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_communities_with_no_partner_in_force(
    reference: MemoryStore, on: GraphStore, day: date
) -> None:
    signed = {r.source for r in rels(reference, "PARTY_TO", day)}
    expected = [c for c in ids(reference, "Community") if c not in signed]
    listing = Listing("Community", Related(Step("PARTY_TO", Direction.OUT), "none"), (), day)
    got = on.list_nodes(listing)
    assert [n.id for n in got.nodes] == expected
    assert got.total == len(expected)
    assert len(signed & set(ids(reference, "Community"))) > 0


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_buildings_whose_leader_post_is_vacant(
    reference: MemoryStore, on: GraphStore, day: date
) -> None:
    posts = {
        n.id for n in reference.iter_nodes("Post") if n.props["post_type"] == "building_leader"
    }
    held = {r.target for r in rels(reference, "HOLDS", day)}
    vacant_at = {
        r.target
        for r in rels(reference, "POST_IN", day)
        if r.source in posts and r.source not in held
    }
    expected = [b for b in ids(reference, "Building") if b in vacant_at]
    vacant = Related(
        Step("POST_IN", Direction.IN),
        "some",
        AllOf(
            (
                PropTest("post_type", "eq", "building_leader"),
                Related(Step("HOLDS", Direction.IN), "none"),
            )
        ),
    )
    page = on.list_nodes(Listing("Building", vacant, (), day), limit=50)
    assert page.total == len(expected)
    assert [n.id for n in page.nodes] == expected[:50]


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_departments_by_the_communities_they_pair_with(
    reference: MemoryStore, on: GraphStore, day: date
) -> None:
    communities = set(ids(reference, "Community"))
    load: dict[str, set[str]] = defaultdict(set)
    for r in rels(reference, "PAIRED_WITH", day):
        if r.target in communities:
            load[r.source].add(r.target)
    departments = ids(reference, "Department")
    expected = sorted(departments, key=lambda d: (-len(load[d]), d))
    reach = Reach((Step("PAIRED_WITH", Direction.OUT),), KindIn(("Community",)))
    listing = Listing("Department", None, (SortKey(reach=reach, descending=True),), day)
    assert [n.id for n in on.list_nodes(listing).nodes] == expected
    counts = on.reach_aggregates(departments, reach, day)
    assert {d: a.count for d, a in counts.items()} == {d: len(load[d]) for d in departments}
    assert max(len(v) for v in load.values()) >= 1


def test_partners_by_the_communities_they_reach(reference: MemoryStore, on: GraphStore) -> None:
    day = DAYS[0]
    communities = set(ids(reference, "Community"))
    parties: dict[str, set[str]] = defaultdict(set)
    for r in rels(reference, "PARTY_TO", day):
        parties[r.target].add(r.source)
    reached: dict[str, set[str]] = defaultdict(set)
    for members in parties.values():
        for unit in members:
            reached[unit] |= (members & communities) - {unit}
    units = ids(reference, "Unit")
    expected = sorted(units, key=lambda u: (-len(reached[u]), u))[:20]
    reach = Reach(
        (Step("PARTY_TO", Direction.OUT), Step("PARTY_TO", Direction.IN)), KindIn(("Community",))
    )
    listing = Listing("Unit", None, (SortKey(reach=reach, descending=True),), day)
    assert [n.id for n in on.list_nodes(listing, limit=20).nodes] == expected
    counts = on.reach_aggregates(expected, reach, day)
    assert [counts[u].count for u in expected] == [len(reached[u]) for u in expected]
    assert len(reached[expected[0]]) > 1


def test_the_latest_agreement(reference: MemoryStore, on: GraphStore) -> None:
    signed = [
        n.props["signed_on"] for n in reference.iter_nodes("Agreement") if "signed_on" in n.props
    ]
    every = on.aggregate_nodes(Listing("Agreement"), ["signed_on"])
    assert (every.count, every.minimum, every.maximum) == (
        len(list(reference.iter_nodes("Agreement"))),
        {"signed_on": min(signed)},
        {"signed_on": max(signed)},
    )
    day = DAYS[0]
    agreements = {n.id: n for n in reference.iter_nodes("Agreement")}
    latest: dict[str, str | None] = {c: None for c in ids(reference, "Community")}
    for r in rels(reference, "PARTY_TO", day):
        if r.source in latest:
            when = agreements[r.target].props.get("signed_on")
            if when is not None and (latest[r.source] is None or when > latest[r.source]):  # type: ignore[operator]
                latest[r.source] = when
    got = on.reach_aggregates(
        list(latest), Reach((Step("PARTY_TO", Direction.OUT),)), day, ["signed_on"]
    )
    assert {c: a.maximum["signed_on"] for c, a in got.items()} == latest
