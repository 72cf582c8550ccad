"""One request costs one store call per nesting level and relationship kind, not one per node."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import Node, Relationship, new_node
from tests.api.serving import in_process
from tests.small_graph import seed_small_graph

COMMUNITIES, COMPOUNDS, BUILDINGS = 8, 4, 5


class CountingStore:
    """Proxy that counts the calls to the wrapped store, by method name: every call, or only
    those named in ``only`` (e.g. the contract's reads, ``graph.contract.READ_METHODS``)."""

    def __init__(self, store: GraphStore, only: Collection[str] | None = None) -> None:
        self._store = store
        self.only = only
        self.calls: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr) or (self.only is not None and name not in self.only):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attr(*args, **kwargs)

        return counted


def _many_grids() -> tuple[list[Node], list[Relationship]]:
    """8 communities x 4 compounds x 5 buildings, each building with a leader who holds it."""
    s = {"synthetic": True}
    nodes: list[Node] = []
    rels: list[Relationship] = []
    dept = new_node("Department", code="D99", name="某局", **s)
    nodes.append(dept)
    for c in range(COMMUNITIES):
        code = f"4106110020{c:02d}"
        com = new_node("Community", division_code=code, name=f"社区{c}", **s)
        nodes.append(com)
        rels.append(Relationship("PAIRED_WITH", dept.id, com.id, {"valid_from": "2020-01-01"}))
        for k in range(COMPOUNDS):
            cpd = new_node("Compound", community_code=code, compound_no=f"{k:03d}", **s)
            nodes.append(cpd)
            rels.append(Relationship("PART_OF", cpd.id, com.id))
            for b in range(BUILDINGS):
                bld = new_node("Building", community_code=code, compound_no=f"{k:03d}",
                               building_no=f"{b:02d}", name=f"{b}号楼", **s)  # fmt: skip
                post = new_node("Post", post_type="building_leader", code=bld.id.split(":")[1])
                person = new_node("Person", code=f"P-{bld.id}", name=f"楼长{b}", **s)
                nodes += [bld, post, person]
                rels += [
                    Relationship("PART_OF", bld.id, cpd.id),
                    Relationship("POST_IN", post.id, bld.id),
                    Relationship("HOLDS", person.id, post.id, {"valid_from": "2021-01-01"}),
                ]
    return nodes, rels


@pytest.fixture(scope="module")
def counting() -> Iterator[tuple[CountingStore, httpx.Client]]:
    store = MemoryStore()
    seed_small_graph(store)
    nodes, rels = _many_grids()
    with store.transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    proxy = CountingStore(store)
    with in_process(create_app(proxy, response_cache=False)) as client:  # type: ignore[arg-type]
        yield proxy, client
    store.close()


NESTED = """
{
  communities(first: 20, where: {divisionCode: {contains: "4106110020"}}) {
    totalCount
    nodes {
      name
      pairedBy(asOf: "2024-01-01", first: 5) { name }
      parts(first: 10) {
        id
        ... on Compound {
          parts(first: 10) {
            name posts(first: 5) { name heldBy(asOf: "2024-01-01", first: 5) { name } }
            coveredBy(first: 5) { id }
          }
        }
      }
    }
  }
}
"""


def test_nested_query_costs_one_call_per_level_and_kind(
    counting: tuple[CountingStore, httpx.Client],
) -> None:
    proxy, client = counting
    proxy.calls.clear()
    body = client.post("/graphql", json={"query": NESTED}).json()
    assert "errors" not in body, body
    communities = body["data"]["communities"]["nodes"]
    buildings = [b for c in communities for cpd in c["parts"] for b in cpd["parts"]]
    assert len(communities) == COMMUNITIES
    assert len(buildings) == COMMUNITIES * COMPOUNDS * BUILDINGS
    assert all(b["posts"][0]["heldBy"][0]["name"].startswith("楼长") for b in buildings)
    assert {c["pairedBy"][0]["name"] for c in communities} == {"某局"}
    # One list_nodes for the page and its total (a `contains` filter goes to the store whole),
    # then one neighbours call per level and relationship kind: pairedBy, compounds,
    # buildings, posts, holders, coveredBy.
    assert proxy.calls == Counter({"list_nodes": 1, "neighbours": 6})


def test_repeated_coverage_is_answered_from_the_cache(
    counting: tuple[CountingStore, httpx.Client],
) -> None:
    proxy, client = counting
    query = '{ coverage(building: "building:410611001001-007-03", asOf: "2024-01-01") { asOf } }'
    client.post("/graphql", json={"query": query})
    proxy.calls.clear()
    body = client.post("/graphql", json={"query": query}).json()
    assert body == {"data": {"coverage": {"asOf": "2024-01-01"}}}
    assert proxy.calls == Counter({"version": 1})


def test_a_within_asked_of_every_node_is_checked_with_one_store_call(
    counting: tuple[CountingStore, httpx.Client],
) -> None:
    """``within`` must name a grid; asked in a nested aggregate, once per node of the page,
    the grid is read through the request's node loader: one get_nodes in all."""
    proxy, client = counting
    communities = '{ communities(first: 20, where: {divisionCode: {contains: "4106110020"}}) '
    page = communities + "{ nodes { id } } }"
    first = client.post("/graphql", json={"query": page}).json()["data"]["communities"]["nodes"][0]
    query = communities + (
        f'{{ nodes {{ partsAggregate(where: {{within: "{first["id"]}"}}) {{ count }} }} }} }}'
    )
    proxy.calls.clear()
    body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    counts = [n["partsAggregate"]["count"] for n in body["data"]["communities"]["nodes"]]
    assert len(counts) == COMMUNITIES and counts.count(COMPOUNDS) == 1
    assert proxy.calls == Counter({"list_nodes": 1, "get_nodes": 1, "reach_aggregates": 1})
