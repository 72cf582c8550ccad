"""The small graph behind the app, once per test module, asked in process (no socket)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from graph.memory import MemoryStore
from graph.settings import Settings
from tests.api.serving import in_process
from tests.small_graph import seed_small_graph

PLANNER_TOKEN = "api-tests-admin"  # reads stay open; some lists need a role (people)
LIMITS = Settings(
    max_query_depth=10, max_aliases=5, max_tokens=800, max_page_size=50, admin_token=PLANNER_TOKEN
)


@pytest.fixture(scope="module")
def small_store() -> Iterator[MemoryStore]:
    store = MemoryStore()
    seed_small_graph(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(small_store: MemoryStore) -> Iterator[httpx.Client]:
    with in_process(create_app(small_store, LIMITS)) as c:
        yield c


class GraphQL:
    """POST a query to the app; ``data`` asserts there were no errors."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def post(self, query: str, **variables: Any) -> httpx.Response:
        return self.client.post("/graphql", json={"query": query, "variables": variables})

    def data(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.post(query, **variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    def errors(self, query: str, **variables: Any) -> list[str]:
        response = self.post(query, **variables)
        assert response.status_code in (200, 400), response.text
        return [e["message"] for e in response.json()["errors"]]


@pytest.fixture(scope="module")
def gql(client: httpx.Client) -> GraphQL:
    return GraphQL(client)
