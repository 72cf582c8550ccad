"""The ``history`` field over real HTTP: a post's holders, a community's pairings and a
compound's managers over time, in one request, on the hand-built district (a pairing changes
on 2023-07-01, building 01's leader on 2024-04-01)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from api.app import create_app
from graph.memory import MemoryStore
from tests.api.conftest import GraphQL
from tests.api.serving import in_process
from tests.api.test_store_calls import CountingStore
from tests.chain_graph import LEADER_CHANGE, PAIRING_CHANGE, Built, build_small_district


@pytest.fixture(scope="module")
def district() -> Iterator[tuple[CountingStore, Built]]:
    store = MemoryStore()
    built = build_small_district(store)
    yield CountingStore(store), built
    store.close()


@pytest.fixture(scope="module")
def gql(district: tuple[CountingStore, Built]) -> Iterator[GraphQL]:
    proxy, _ = district
    app = create_app(proxy, response_cache=False)  # type: ignore[arg-type]
    with in_process(app) as client:
        yield GraphQL(client)


REVIEW = """
query Review($c: ID!, $k: ID!, $b: ID!, $since: Date, $until: Date) {
  community: node(id: $c) {
    history(types: [PAIRED_WITH], since: $since, until: $until) {
      type node { id } validFrom validTo inForce(asOf: "2023-06-30")
    }
  }
  compound: node(id: $k) { history(types: [MANAGES], direction: IN) { node { id } validFrom } }
  building: node(id: $b) {
    ... on Building {
      posts { history(types: [HOLDS], kinds: [Person]) { node { id } validFrom validTo } }
    }
  }
}
"""


def test_one_request_answers_an_accountability_review(
    gql: GraphQL, district: tuple[CountingStore, Built]
) -> None:
    _, b = district
    ids = {"c": b.id("c1"), "k": b.id("k1"), "b": b.id("b1")}
    got = gql.data(REVIEW, **ids)
    assert got["community"]["history"] == [
        {"type": "PAIRED_WITH", "node": {"id": b.id("ca")}, "validFrom": "2021-01-01",
         "validTo": "2023-06-30", "inForce": True},
        {"type": "PAIRED_WITH", "node": {"id": b.id("um")}, "validFrom": PAIRING_CHANGE,
         "validTo": None, "inForce": False},
    ]  # fmt: skip
    assert got["compound"]["history"] == [{"node": {"id": b.id("firm")}, "validFrom": "2022-01-01"}]
    [post] = got["building"]["posts"]
    assert post["history"] == [
        {"node": {"id": b.id("p_old")}, "validFrom": "2020-01-01", "validTo": "2024-03-31"},
        {"node": {"id": b.id("p_new")}, "validFrom": LEADER_CHANGE, "validTo": None},
    ]


def test_a_period_narrows_the_history(gql: GraphQL, district: tuple[CountingStore, Built]) -> None:
    _, b = district
    ids = {"c": b.id("c1"), "k": b.id("k1"), "b": b.id("b1")}
    later = gql.data(REVIEW, since="2024-01-01", **ids)["community"]["history"]
    assert [h["node"]["id"] for h in later] == [b.id("um")]
    earlier = gql.data(REVIEW, until="2023年6月30日", **ids)["community"]["history"]
    assert [h["node"]["id"] for h in earlier] == [b.id("ca")]


def test_a_reversed_period_is_an_error_in_both_languages(
    gql: GraphQL, district: tuple[CountingStore, Built]
) -> None:
    _, b = district
    ids = {"c": b.id("c1"), "k": b.id("k1"), "b": b.id("b1")}
    [message] = gql.errors(REVIEW, since="2024-01-01", until="2023-01-01", **ids)
    assert "晚于截止日期" in message and "since (2024-01-01) is after until (2023-01-01)" in message


def test_history_of_many_nodes_costs_one_store_call_per_level(
    gql: GraphQL, district: tuple[CountingStore, Built]
) -> None:
    proxy, b = district
    buildings = [k for k, n in b.nodes.items() if n.kind == "Building"]
    fields = " ".join(
        f'{k}: node(id: "{b.id(k)}") {{ ... on Building {{ posts {{ history(types: [HOLDS]) '
        "{ node { id } } } } }"
        for k in buildings[:5]
    )
    proxy.calls.clear()
    gql.data("{ " + fields + " }")
    calls = Counter(proxy.calls)
    assert calls["neighbours"] == 2  # the posts of every building, the holders of every post
