"""Search on the served reference graph finds the thing first: the place before what is named
after it, departments by their everyday short names, communities by short names, anything by
its code, traditional characters as simplified ones; each result has a score; pages follow
``after``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from graph.memory import MemoryStore
from loaders.reference import seed_reference_graph
from tests.api.conftest import GraphQL
from tests.api.serving import in_process

RESULTS = """query($t: String!, $k: [Kind!], $n: Int!, $a: String) {
  searchResults(text: $t, kinds: $k, first: $n, after: $a) {
    hits { score matched node { id kind name } } endCursor hasNextPage } }"""


@pytest.fixture(scope="module")
def qibin() -> Iterator[GraphQL]:
    store = MemoryStore()
    seed_reference_graph(store)
    with in_process(create_app(store)) as c:
        yield GraphQL(c)
    store.close()


def hits(gql: GraphQL, text: str, first: int = 5, **more: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = gql.data(RESULTS, t=text, n=first, **more)["searchResults"][
        "hits"
    ]
    return found


@pytest.mark.parametrize(
    ("text", "first_id"),
    [
        ("黎阳社区", "community:410611001001"),  # before 黎阳社区大党委, its agreements, buildings
        ("黎阳", "community:410611001001"),  # a community's short name
        ("淇滨区", "district:410611"),  # before every department named 淇滨区…
        ("城管", "department:410611-D01"),
        ("民政", "department:410611-D06"),
        ("卫健", "department:410611-D07"),
        ("黎陽社區", "community:410611001001"),  # traditional characters
        ("410611001001", "community:410611001001"),  # a division code
        ("GJ-410611-00001", "agreement:GJ-410611-00001"),  # an agreement number
        ("12410611QB00007066", "unit:12410611QB00007066"),  # a unified social credit code
        ("liyang", "community:410611001001"),  # pinyin
    ],
)
def test_the_thing_itself_comes_first(qibin: GraphQL, text: str, first_id: str) -> None:
    found = hits(qibin, text)
    assert found[0]["node"]["id"] == first_id, found
    assert found[0]["score"] >= 0.9
    assert [h["score"] for h in found] == sorted((h["score"] for h in found), reverse=True)


def test_search_field_has_the_same_order(qibin: GraphQL) -> None:
    query = '{ search(text: "黎阳社区", first: 5) { id } }'
    assert [n["id"] for n in qibin.data(query)["search"]] == [
        h["node"]["id"] for h in hits(qibin, "黎阳社区")
    ]


def test_pages_follow_after_without_repeats(qibin: GraphQL) -> None:
    seen: list[str] = []
    after = None
    for _ in range(4):
        page = qibin.data(RESULTS, t="黎阳", n=3, a=after)["searchResults"]
        seen += [h["node"]["id"] for h in page["hits"]]
        assert page["hasNextPage"]
        after = page["endCursor"]
    assert len(seen) == len(set(seen)) == 12
    assert seen == [h["node"]["id"] for h in hits(qibin, "黎阳", first=12)]
    assert "not a search cursor" in qibin.errors(RESULTS, t="黎阳", n=3, a="bogus")[0]
