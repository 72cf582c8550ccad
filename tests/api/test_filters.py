"""Filters and aggregates over HTTP, on a hand-built planner's slice (tests/contract/graphs.py):
AND/OR/NOT, relationship filters, orders by counts, min/max, and the bounds on all of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from graph.memory import MemoryStore
from graph.settings import Settings
from tests.api.conftest import GraphQL
from tests.api.serving import in_process
from tests.contract import graphs as g

ADMIN = "filters-admin-token"


@pytest.fixture(scope="module")
def gql() -> Iterator[GraphQL]:
    store = MemoryStore()
    nodes, rels = g.planning_slice()
    with store.transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    settings = Settings(admin_token=ADMIN, max_query_cost=50_000)
    with in_process(create_app(store, settings)) as c:
        yield GraphQL(c)
    store.close()


def names(result: dict[str, Any], field: str) -> list[str]:
    return [n["name"] for n in result[field]["nodes"]]


COMMUNITIES = """query($w: CommunityWhere, $d: Date) {
  communities(where: $w, asOf: $d) { totalCount nodes { name } } }"""


def test_and_or_not(gql: GraphQL) -> None:
    q = "query($w: AgreementWhere) { agreements(where: $w) { nodes { name } } }"
    either = {"OR": [{"code": {"eq": "A1"}}, {"signedOn": {"from": "2024-01-01"}}]}
    assert names(gql.data(q, w=either), "agreements") == ["黎阳共建", "黎阳电力共建"]
    both = {"AND": [either, {"NOT": {"topics": {"includes": "教育"}}}]}
    assert names(gql.data(q, w=both), "agreements") == ["黎阳电力共建"]
    assert names(gql.data(q, w={"NOT": {"OR": [{"code": {"eq": "A1"}}, {}]}}), "agreements") == []


def test_communities_with_no_partner_in_force(gql: GraphQL) -> None:
    none = {"partyTo_NONE": {}}
    got = gql.data(COMMUNITIES, w=none, d="2024-06-01")["communities"]
    assert got == {"totalCount": 1, "nodes": [{"name": "东方社区"}]}
    assert gql.data(COMMUNITIES, w=none, d="2023-06-01")["communities"]["totalCount"] == 0
    with_unit = {"partyTo_SOME": {"parties_SOME": {"kind": ["Unit"]}}}
    assert names(gql.data(COMMUNITIES, w=with_unit, d="2024-06-01"), "communities") == ["黎阳社区"]


def test_buildings_whose_leader_post_is_vacant(gql: GraphQL) -> None:
    q = """query($d: Date) { buildings(asOf: $d, where: {posts_SOME: {
        postType: {eq: BUILDING_LEADER}, heldBy_NONE: {}}}) { nodes { name } } }"""
    assert names(gql.data(q, d="2024-06-01"), "buildings") == ["2号楼"]
    assert names(gql.data(q, d="2023-01-01"), "buildings") == []


def test_departments_by_the_communities_they_pair_with(gql: GraphQL) -> None:
    q = """query($d: Date) {
      departments(first: 10, asOf: $d, orderBy: [{count: {path: [PAIRED_WITH_OUT],
          where: {kind: [Community]}}, direction: DESC}]) {
        nodes { name reachCount(path: [PAIRED_WITH_OUT], where: {kind: [Community]}, asOf: $d)
                pairedWithAggregate(asOf: $d) { count } } } }"""
    got = gql.data(q, d="2024-06-01")["departments"]["nodes"]
    assert got == [
        {"name": "区卫健委", "reachCount": 2, "pairedWithAggregate": {"count": 3}},
        {"name": "区民政局", "reachCount": 1, "pairedWithAggregate": {"count": 1}},
        {"name": "区城市管理局", "reachCount": 0, "pairedWithAggregate": {"count": 0}},
    ]


def test_partners_by_the_communities_they_reach(gql: GraphQL) -> None:
    q = """query($d: Date) {
      units(first: 10, asOf: $d, orderBy: [{count: {path: [PARTY_TO_OUT, PARTY_TO_IN],
          where: {kind: [Community]}}, direction: DESC}, {field: NAME}]) {
        nodes { name reachCount(path: [PARTY_TO_OUT, PARTY_TO_IN], where: {kind: [Community]},
                                asOf: $d) } } }"""
    got = gql.data(q, d="2023-06-01")["units"]["nodes"]
    assert got == [
        {"name": "鹤壁职业技术学院", "reachCount": 2},
        {"name": "淇滨供电公司", "reachCount": 0},
    ]


def test_latest_agreement(gql: GraphQL) -> None:
    q = """{ agreements { aggregate { count node { signedOn { min max } } } }
      communities { nodes { name partyToAggregate(asOf: "2024-06-01") {
        count node { signedOn { max } } } } } }"""
    got = gql.data(q)
    assert got["agreements"]["aggregate"] == {
        "count": 3,
        "node": {"signedOn": {"min": "2022-03-01", "max": "2024-05-01"}},
    }
    assert got["communities"]["nodes"] == [
        {
            "name": "黎阳社区",
            "partyToAggregate": {"count": 2, "node": {"signedOn": {"max": "2024-05-01"}}},
        },
        {"name": "东方社区", "partyToAggregate": {"count": 0, "node": {"signedOn": {"max": None}}}},
    ]


def test_pages_of_a_filtered_ordered_list(gql: GraphQL) -> None:
    q = """query($after: String) { agreements(first: 2, after: $after,
        orderBy: [{field: SIGNED_ON, direction: DESC}], where: {NOT: {code: {eq: "none"}}}) {
        totalCount pageInfo { hasNextPage endCursor } nodes { code } } }"""
    first = gql.data(q)["agreements"]
    assert (first["totalCount"], first["nodes"]) == (3, [{"code": "A2"}, {"code": "A3"}])
    second = gql.data(q, after=first["pageInfo"]["endCursor"])["agreements"]
    assert second["nodes"] == [{"code": "A1"}] and not second["pageInfo"]["hasNextPage"]
    assert gql.errors(q, after="bm90LWEtY3Vyc29y") == [
        "cursor 'bm90LWEtY3Vyc29y' is not in this list (游标不在此列表中)"
    ]


def test_wrong_requests_are_errors_not_empty_answers(gql: GraphQL) -> None:
    both = (
        "{ departments(orderBy: [{field: NAME, count: {path: [PAIRED_WITH_OUT]}}]) { totalCount } }"
    )
    assert "not both" in gql.errors(both)[0]
    nowhere = "{ departments(orderBy: [{count: {path: [PART_OF_OUT]}}]) { totalCount } }"
    assert "does not lead anywhere from Department" in gql.errors(nowhere)[0]
    three = "[PARTY_TO_OUT, PARTY_TO_IN, PARTY_TO_OUT]"
    long = "{ units(orderBy: [{count: {path: " + three + "}}]) { totalCount } }"
    assert "1 to 2 relationship steps" in gql.errors(long)[0]
    within = '{ buildings(where: {OR: [{within: "community:nowhere"}]}) { totalCount } }'
    assert gql.errors(within) == [
        "within: no grid with id 'community:nowhere' (找不到网格 'community:nowhere')"
    ]
    personal = '{ agreements(where: {OR: [{contact: {eq: "1"}}]}) { totalCount } }'
    assert "personal data" in gql.errors(personal)[0]


def test_nesting_is_bounded(gql: GraphQL) -> None:
    deep = '{name: {eq: "x"}}'
    for _ in range(8):
        deep = "{NOT: " + deep + "}"
    errors = gql.errors("{ communities(where: " + deep + ") { totalCount } }")
    assert "nests deeper than 6 levels" in errors[0]


def test_relationship_filters_and_counts_count_in_the_query_cost(gql: GraphQL) -> None:
    """The fixture allows a cost of 50,000; each relationship filter or counted step costs
    1,000, nested in a page it is paid per node."""
    few = "{ communities(where: {OR: [" + "{partyTo_SOME: {}}, " * 40 + "]}) { totalCount } }"
    assert gql.data(few)["communities"]["totalCount"] == 1
    many = "{ communities(where: {OR: [" + "{partyTo_SOME: {}}, " * 60 + "]}) { totalCount } }"
    assert "above the maximum cost of 50,000" in gql.errors(many)[0]
    per_node = """{ departments(first: 60) { nodes {
        reachCount(path: [PAIRED_WITH_OUT]) } } }"""
    assert "maximum cost" in gql.errors(per_node)[0]
    small_page = "{ departments(first: 10) { nodes { reachCount(path: [PAIRED_WITH_OUT]) } } }"
    assert len(gql.data(small_page)["departments"]["nodes"]) == 3


def test_personal_data_neither_filters_nor_orders_without_the_role(gql: GraphQL) -> None:
    """Masked values cannot be told apart by filtering or sorting on them; an admin may."""
    order = "{ agreements(orderBy: [{field: CONTACT_PHONE}]) { nodes { code } } }"
    assert "ordering by contact_phone needs a role" in gql.errors(order)[0]
    nested = '{ communities(where: {partyTo_SOME: {contact: {eq: "x"}}}) { totalCount } }'
    assert "filtering on contact needs a role" in gql.errors(nested)[0]
    admin = {"Authorization": f"Bearer {ADMIN}"}
    body = gql.client.post("/graphql", json={"query": order}, headers=admin).json()
    assert "errors" not in body and len(body["data"]["agreements"]["nodes"]) == 3


def test_order_by_a_related_count_with_a_typed_where(gql: GraphQL) -> None:
    """``related`` counts the nodes one relationship field leads to that match a where of the
    other end's own kind: what ``<field>Aggregate(where:)`` shows."""
    q = """{ communities(asOf: "2024-06-01", orderBy: [{related: {partyTo:
        {signedOn: {from: "2024-01-01"}}}, direction: DESC}]) { nodes { name
        partyToAggregate(asOf: "2024-06-01", where: {signedOn: {from: "2024-01-01"}}) {
          count } } } }"""
    assert gql.data(q)["communities"]["nodes"] == [
        {"name": "黎阳社区", "partyToAggregate": {"count": 1}},
        {"name": "东方社区", "partyToAggregate": {"count": 0}},
    ]
    by_pairings = """{ departments(asOf: "2024-06-01", orderBy: [{related: {pairedWith:
        {kind: [Community]}}, direction: DESC}]) { nodes { name } } }"""
    assert names(gql.data(by_pairings), "departments") == ["区卫健委", "区民政局", "区城市管理局"]
    two = "{ departments(orderBy: [{related: {pairedWith: {}, handles: {}}}]) { totalCount } }"
    assert "exactly one relationship field" in gql.errors(two)[0]
    three = "{ departments(orderBy: [{field: NAME, related: {pairedWith: {}}}]) { totalCount } }"
    assert "one of field, count and related" in gql.errors(three)[0]
