"""What a real Neo4j server showed about the store (the suspects listed in shared/NEO4J.md).

Each test failed on the code before its fix: values Neo4j refuses only mid-import, writers
that merged over stale reads, out-of-memory errors retried for half a minute, raw driver
errors, and a data version Neo4j could not tell (so the API rebuilt its search index per
request). The value-type tests run on both stores: the rule lives in the store contract.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.contract import GraphStore
from graph.errors import IntegrityError, StoreError
from graph.exchange import ExchangeError, export_graph, import_graph
from graph.memory import MemoryStore
from graph.model import Node, new_node
from graph.neo4j import Neo4jStore, local_server
from tests.conftest import Neo4jServer


def people(n: int, prefix: str = "P") -> list[Node]:
    return [new_node("Person", code=f"{prefix}-{i:05d}", name=f"{prefix}{i}") for i in range(n)]


BAD_VALUES: list[tuple[str, Any]] = [
    ("name", {"family": "王"}),  # a map
    ("name", ["王", "李"]),  # a list where a string is declared
    ("aliases", [{"a": 1}]),  # a list of maps
    ("aliases", ["王", None]),  # a null inside a list
    ("aliases", ["王", 3]),  # a mixed list
    ("party_member", "yes"),  # a string where a boolean is declared
    ("valid_from", "1 May 2024"),  # not an ISO day
]


@pytest.mark.parametrize(("key", "value"), BAD_VALUES)
def test_a_value_neither_store_can_hold_is_refused_before_any_write(
    store: GraphStore, key: str, value: Any
) -> None:
    nodes = people(6_001)  # more than one 5,000-row UNWIND batch before the bad record
    props = {**nodes[-1].props, key: value}
    if key == "valid_from":
        bad = new_node("Agreement", code="GJ-1", name="共建协议", valid_from=value)
    else:
        bad = Node(nodes[-1].id, "Person", props)
    with pytest.raises(IntegrityError, match=key):
        store.upsert_nodes([*nodes[:-1], bad])
    assert store.counts().nodes == {}


def test_import_refuses_a_bad_value_naming_its_line_and_writes_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    source = MemoryStore(tmp_path / "source.sqlite")
    source.upsert_nodes(people(6_001))
    export = tmp_path / "graph.jsonl"
    export_graph(source, export)
    source.close()
    lines = export.read_text(encoding="utf-8").splitlines()
    last_node = max(i for i, line in enumerate(lines) if '"record":"node"' in line.replace(" ", ""))
    record = json.loads(lines[last_node])
    record["props"]["aliases"] = [{"nested": "map"}]
    lines[last_node] = json.dumps(record, ensure_ascii=False)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ExchangeError) as caught:
        import_graph(store, export)
    assert f"line {last_node + 1}" in str(caught.value)
    assert "aliases" in str(caught.value)
    assert store.counts().nodes == {}


# -- Neo4j only ---------------------------------------------------------------------------------


@pytest.fixture
def two_handles(neo4j_server: Neo4jServer) -> Iterator[list[GraphStore]]:
    """Two stores on one emptied Neo4j database, as two processes would hold them."""
    settings = neo4j_server.settings()
    handles: list[GraphStore] = [Neo4jStore.from_settings(settings) for _ in range(2)]
    handles[0].delete_nodes([n.id for n in handles[0].iter_nodes()])
    yield handles
    for handle in handles:
        handle.close()


@pytest.mark.neo4j
def test_a_writer_between_another_writers_read_and_write_loses_nothing(
    two_handles: list[GraphStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """B reads the node, then A changes the name before B writes. B must not write its stale
    copy back: A waits for B's unit of work (or B re-reads); both changes survive."""
    import graph.neo4j.store as neo4j_store

    first, second = two_handles
    [person] = people(1)
    first.upsert_nodes([person])
    b_between, a_done = threading.Event(), threading.Event()
    real_run = neo4j_store.run

    def run_pausing_b(tx: Any, name: str, **params: Any) -> list[Any]:
        if name.startswith("nodes.put") and threading.current_thread().name == "B":
            b_between.set()  # B has read the node and is about to write it
            a_done.wait(timeout=3)  # with the fix A cannot commit meanwhile: it waits for B
        return real_run(tx, name, **params)

    monkeypatch.setattr(neo4j_store, "run", run_pausing_b)
    errors: list[BaseException] = []

    def write(store: GraphStore, props: dict[str, Any], done: threading.Event | None) -> None:
        try:
            store.upsert_nodes([Node(person.id, "Person", props)])
        except BaseException as e:  # reported below: a thread's exception is otherwise lost
            errors.append(e)
        finally:
            if done is not None:
                done.set()

    b = threading.Thread(target=write, args=(second, {"party_member": True}, None), name="B")
    b.start()
    assert b_between.wait(timeout=60)
    a = threading.Thread(target=write, args=(first, {"name": "新名字"}, a_done), name="A")
    a.start()
    b.join()
    a.join()
    assert not errors
    final = first.get_nodes([person.id])[person.id]
    assert final.props["name"] == "新名字"
    assert final.props["party_member"] is True


@pytest.mark.neo4j
def test_the_data_version_moves_with_every_commit_from_any_handle(
    two_handles: list[GraphStore],
) -> None:
    first, second = two_handles
    before = first.version()
    assert before is not None
    second.upsert_nodes(people(2))
    after = first.version()
    assert after is not None and after > before
    assert first.version() == after  # reads do not move it


@pytest.mark.neo4j
def test_a_rejected_statement_is_one_line_not_a_driver_error(
    neo4j_server: Neo4jServer, tmp_path: Path
) -> None:
    """A server-side refusal (here: a missing database) reaches callers as a gridgraph error."""
    from graph.errors import StoreUnavailable

    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore.from_settings(neo4j_server.settings(NEO4J_DATABASE="nosuchdatabase"))
    assert "\n" not in str(caught.value)
    assert "nosuchdatabase" in str(caught.value)


@pytest.fixture(scope="module")
def small_memory_server(
    _neo4j_server: Neo4jServer | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Neo4jServer]:
    """A second local Neo4j whose transactions may use 16 MiB in all."""
    if isinstance(_neo4j_server, str):
        pytest.skip(_neo4j_server)
    try:
        local = local_server.start(tmp_path_factory.mktemp("neo4j-small"), tx_memory_mb=16)
    except local_server.LocalNeo4jError as e:
        pytest.fail(str(e))
    yield Neo4jServer(local.uri, local.user, local.password)
    local.stop()


@pytest.mark.neo4j
def test_a_unit_of_work_beyond_transaction_memory_fails_at_once_with_advice(
    small_memory_server: Neo4jServer, caplog: pytest.LogCaptureFixture
) -> None:
    store = Neo4jStore.from_settings(small_memory_server.settings())
    try:
        caplog.set_level(logging.WARNING, logger="neo4j")
        big = [
            new_node("Person", code=f"M-{i:06d}", name="名" * 200, aliases=["别名" * 50] * 4)
            for i in range(30_000)
        ]
        with pytest.raises(StoreError) as caught:
            store.upsert_nodes(big)
        message = str(caught.value)
        assert "transaction memory" in message and "nothing was written" in message
        assert "\n" not in message
        assert not [r for r in caplog.records if "will be retried" in r.getMessage()]
        assert store.counts().nodes == {}
    finally:
        store.close()


@pytest.mark.neo4j
def test_the_pinyin_index_is_built_once_per_version_of_the_data(
    two_handles: list[GraphStore],
) -> None:
    """Before Neo4j could tell its version, every pinyin search re-read the whole graph."""
    from api.search import search_nodes
    from api.state import ApiState
    from graph.settings import Settings

    store, writer = two_handles
    store.upsert_nodes([new_node("Community", division_code="410611001001", name="黎阳社区")])
    reads: list[str | None] = []
    real_iter_nodes = store.iter_nodes

    def counting_iter_nodes(kind: str | None = None) -> Iterator[Node]:
        reads.append(kind)
        return real_iter_nodes(kind)

    store.iter_nodes = counting_iter_nodes  # type: ignore[method-assign]
    state = ApiState(store, Settings())
    for _ in range(3):
        assert [n.name for n in search_nodes(state, "liyang", None, 5)] == ["黎阳社区"]
    assert len(reads) == 1
    writer.upsert_nodes([new_node("Community", division_code="410611001002", name="李阳社区")])
    assert len(search_nodes(state, "liyang", None, 5)) == 2
    assert len(reads) == 2


@pytest.mark.neo4j
def test_the_local_server_starts_again_on_a_kept_home_with_its_data(
    _neo4j_server: Neo4jServer | str, tmp_path: Path
) -> None:
    """``make neo4j`` keeps ``data/neo4j``: its second start used to set the same password
    again, which Neo4j refuses, and then hang without ever saying ready."""
    if isinstance(_neo4j_server, str):
        pytest.skip(_neo4j_server)
    home = tmp_path / "kept"
    for start in range(2):
        try:
            local = local_server.start(home, timeout=120)
        except local_server.LocalNeo4jError as e:
            pytest.fail(f"start {start + 1}: {e}")
        try:
            store = Neo4jStore.from_settings(
                Neo4jServer(local.uri, local.user, local.password).settings()
            )
            if start == 0:
                store.upsert_nodes(people(1, "K"))
            assert [n.props["name"] for n in store.iter_nodes()] == ["K0"]
            store.close()
        finally:
            local.stop()
