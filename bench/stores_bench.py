"""Benchmark both stores side by side: the API over real HTTP and a 100,000-row load (on demand).

Starts the project's own Neo4j (``tools/neo4j``; ``make neo4j`` builds it), copies the reference
graph of each scale into it, and serves the same graph twice on 127.0.0.1: from the embedded
store and from Neo4j. Each flagship query is then sent to both servers in turn, request by
request, each server's no-op POST (the floor) interleaved with it, so the two stores and their
floors share the machine's noise. Prints p50/p99 in ms, each p50 over its own floor, and the
store round trips per request (Neo4j: statements sent; embedded: store contract calls).
Finally loads 100,000 synthetic agreement rows into each store (``bench/load_bench.py``'s
file) and prints rows/s.

    PYTHONPATH=. .venv/bin/python bench/stores_bench.py --scale 1 --scale 10 --requests 200

Scale 100 needs ``--neo4j-heap 8g --neo4j-pagecache-mb 8192`` and about 20 GiB free.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import api_bench  # noqa: E402  (the bench folder is not a package)
from api_bench import HOST, Http, free_port, percentiles, seeded_store, wait_until_healthy  # noqa: E402
from fastapi import Request, Response  # noqa: E402  (module level: FastAPI reads the annotations)

from graph.neo4j import local_server  # noqa: E402


# -- the servers (each in a subprocess) ------------------------------------------------------
def serve(kind: str, store_path: str, port: int) -> None:
    """Serve the app on one store with a no-op floor route and a round-trip counter."""
    import uvicorn

    import graph.neo4j.store as neo4j_store
    from api.app import create_app
    from graph.settings import Settings
    from graph.stores import open_store

    trips = [0]
    store = open_store(Settings(store=kind, store_path=Path(store_path)))  # type: ignore[arg-type]
    if kind == "neo4j":
        real_run = neo4j_store.run

        def counted_run(tx: Any, name: str, **params: Any) -> list[Any]:
            trips[0] += 1
            return real_run(tx, name, **params)

        neo4j_store.run = counted_run  # type: ignore[assignment]
    else:
        from graph.contract import READ_METHODS

        for method in (*READ_METHODS, "version"):
            real = getattr(store, method)

            def counted(*a: Any, _real: Callable[..., Any] = real, **k: Any) -> Any:
                trips[0] += 1
                return _real(*a, **k)

            setattr(store, method, counted)  # fmt: skip
    app = create_app(store, response_cache=False)

    @app.post("/noop")
    async def noop(request: Request) -> Response:
        await request.body()
        return Response(b'{"data":{}}', media_type="application/json")

    @app.get("/trips")
    async def trip_count() -> Response:
        return Response(json.dumps(trips[0]).encode(), media_type="application/json")

    # Keep idle connections: the client alternates between the two servers, and a slow
    # request on one must not close its connection to the other.
    uvicorn.run(
        app, host=HOST, port=port, log_level="warning", access_log=False, timeout_keep_alive=600
    )


@contextmanager
def started(kind: str, store_path: Path, env: dict[str, str]) -> Iterator[int]:
    import subprocess

    port = free_port()
    command = [sys.executable, __file__, "--serve", kind, str(store_path), "--port", str(port)]
    # A busy machine must not turn a slow first request into a refusal: a generous limit.
    env = {"GRIDGRAPH_REQUEST_TIMEOUT": "600", **env}
    proc = subprocess.Popen(command, env={**os.environ, **env, "PYTHONPATH": str(ROOT)})
    try:
        wait_until_healthy(proc, port, f"the {kind} server")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def trips(port: int) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/trips")
    return int(json.loads(conn.getresponse().read()))


# -- measuring --------------------------------------------------------------------------------
def cases(client: Http) -> list[tuple[str, Callable[[Http, int], object]]]:
    sample = client.graphql(
        """{ buildings(first: 300) { nodes { id } } units(first: 50) { nodes { id } }
             eventTypes(first: 100) { nodes { id } } communities(first: 50) { nodes { name } } }"""
    )
    buildings = [b["id"] for b in sample["buildings"]["nodes"]]
    units = [u["id"] for u in sample["units"]["nodes"]]
    events = [e["id"] for e in sample["eventTypes"]["nodes"]]
    names = [c["name"] for c in sample["communities"]["nodes"]]

    def pick(items: list[str], i: int) -> str:
        return items[i % len(items)]

    return [
        ("coverage", lambda c, i: c.graphql(api_bench.COVERAGE, b=pick(buildings, i))),
        ("responsibility chain", lambda c, i: c.graphql(
            api_bench.CHAIN, b=pick(buildings, i), e=pick(events, 7 * i))),
        ("gaps (counts, 20 rows)", lambda c, i: c.graphql(api_bench.GAPS)),
        ("search (Chinese)", lambda c, i: c.graphql(api_bench.SEARCH, t=pick(names, i)[:2])),
        ("search (pinyin)", lambda c, i: c.graphql(api_bench.SEARCH, t="liyang")),
        ("sharedAgreements", lambda c, i: c.graphql(api_bench.SHARED, u=pick(units, i))),
    ]  # fmt: skip


def measure(ports: dict[str, int], requests: int, warmup: int) -> None:
    clients = {kind: Http(port) for kind, port in ports.items()}
    floor_body = {"query": "{ __typename }"}
    work = cases(clients["memory"])
    kinds = list(ports)
    print(f"{'query':<24}" + "".join(
        f"{kind + ' p50':>13}{'p99':>8}{'/floor':>8}{'trips':>7}" for kind in kinds))  # fmt: skip
    floors: dict[str, list[float]] = {k: [] for k in kinds}
    for label, call in work:
        for i in range(warmup):
            for kind in kinds:
                call(clients[kind], i)
        samples: dict[str, list[float]] = {k: [] for k in kinds}
        before = {k: trips(ports[k]) for k in kinds}
        for i in range(requests):
            for kind in kinds:
                client = clients[kind]
                start = time.perf_counter()
                client.post("/noop", floor_body)
                floors[kind].append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                call(client, warmup + i)
                samples[kind].append((time.perf_counter() - start) * 1000)
        row = f"{label:<24}"
        for kind in kinds:
            p50, p99 = percentiles(samples[kind])
            floor50, _ = percentiles(floors[kind][-requests:])
            per_request = (trips(ports[kind]) - before[kind]) / requests
            row += f"{p50:>13.2f}{p99:>8.2f}{p50 / floor50:>7.1f}x{per_request:>7.1f}"
        print(row, flush=True)
    print(f"{'floor: no-op POST':<24}" + "".join(
        f"{percentiles(floors[k])[0]:>13.2f}{percentiles(floors[k])[1]:>8.2f}{'':>15}"
        for k in kinds))  # fmt: skip


def run_scale(scale: int, args: argparse.Namespace, directory: Path) -> None:
    store_path = seeded_store(scale, directory)
    with local_server.start(
        Path(tempfile.mkdtemp(prefix=f"bench-neo4j-{scale}-")),
        heap=args.neo4j_heap,
        pagecache_mb=args.neo4j_pagecache_mb,
    ) as neo4j:
        env = {"NEO4J_URI": neo4j.uri, "NEO4J_USER": neo4j.user, "NEO4J_PASSWORD": neo4j.password}
        copy_into_neo4j(store_path, env)
        with (
            started("memory", store_path, {}) as memory_port,
            started("neo4j", store_path, env) as neo4j_port,
        ):
            print(f"\nscale {scale}: {args.requests} requests per query and store after "
                  f"{args.warmup} warm-up, interleaved; ms; trips = store round trips "
                  "per request", flush=True)  # fmt: skip
            measure({"memory": memory_port, "neo4j": neo4j_port}, args.requests, args.warmup)


def copy_into_neo4j(store_path: Path, env: dict[str, str]) -> None:
    from graph.exchange import copy_graph
    from graph.memory import MemoryStore
    from graph.neo4j import Neo4jStore
    from graph.settings import Settings

    start = time.perf_counter()
    source = MemoryStore(store_path)
    target = Neo4jStore.from_settings(Settings(**env))  # type: ignore[arg-type]
    report = copy_graph(source, target)
    source.close()
    target.close()
    print(f"copied {report.nodes:,} nodes and {report.relationships:,} relationships into "
          f"Neo4j in {time.perf_counter() - start:.1f} s", flush=True)  # fmt: skip


def load_both(rows: int, args: argparse.Namespace) -> None:
    """100,000 agreement rows into a fresh embedded store and a fresh Neo4j, one after the other."""
    from load_bench import agreements_csv, seed

    from graph.memory import MemoryStore
    from graph.neo4j import Neo4jStore
    from graph.settings import Settings
    from loaders import load_file

    print(f"\nloading {rows:,} agreement rows (3 records each)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        memory = MemoryStore(Path(tmp) / "load.sqlite")
        units, communities = seed(memory)  # type: ignore[arg-type]
        data = agreements_csv(rows, units, communities)
        start = time.perf_counter()
        report = load_file(memory, data, filename="bench.csv", loaded_by="bench")
        took = time.perf_counter() - start
        assert report.status == "loaded", report.problems[:3]
        print(f"{'embedded store':<24}{took:>8.1f} s {rows / took:>10,.0f} rows/s", flush=True)
        memory.close()
        with local_server.start(
            Path(tmp) / "neo4j", heap=args.neo4j_heap, pagecache_mb=args.neo4j_pagecache_mb,
            tx_memory_mb=args.neo4j_tx_memory_mb,
        ) as neo4j:  # fmt: skip
            settings = Settings(
                NEO4J_URI=neo4j.uri, NEO4J_USER=neo4j.user, NEO4J_PASSWORD=neo4j.password
            )  # type: ignore[call-arg]
            store = Neo4jStore.from_settings(settings)
            seed(store)  # type: ignore[arg-type]
            start = time.perf_counter()
            report = load_file(store, data, filename="bench.csv", loaded_by="bench")
            took = time.perf_counter() - start
            assert report.status == "loaded", report.problems[:3]
            print(f"{'neo4j (one transaction)':<24}{took:>8.1f} s {rows / took:>10,.0f} rows/s")
            store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="1 = Qibin; repeatable")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per query")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per query")
    parser.add_argument("--rows", type=int, default=100_000, help="agreement rows to load")
    parser.add_argument("--no-load", action="store_true", help="skip the load benchmark")
    parser.add_argument("--neo4j-heap", default="2g")
    parser.add_argument("--neo4j-pagecache-mb", type=int, default=1024)
    parser.add_argument("--neo4j-tx-memory-mb", type=int, default=4096)
    parser.add_argument("--store-dir", type=Path, help="where seeded stores are kept")
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], args.serve[1], args.port)
        return
    if not 1 <= args.requests <= 10_000:
        parser.error("--requests must be between 1 and 10000")
    directory = args.store_dir or Path(tempfile.gettempdir()) / "gridgraph-bench"
    directory.mkdir(parents=True, exist_ok=True)
    for scale in args.scale or [1, 10]:
        run_scale(scale, args, directory)
    if not args.no_load:
        load_both(args.rows, args)


if __name__ == "__main__":
    main()
