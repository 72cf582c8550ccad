"""What the Neo4j store does without a server: refuse to start with one line, and route queries.

The store contract itself runs against Neo4j in ``tests/contract/`` when ``NEO4J_URI`` is set.
Here a real driver is pointed at a closed port on 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

from graph.errors import StoreUnavailable
from graph.neo4j import Neo4jStore
from graph.queries.coverage import coverage_of_building
from graph.settings import Settings
from graph.stores import open_store

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def closed_uri() -> str:
    """A bolt URI on 127.0.0.1 where nothing listens (a port just released by the OS)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"bolt://127.0.0.1:{port}"


@pytest.fixture
def offline_store(closed_uri: str) -> Iterator[Neo4jStore]:
    """A store on a real driver that was never verified (the driver connects lazily)."""
    driver = GraphDatabase.driver(
        closed_uri, auth=("neo4j", "secret"), connection_timeout=2, max_transaction_retry_time=0
    )
    store = Neo4jStore(driver, "neo4j", batch_size=10, uri=closed_uri)
    yield store
    store.close()


def test_unreachable_server_is_one_line(closed_uri: str) -> None:
    settings = Settings(NEO4J_URI=closed_uri, NEO4J_PASSWORD="secret")
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore.from_settings(settings)
    message = str(caught.value)
    assert message.startswith(f"cannot reach Neo4j at {closed_uri}: ")
    assert message.endswith("Connection refused")
    assert "\n" not in message


def test_open_store_reports_the_same_line(closed_uri: str) -> None:
    settings = Settings(store="neo4j", NEO4J_URI=closed_uri)
    with pytest.raises(StoreUnavailable, match=f"cannot reach Neo4j at {closed_uri}"):
        open_store(settings)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (None, "NEO4J_URI is not set"),
        ("ftp://127.0.0.1:7687", "invalid NEO4J_URI 'ftp://127.0.0.1:7687': URI scheme 'ftp'"),
    ],
)
def test_bad_configuration_is_one_line(uri: str | None, message: str) -> None:
    settings = Settings(NEO4J_URI=uri)
    with pytest.raises(StoreUnavailable, match=message) as caught:
        Neo4jStore.from_settings(settings)
    assert "\n" not in str(caught.value)


def test_a_server_lost_after_start_is_one_line_too(offline_store: Neo4jStore) -> None:
    with pytest.raises(StoreUnavailable, match=r"Neo4j at bolt://127\.0\.0\.1") as caught:
        offline_store.get_nodes(["district:410611"])
    assert "\n" not in str(caught.value)
    assert not offline_store.upsert_nodes([]).changed  # an empty unit of work needs no server
    with pytest.raises(StoreUnavailable):
        offline_store.delete_nodes(["district:410611"])


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRIDGRAPH_"))}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_neo4j_init_unreachable_is_one_line(closed_uri: str) -> None:
    done = _cli("neo4j", "init", "--uri", closed_uri, "--password", "x", env={})
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: cannot reach Neo4j at {closed_uri}: ")
    assert done.stderr.endswith("Connection refused\n") and done.stderr.count("\n") == 1


def test_serve_on_an_unreachable_neo4j_is_one_line(closed_uri: str) -> None:
    done = _cli("serve", "--store-kind", "neo4j", env={"NEO4J_URI": closed_uri})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "cannot reach Neo4j" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_query_runs_the_version_registered_for_the_store_backend(
    offline_store: Neo4jStore,
) -> None:
    """A version registered for another backend is never chosen; one for ``neo4j`` replaces
    the contract-based query, gets the store first and the query's own arguments."""
    assert offline_store.backend == "neo4j"
    native = coverage_of_building.natives["neo4j"]
    calls: list[tuple[object, ...]] = []

    @coverage_of_building.native("test-echo")
    def echo(store: object, building_id: str, as_of: date | None = None) -> Any:
        calls.append((store, building_id, as_of))
        return "echo"

    try:
        assert coverage_of_building.implementation(offline_store) is native
        offline_store.backend = "test-echo"
        assert coverage_of_building(offline_store, "building:x") == "echo"
        assert calls == [(offline_store, "building:x", None)]
        with pytest.raises(ValueError, match="already"):
            coverage_of_building.native("test-echo")(echo)
    finally:
        coverage_of_building.remove_native("test-echo")
        del offline_store.backend
    assert "test-echo" not in coverage_of_building.natives


def test_batches_follow_the_configured_size(offline_store: Neo4jStore) -> None:
    assert [len(c) for c in offline_store._chunks(list(range(25)))] == [10, 10, 5]
