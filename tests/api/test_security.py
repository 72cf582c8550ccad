"""The six findings of issue 12, reproduced over real HTTP on 127.0.0.1, each refused, bounded or
losing nothing, with ``/healthz`` answering fast while an attack runs."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from api.app import create_app
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import new_node
from graph.settings import Settings
from graph.startup import open_for_serving
from loaders import load_file
from loaders.reference import seed_reference_graph
from schema.codes import uscc_with_check
from tests.api.serving import served
from tests.api.test_store_calls import CountingStore
from tests.conftest import Neo4jServer
from tests.small_graph import seed_small_graph

ADMIN = "admin-token-sec-41"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
ROOT = Path(__file__).resolve().parents[2]
GRIDGRAPH = [sys.executable, "-m", "cli"]


# -- 3. two processes on one store file --------------------------------------------------------
UNITS = [uscc_with_check(f"91410611MA{i:07d}") for i in range(20)]
COMMUNITIES = [f"合成社区{i:02d}" for i in range(8)]
SHARED = 20  # agreements both the load and the API change, in different fields


def _seed_units(store: MemoryStore) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(
            new_node("Unit", uscc=u, name=f"合成共建单位{i:04d}", synthetic=True)
            for i, u in enumerate(UNITS)
        )
        tx.upsert_nodes(
            new_node("Community", division_code=f"410611001{i:03d}", name=c, synthetic=True)
            for i, c in enumerate(COMMUNITIES)
        )


def _agreements_csv(codes: list[str], topics: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["协议编号", "统一社会信用代码", "社区", "签订日期", "生效日期", "共建内容"])
    for i, code in enumerate(codes):
        w.writerow([code, UNITS[i % len(UNITS)], COMMUNITIES[i % len(COMMUNITIES)],
                    "2023-05-01", "2023-05-01", topics])  # fmt: skip
    return out.getvalue().encode()


END = """
mutation End($code: String!, $on: Date!) {
  endAgreement(code: $code, on: $on) { changed }
}
"""


def test_a_load_and_api_mutations_at_once_lose_nothing(tmp_path: Path) -> None:
    """A ``gridgraph load`` in another process rewrites the topics of agreements the API is
    ending at the same moment: afterwards every agreement has both changes, on disk and as the
    server serves it, and the load finished without a traceback."""
    path = tmp_path / "store.sqlite"
    shared = [f"P-{i:03d}" for i in range(SHARED)]
    store = MemoryStore(path)
    _seed_units(store)
    first = tmp_path / "first.csv"
    first.write_bytes(_agreements_csv(shared, "旧内容"))
    assert load_file(store, first, kind="agreements").status == "loaded"
    bulk = tmp_path / "bulk.csv"
    fresh = [f"N-{i:05d}" for i in range(6000)]
    bulk.write_bytes(_agreements_csv(shared + fresh, "新内容"))

    last_end: dict[str, str] = {}
    settings = Settings(admin_token=ADMIN)
    with served(create_app(store, settings)) as url, httpx.Client(base_url=url, timeout=60) as c:
        loader = subprocess.Popen(
            [*GRIDGRAPH, "load", str(bulk), "--store", str(path), "--on-conflict", "update"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
        )  # fmt: skip
        day = 1
        while loader.poll() is None or day < 3:
            for code in shared:
                on = (date(2025, 1, 1) + timedelta(days=day)).isoformat()
                r = c.post("/graphql", json={"query": END, "variables": {"code": code, "on": on}},
                           headers=AUTH)  # fmt: skip
                body = r.json()
                assert r.status_code == 200 and "errors" not in body, body
                last_end[code] = on
            day += 1
            assert day < 1000, "the load did not finish"
        _, err = loader.communicate(timeout=120)
        assert loader.returncode == 0, err.decode()
        assert b"Traceback" not in err
        served_view = c.post("/graphql", json={"query": CHECK, "variables": {"codes": shared}})
        served_view.raise_for_status()

    on_disk = MemoryStore(path)
    try:
        nodes = on_disk.get_nodes([f"agreement:{code}" for code in shared + fresh])
        assert len(nodes) == len(shared) + len(fresh)
        for code in shared:
            props = nodes[f"agreement:{code}"].props
            assert (props.get("topics"), props.get("valid_to")) == (["新内容"], last_end[code])
        for code in fresh:
            assert nodes[f"agreement:{code}"].props["topics"] == ["新内容"]
    finally:
        on_disk.close()
    got = {n["code"]: (n["topics"], n["validTo"])
           for n in served_view.json()["data"]["agreements"]["nodes"]}  # fmt: skip
    assert got == {code: (["新内容"], last_end[code]) for code in shared}
    store.close()


CHECK = """
query Check($codes: [String!]) {
  agreements(where: {code: {in: $codes}}, first: 100) { nodes { code topics validTo } }
}
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GRIDGRAPH_STORE_PATH", None)
    env["PYTHONPATH"] = str(ROOT)
    return env


# -- 6. safe start -----------------------------------------------------------------------------
def _serve(path: Path) -> subprocess.CompletedProcess[str]:
    """``gridgraph serve`` on ``path``: expected to refuse before it listens."""
    return subprocess.run(
        [*GRIDGRAPH, "serve", "--store", str(path), "--port", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip


def _refused_naming(result: subprocess.CompletedProcess[str], path: Path, text: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and text in result.stderr, result.stderr
    assert "seeded" not in result.stdout


def test_a_zero_byte_store_file_is_an_error_not_a_reseed(tmp_path: Path) -> None:
    path = tmp_path / "gridgraph.sqlite"
    path.write_bytes(b"")
    _refused_naming(_serve(path), path, "is empty (0 bytes)")
    assert path.stat().st_size == 0


def test_a_copy_without_its_wal_is_an_error_and_a_backup_is_whole(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite"
    store = MemoryStore(live)  # held open: its commits stay in live.sqlite-wal
    _seed_units(store)
    assert Path(f"{live}-wal").stat().st_size > 0
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(live.read_bytes())
    _refused_naming(_serve(copy), copy, "holds no graph")

    backup = tmp_path / "backup.sqlite"
    result = subprocess.run(
        [*GRIDGRAPH, "backup", str(backup), "--store", str(live)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not Path(f"{backup}-wal").exists()
    restored = MemoryStore(backup)
    assert restored.counts() == store.counts()
    assert sum(restored.counts().nodes.values()) == len(UNITS) + len(COMMUNITIES)
    restored.close()
    store.close()


def test_a_truncated_store_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "gridgraph.sqlite"
    store = MemoryStore(path)
    with store.transaction() as tx:
        tx.upsert_nodes(
            new_node("Unit", uscc=uscc_with_check(f"91410611MA{i:07d}"), name="单位" * 40)
            for i in range(3000)
        )
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _refused_naming(_serve(path), path, "store file")


def test_only_a_new_store_file_is_seeded_on_start(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "new.sqlite")
    seeded: list[int] = []
    store, did = open_for_serving(settings, lambda s: seeded.append(_seed_units_count(s)))
    assert did and seeded == [len(UNITS) + len(COMMUNITIES)]
    store.close()
    again, did = open_for_serving(settings, lambda s: seeded.append(0))
    assert not did and seeded == [len(UNITS) + len(COMMUNITIES)]
    again.close()


def test_a_seeded_store_is_served_as_read_back_from_its_file(tmp_path: Path) -> None:
    """What a loader built holds its own objects; read back, repeated values are one object
    (graph.memory), which is what a served store should hold."""

    def seed(store: GraphStore) -> None:
        store.upsert_nodes(  # equal names, each a string object of its own
            new_node(
                "Community", division_code=f"4106110010{i:02d}", name="".join(["合成", "社区"])
            )
            for i in range(5)
        )

    store, did = open_for_serving(Settings(store_path=tmp_path / "new.sqlite"), seed)
    assert did and isinstance(store, MemoryStore)
    names = [n.props["name"] for n in store.iter_nodes()]
    assert names == ["合成社区"] * 5 and len({id(name) for name in names}) == 1
    store.close()


def _seed_units_count(store: GraphStore) -> int:
    assert isinstance(store, MemoryStore)
    _seed_units(store)
    return sum(store.counts().nodes.values())


# -- 1, 2, 4: hostile queries and headers against the Qibin reference graph --------------------
READ = "read-token-sec-77"
READER = {"Authorization": f"Bearer {READ}"}


@pytest.fixture(scope="module")
def qibin_url() -> Iterator[str]:
    store = MemoryStore()
    seed_reference_graph(store)
    settings = Settings(
        admin_token=ADMIN, read_token=READ, failed_token_limit=5, max_query_bytes=50_000
    )
    with served(create_app(store, settings)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def client(qibin_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=qibin_url, timeout=60, headers=READER) as c:
        yield c


def fragment_bomb(n: int) -> str:
    frags = ["fragment F0 on District { name id }"]
    frags += [f"fragment F{i} on District {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, n)]
    return f"{{ districts {{ nodes {{ ...F{n - 1} }} }} }}\n" + "\n".join(frags)


def bounce(levels: int) -> str:
    """Down to the children and back up to the parent, ``levels`` times."""
    return (
        "{ districts { nodes { "
        + "children { parent { " * levels
        + "name"
        + " } }" * levels
        + " } } }"
    )


def _post(c: httpx.Client, query: str, **kwargs: object) -> tuple[httpx.Response, float]:
    start = time.perf_counter()
    response = c.post("/graphql", json={"query": query}, **kwargs)  # type: ignore[arg-type]
    return response, time.perf_counter() - start


def _codes(response: httpx.Response) -> list[str]:
    return [e.get("extensions", {}).get("code", "") for e in response.json().get("errors", [])]


def test_a_forty_fragment_bomb_is_answered_at_once(client: httpx.Client) -> None:
    query = fragment_bomb(40)
    assert len(query) < 2000
    response, took = _post(client, query)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["districts"]["nodes"][0]["name"] == "淇滨区"
    assert took < 5  # measured once per fragment: linear, not 2^40


def test_a_deep_bounce_and_its_aliases_are_refused_before_running(client: httpx.Client) -> None:
    response, _ = _post(client, bounce(4))  # depth 11
    assert _codes(response) == ["QUERY_TOO_LARGE"]
    assert "maximum cost" in response.json()["errors"][0]["message"]
    assert response.json()["data"] is None
    three = "{ " + " ".join(f"a{i}: " + bounce(3)[2:-2] for i in range(3)) + " }"
    assert _codes(_post(client, three)[0]) == ["QUERY_TOO_LARGE"]
    # bounded with `first`, the same shape runs
    small = (
        "{ districts { nodes { children(first: 2) { parent { children(first: 2) { name } } } } } }"
    )
    response, _ = _post(client, small)
    assert "errors" not in response.json(), response.text


def test_a_month_of_gaps_in_one_request_is_refused(client: httpx.Client) -> None:
    days = " ".join(f'd{i}: gaps(asOf: "2024-06-{i:02d}") {{ totalCount }}' for i in range(1, 29))
    response, _ = _post(client, "{ " + days + " }")
    assert _codes(response) == ["QUERY_TOO_LARGE"]


def test_ten_megabytes_of_query_are_refused_before_parsing_and_auth_comes_first(
    qibin_url: str,
) -> None:
    huge = "{ " + "__typename " * 1_000_000 + "}"  # 11 MB
    with httpx.Client(base_url=qibin_url, timeout=60) as anonymous:
        response, took = _post(anonymous, huge)
        assert response.status_code == 401  # who is asking comes before reading the body
        response, took = _post(anonymous, huge, headers=READER)
        assert response.status_code == 413
        assert "larger than 50,000 bytes" in response.json()["errors"][0]["message"]
        assert took < 5
        got = anonymous.get("/graphql", params={"query": huge[:60_000]}, headers=READER)
        assert got.status_code == 413


def test_duplicated_and_malformed_authorization_headers_are_refused(qibin_url: str) -> None:
    query = {"query": '{ node(id: "district:410611") { name } }'}
    with httpx.Client(base_url=qibin_url, timeout=60) as c:
        answer = c.post("/graphql", json=query, headers=READER)
        assert answer.json() == {"data": {"node": {"name": "淇滨区"}}}  # now cached for the reader
        for headers in (
            [("Authorization", f"Bearer {READ}"), ("Authorization", "")],
            [("Authorization", ""), ("Authorization", f"Bearer {READ}")],
            [("Authorization", f"Bearer {READ}"), ("Authorization", f"Bearer {READ}")],
        ):
            response = c.post("/graphql", json=query, headers=headers)
            assert response.status_code == 400, response.text
            assert "data" not in response.text or response.json()["data"] is None
        for value in ("", "Bearer", f"Basic {READ}", f"Bearer {READ} x", f"Bearer{READ}"):
            response = c.post("/graphql", json=query, headers={"Authorization": value})
            assert response.status_code == 401, (value, response.text)
        response = c.post("/graphql", json=query)  # anonymous: never the reader's cached answer
        assert response.status_code == 401 and response.json()["data"] is None


def test_refused_tokens_are_rate_limited(qibin_url: str) -> None:
    query = {"query": "{ __typename }"}
    # a client address of its own: the limit is per client
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=qibin_url.replace("127.0.0.1", "127.0.0.1"), transport=transport,
                      timeout=60) as c:  # fmt: skip
        for i in range(5):
            response = c.post("/graphql", json=query, headers={"Authorization": f"Bearer bad{i}"})
            assert response.status_code == 403
        response = c.post("/graphql", json=query, headers=READER)
        assert response.status_code == 429 and int(response.headers["retry-after"]) >= 1
    with httpx.Client(base_url=qibin_url, timeout=60) as other:  # other clients are not locked out
        assert other.post("/graphql", json=query, headers=READER).status_code == 200


def test_healthz_answers_within_100_ms_while_attacks_run(qibin_url: str) -> None:
    heavy = [
        fragment_bomb(40),
        bounce(4),
        "{ people(first: 500) { nodes { name heldBy: holds(first: 20) { name } } } }",
        '{ gaps(asOf: "2024-06-03") { totalCount } a: gaps(asOf: "2024-06-04") { totalCount } }',
    ]
    stop = threading.Event()
    sent = [0]

    def attack(query: str) -> None:
        with httpx.Client(base_url=qibin_url, timeout=60, headers=READER) as c:
            while not stop.is_set():
                c.post("/graphql", json={"query": query})
                sent[0] += 1

    threads = [threading.Thread(target=attack, args=(q,)) for q in heavy]
    for t in threads:
        t.start()
    try:
        with httpx.Client(base_url=qibin_url, timeout=60) as probe:
            while sent[0] < len(threads):  # every attacker is under way
                probe.get("/healthz")
            times = []
            for _ in range(30):
                start = time.perf_counter()
                assert probe.get("/healthz").json()["status"] == "ok"
                times.append(time.perf_counter() - start)
    finally:
        stop.set()
        for t in threads:
            t.join()
    times.sort()
    # the median within 100 ms, and none stalled: the shared 2-core machine this suite runs on
    # gives no process a guaranteed slice, so single probes may wait on the scheduler
    assert times[len(times) // 2] < 0.1, times
    assert times[-1] < 1.0, times


def test_a_request_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    store = MemoryStore()
    seed_reference_graph(store)
    proxy = CountingStore(store)
    settings = Settings(request_timeout=0.001)
    query = '{ gaps(asOf: "2024-06-05") { totalCount } }'
    with served(create_app(proxy, settings)) as url, httpx.Client(base_url=url) as c:  # type: ignore[arg-type]
        response = c.post("/graphql", json={"query": query})
        assert _codes(response) == ["REQUEST_STOPPED"]
        assert "time limit of 0.001 s" in response.json()["errors"][0]["message"]
        assert c.get("/healthz").status_code == 200
    store.close()


def test_an_empty_neo4j_database_is_an_error_not_a_reseed(neo4j_server: Neo4jServer) -> None:
    """The same rule on the real server: an existing but empty database is named, not seeded."""
    from graph.neo4j import Neo4jStore

    store = Neo4jStore.from_settings(neo4j_server.settings())
    store.delete_nodes([n.id for n in store.iter_nodes()])
    env = {**_env(), **neo4j_server.env(), "GRIDGRAPH_STORE": "neo4j"}
    result = subprocess.run(
        [*GRIDGRAPH, "serve", "--port", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=180, env=env,
    )  # fmt: skip
    try:
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert f"the Neo4j database neo4j at {neo4j_server.uri} is empty" in result.stderr
        assert "gridgraph seed --store-kind neo4j" in result.stderr
        assert sum(store.counts().nodes.values()) == 0  # nothing was written
    finally:
        store.close()


class _SlowStore(CountingStore):
    """Every store call takes ``pause`` seconds: a request of many calls runs for seconds."""

    def __init__(self, store: MemoryStore, pause: float) -> None:
        super().__init__(store)
        self.pause = pause

    def __getattr__(self, name: str) -> Any:
        attr = super().__getattr__(name)
        if not callable(attr) or name in ("version", "close"):
            return attr

        def slow(*args: Any, **kwargs: Any) -> Any:
            time.sleep(self.pause)
            return attr(*args, **kwargs)

        return slow


def test_a_request_whose_client_hangs_up_is_stopped(tmp_path: Path) -> None:
    """Thirty searches, each a store call of 0.2 s: six seconds of work. The client sends the
    request over a raw socket and closes it after half a second; the work stops there (at
    most a call or two later), not six seconds later, and the server keeps answering."""
    store = MemoryStore()
    seed_small_graph(store)
    slow = _SlowStore(store, pause=0.2)
    settings = Settings(request_timeout=60, max_aliases=40, response_cache=False)
    fields = " ".join(f'a{i}: search(text: "社区{i}") {{ id }}' for i in range(30))
    body = orjson.dumps({"query": "{ " + fields + " }"})
    with served(create_app(slow, settings)) as url:  # type: ignore[arg-type]
        host, port = url.removeprefix("http://").split(":")
        before = sum(slow.calls.values())
        sock = socket.create_connection((host, int(port)))
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        time.sleep(0.5)
        sock.close()
        time.sleep(1.0)  # the call in flight when the client left, and the one it may start
        stopped_at = sum(slow.calls.values()) - before
        time.sleep(2.0)
        assert sum(slow.calls.values()) - before == stopped_at  # nothing more ran
        assert stopped_at < 12, stopped_at  # far from the 30 searches it would have made
        with httpx.Client(base_url=url, timeout=30) as c:
            assert c.get("/healthz").status_code == 200
