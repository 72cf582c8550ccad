"""Fixtures shared by the whole suite: stores, parameterised over every implementation.

``store`` yields an empty store of each kind. The Neo4j one runs against a real Neo4j 5: the
server ``NEO4J_URI`` (with ``NEO4J_USER`` and ``NEO4J_PASSWORD``) names, or else the project's
own (``tools/neo4j``), started once per test worker on a free port and stopped at the end.
Every test that needs it carries ``@pytest.mark.neo4j`` (added here to each Neo4j parameter),
so ``pytest -m neo4j`` selects exactly them. Under ``CI`` a Neo4j that cannot start fails those
tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.settings import Settings

STORE_KINDS = ["memory", "neo4j"]

StoreOpener = Callable[[], GraphStore]


@dataclass(frozen=True)
class Neo4jServer:
    """Where the suite's Neo4j answers, and how to log in."""

    uri: str
    user: str
    password: str

    def settings(self, **overrides: object) -> Settings:
        return Settings(
            NEO4J_URI=self.uri,
            NEO4J_USER=self.user,
            NEO4J_PASSWORD=self.password,
            **overrides,  # type: ignore[arg-type]
        )

    def env(self) -> dict[str, str]:
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every Neo4j parameter of a store fixture, so ``-m neo4j`` selects exactly them."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "neo4j" in callspec.params.values():
            item.add_marker(pytest.mark.neo4j)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Neo4j is required under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer | str]:
    """The live server for this worker, or the reason there is none (reported per test)."""
    if os.environ.get("NEO4J_URI"):
        yield Neo4jServer(
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
        )
        return
    from graph.neo4j import local_server

    try:
        local = local_server.start(tmp_path_factory.mktemp("neo4j-home"))
    except (local_server.LocalNeo4jError, OSError) as e:
        yield f"no Neo4j: NEO4J_URI is not set and the local one (tools/neo4j) failed: {e}"
        return
    try:
        yield Neo4jServer(local.uri, local.user, local.password)
    finally:
        local.stop()


@pytest.fixture
def neo4j_server(_neo4j_server: Neo4jServer | str) -> Neo4jServer:
    """A live Neo4j 5 (the test's database is wiped by the fixtures that open stores on it)."""
    if isinstance(_neo4j_server, str):
        _unavailable(_neo4j_server)
    assert isinstance(_neo4j_server, Neo4jServer)
    return _neo4j_server


@pytest.fixture(params=STORE_KINDS)
def store_opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreOpener]:
    """Opens a new handle on one empty backing store (a file, or a Neo4j database)."""
    if request.param == "memory":
        path = tmp_path / "contract.sqlite"
        opener: StoreOpener = lambda: MemoryStore(path)  # noqa: E731
    else:
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        from graph.neo4j import Neo4jStore

        settings = server.settings()
        opener = lambda: Neo4jStore.from_settings(settings)  # noqa: E731
    first = opener()
    first.delete_nodes([n.id for n in first.iter_nodes()])
    first.close()
    yield opener


@pytest.fixture
def store(store_opener: StoreOpener) -> Iterator[GraphStore]:
    s = store_opener()
    yield s
    s.close()
