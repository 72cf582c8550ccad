"""Listing requests (AND/OR/NOT, relationship filters, counts, min/max), run unchanged
against every store: the embedded store evaluates them in Python, Neo4j in one statement."""

from __future__ import annotations

from datetime import date

import pytest

from graph.contract import GraphStore
from graph.listing import (
    MAX_DEPTH,
    AllOf,
    AnyOf,
    Below,
    CursorNotInList,
    IdIn,
    KindIn,
    Listing,
    ListingError,
    ListPage,
    Not,
    Predicate,
    PropTest,
    Reach,
    Related,
    SortKey,
    Step,
)
from graph.model import Direction
from tests.contract import graphs as g

OUT, IN = Direction.OUT, Direction.IN
JUNE_2024 = date(2024, 6, 1)
JUNE_2023 = date(2023, 6, 1)
PAIRED_BY = Step("PAIRED_WITH", IN)
PAIRS = Step("PAIRED_WITH", OUT)
SIGNS = Step("PARTY_TO", OUT)
SIGNED_BY = Step("PARTY_TO", IN)
POSTS = Step("POST_IN", IN)
HELD_BY = Step("HOLDS", IN)


@pytest.fixture
def planned(store: GraphStore) -> GraphStore:
    nodes, rels = g.planning_slice()
    with store.transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    return store


def names(
    store: GraphStore,
    kind: str,
    where: Predicate | None = None,
    as_of: date | None = JUNE_2024,
    order: tuple[SortKey, ...] = (),
) -> list[str]:
    page = store.list_nodes(Listing(kind, where, order, as_of))
    assert page.total == len(page.nodes)
    return [n.props["name"] for n in page.nodes]


def test_and_or_not_over_properties(planned: GraphStore) -> None:
    urban = PropTest("community_type", "eq", "urban")
    assert names(planned, "Community", AllOf((urban, PropTest("name", "contains", "黎")))) == [
        "黎阳社区"
    ]
    either = AnyOf((PropTest("code", "eq", "A1"), PropTest("signed_on", "gte", "2024-01-01")))
    assert names(planned, "Agreement", either) == ["黎阳共建", "黎阳电力共建"]
    # NOT of a test on a missing property holds: A2 has no topics
    assert names(planned, "Agreement", Not(PropTest("topics", "includes", "教育"))) == [
        "黎阳电力共建",
        "东方共建",
    ]
    assert names(planned, "Department", Not(PropTest("key_unit", "eq", True))) == [
        "区民政局",
        "区卫健委",
    ]
    assert names(planned, "Community", AnyOf(())) == []
    assert names(planned, "Community", AllOf(())) == ["黎阳社区", "东方社区"]
    assert names(planned, "Agreement", PropTest("code", "in", ("A3", "A9"))) == ["东方共建"]
    by_id = AnyOf((IdIn((g.AG_3.id, "agreement:none")), Not(IdIn((g.AG_2.id, g.AG_3.id)))))
    assert names(planned, "Agreement", by_id) == ["黎阳共建", "东方共建"]


def test_communities_with_no_partner_in_force(planned: GraphStore) -> None:
    """Relationship filters honour the day: 东方's only agreement ended with 2023."""
    none = Related(SIGNS, "none")
    assert names(planned, "Community", none, JUNE_2024) == ["东方社区"]
    assert names(planned, "Community", none, JUNE_2023) == []
    # a partner unit among the agreement's parties, not just any agreement
    partner = Related(SIGNS, "some", Related(SIGNED_BY, "some", KindIn(("Unit",))))
    assert names(planned, "Community", partner, JUNE_2024) == ["黎阳社区"]
    assert names(planned, "Community", Not(partner), date(2025, 6, 1)) == ["东方社区"]


def test_buildings_whose_leader_post_is_vacant(planned: GraphStore) -> None:
    vacant = Related(
        POSTS,
        "some",
        AllOf((PropTest("post_type", "eq", "building_leader"), Related(HELD_BY, "none"))),
    )
    assert names(planned, "Building", vacant, JUNE_2024) == ["2号楼"]
    assert names(planned, "Building", vacant, date(2023, 1, 1)) == []
    # every post of building 1 is held; building 2's grid worker is, its leader is not
    all_held = Related(POSTS, "all", Related(HELD_BY, "some"))
    assert names(planned, "Building", all_held, JUNE_2024) == ["1号楼"]


def test_all_is_vacuous_and_kinds_narrow_the_other_end(planned: GraphStore) -> None:
    only_communities = Related(PAIRS, "all", KindIn(("Community",)))
    # 城管 has no pairing in force in 2024 (vacuously all), 民政 pairs one community,
    # 卫健 also pairs the subdistrict
    assert names(planned, "Department", only_communities) == ["区民政局", "区城市管理局"]
    assert names(planned, "Department", Related(PAIRS, "some")) == ["区民政局", "区卫健委"]


def test_within_is_a_predicate_like_the_others(planned: GraphStore) -> None:
    below = Below(g.LIYANG.id)
    assert names(planned, "Building", below) == ["1号楼", "2号楼"]
    assert names(planned, "Building", AllOf((below, PropTest("building_no", "eq", "02")))) == [
        "2号楼"
    ]
    assert names(planned, "Building", Below(g.DONGFANG.id)) == []
    assert names(planned, "Community", Below(g.DISTRICT.id)) == ["黎阳社区", "东方社区"]


def test_departments_by_the_communities_they_pair_with(planned: GraphStore) -> None:
    communities = Reach((PAIRS,), KindIn(("Community",)))
    by_count = (SortKey(reach=communities, descending=True),)
    assert names(planned, "Department", order=by_count) == ["区卫健委", "区民政局", "区城市管理局"]
    assert names(planned, "Department", order=by_count, as_of=JUNE_2023) == [
        "区城市管理局",  # 1 (黎阳, until 2023); the others 0, by id
        "区民政局",
        "区卫健委",
    ]
    aggregates = planned.reach_aggregates(
        [g.DEPT_A.id, g.DEPT_B.id, g.DEPT_C.id], communities, JUNE_2024
    )
    assert {k: a.count for k, a in aggregates.items()} == {
        g.DEPT_A.id: 0,
        g.DEPT_B.id: 1,
        g.DEPT_C.id: 2,
    }
    every_grid = planned.reach_aggregates([g.DEPT_C.id], Reach((PAIRS,)), JUNE_2024)
    assert every_grid[g.DEPT_C.id].count == 3


def test_partners_by_the_communities_they_reach(planned: GraphStore) -> None:
    reach = Reach((SIGNS, SIGNED_BY), KindIn(("Community",)))
    order = (SortKey(reach=reach, descending=True), SortKey(prop="name"))
    assert names(planned, "Unit", order=order, as_of=JUNE_2023) == [
        "鹤壁职业技术学院",
        "淇滨供电公司",
    ]
    counts = planned.reach_aggregates([g.UNIT_X.id, g.UNIT_Y.id], reach, JUNE_2023)
    assert [counts[u].count for u in (g.UNIT_X.id, g.UNIT_Y.id)] == [2, 0]
    counts = planned.reach_aggregates([g.UNIT_X.id, g.UNIT_Y.id], reach, None)
    assert [counts[u].count for u in (g.UNIT_X.id, g.UNIT_Y.id)] == [2, 1]
    # the start itself is never counted: X is a party to its own agreements
    everyone = planned.reach_aggregates([g.UNIT_X.id], Reach((SIGNS, SIGNED_BY)), None)
    assert everyone[g.UNIT_X.id].count == 2


def test_min_and_max_on_dates(planned: GraphStore) -> None:
    every = planned.aggregate_nodes(Listing("Agreement"), ["signed_on"])
    assert (every.count, every.minimum, every.maximum) == (
        3,
        {"signed_on": "2022-03-01"},
        {"signed_on": "2024-05-01"},
    )
    liyang = Listing("Agreement", Related(SIGNED_BY, "some", PropTest("name", "eq", "黎阳社区")))
    got = planned.aggregate_nodes(liyang, ["signed_on", "masters_interns"])
    assert got.count == 2
    assert got.maximum == {"signed_on": "2024-05-01", "masters_interns": None}
    nothing = planned.aggregate_nodes(
        Listing("Agreement", PropTest("code", "eq", "none")), ["signed_on"]
    )
    assert (nothing.count, nothing.maximum) == (0, {"signed_on": None})
    latest = planned.reach_aggregates(
        [g.LIYANG.id, g.DONGFANG.id], Reach((SIGNS,)), JUNE_2024, ["signed_on"]
    )
    assert latest[g.LIYANG.id].count == 2
    assert latest[g.LIYANG.id].maximum == {"signed_on": "2024-05-01"}
    assert latest[g.DONGFANG.id].count == 0
    assert latest[g.DONGFANG.id].maximum == {"signed_on": None}


def test_order_by_property_and_pages_after_a_cursor(planned: GraphStore) -> None:
    order = (SortKey(prop="signed_on", descending=True),)
    listing = Listing("Agreement", None, order, JUNE_2024)
    assert [n.props["code"] for n in planned.list_nodes(listing).nodes] == ["A2", "A3", "A1"]
    page = planned.list_nodes(listing, after=g.AG_2.id, limit=1)
    assert ([n.props["code"] for n in page.nodes], page.total) == (["A3"], 3)
    assert planned.list_nodes(listing, after=g.AG_1.id, limit=5) == ListPage([], 3)
    assert planned.list_nodes(listing, limit=0) == ListPage([], 3)
    unpaired = Listing("Community", Related(PAIRED_BY, "none"), (), JUNE_2024)
    assert planned.list_nodes(unpaired, limit=3) == ListPage([], 0)
    with pytest.raises(CursorNotInList, match="agreement:nowhere"):
        planned.list_nodes(listing, after="agreement:nowhere", limit=2)
    # missing values go last whichever the direction
    by_topics_count = (SortKey(prop="masters_interns"), SortKey(prop="code", descending=True))
    codes = planned.list_nodes(Listing("Agreement", None, by_topics_count)).nodes
    assert [n.props["code"] for n in codes] == ["A3", "A2", "A1"]


@pytest.mark.parametrize(
    ("listing", "message"),
    [
        (Listing("Spaceship"), "unknown node kind"),
        (Listing("Community", PropTest("colour", "eq", "red")), "no property 'colour'"),
        (Listing("Community", PropTest("name) RETURN 1 //", "eq", "x")), "no property"),
        (Listing("Community", Related(PAIRS, "some")), "does not apply to Community"),
        (Listing("Community", Related(Step("OWNS", IN), "some")), "unknown relationship"),
        (Listing("Community", order=(SortKey(prop="colour"),)), "no property 'colour'"),
        (Listing("Department", order=(SortKey(reach=Reach((PAIRS,) * 3)),)), "1 to 2"),
    ],
)
def test_requests_outside_the_ontology_are_refused(
    planned: GraphStore, listing: Listing, message: str
) -> None:
    with pytest.raises(ListingError, match=message):
        planned.list_nodes(listing)


def test_nesting_and_size_are_bounded(planned: GraphStore) -> None:
    deep: Predicate = PropTest("name", "eq", "x")
    for _ in range(MAX_DEPTH):
        deep = Not(deep)
    with pytest.raises(ListingError, match="nests deeper"):
        planned.list_nodes(Listing("Community", deep))
    wide = AnyOf(tuple(PropTest("name", "eq", str(i)) for i in range(100)))
    with pytest.raises(ListingError, match="more than 64 conditions"):
        planned.aggregate_nodes(Listing("Community", wide))
