"""Benchmark the GraphQL API over real HTTP against the reference graph (run on demand).

For each scale, the reference graph is seeded into an SQLite file (reused on later runs), a
uvicorn server is started on 127.0.0.1 in a subprocess, and each flagship query is sent
sequentially over one keep-alive connection, side by side with a no-op POST to the same
server (the floor: HTTP, routing and JSON, no GraphQL, no store). Prints p50 and p99 in
milliseconds and the ratio of each p50 to the floor's p50.

    python bench/api_bench.py                     # scale 1 (Qibin), 300 requests per query
    python bench/api_bench.py --scale 1 --scale 100 --requests 200

Needs :func:`loaders.reference.seed_reference_graph` (imported lazily). Loopback only; every
run is bounded by ``--requests``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import Request, Response

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


# -- the server (run in a subprocess) -------------------------------------------------------
def serve(store_path: str, port: int, response_cache: bool) -> None:
    """Serve the app over the seeded store, plus the /noop floor route; no access log."""
    import uvicorn

    from api.app import create_app
    from graph.memory import MemoryStore

    app = create_app(MemoryStore(store_path), response_cache=response_cache)

    @app.post("/noop")
    async def noop(request: Request) -> Response:
        await request.body()
        return Response(b'{"data":{}}', media_type="application/json")

    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


# -- the client -----------------------------------------------------------------------------
class Http:
    """One keep-alive HTTP/1.1 connection (stdlib: the least client overhead in the timings)."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=900)

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload).encode()
        self.conn.request("POST", path, body, {"Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}: {data[:300]!r}")
        result: dict[str, Any] = json.loads(data)
        if result.get("errors"):
            raise RuntimeError(f"{path}: {result['errors']}")
        return result

    def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        data: dict[str, Any] = self.post("/graphql", {"query": query, "variables": variables})[
            "data"
        ]
        return data


COVERAGE = """query($b: ID!) { coverage(building: $b) { asOf levels { level grid { id name }
  posts { postType holders { name } }
  partyOrganizations { unit { name } posts { postType holders { name } } }
  managers { unit { name } } pairedDepartments { unit { name } }
  socialOrganizations { unit { name } } volunteerTeams { unit { name } }
  partners { unit { name } agreement { name } } facilities { unit { name } } } } }"""
SHARED = """query($u: ID!) { sharedAgreements(unit: $u) { party { name } common { code }
  via { name } agreements { code } } }"""
EXPIRING = """{ agreementsExpiring(withinDays: 365) {
  agreement { code } daysLeft parties { name } } }"""
PATH = """query($a: ID!, $b: ID!) { path(from: $a, to: $b, maxLength: 8) { length
  nodes { id name } relationships { type } } }"""
SEARCH = "query($t: String!) { search(text: $t, first: 10) { id name } }"
LIST = """query($c: ID!) { buildings(where: {within: $c}, first: 20,
  orderBy: [{field: NAME}]) { totalCount nodes { id name posts { heldBy { name } } } } }"""
COUNTS = "{ gridCounts(level: BUILDING, per: COMMUNITY) { grid { id } count } }"
CHAIN = """query($b: ID!, $e: ID!) { responsibilityChain(building: $b, eventType: $e) {
  asOf complete responseLevel levels { level grid { id name }
  inCharge { person { name } postType via { name } }
  partyOrganizations { organization { name } leaders { person { name } } }
  meeting { zh } convenes { unit { name } role } defaultResponse gaps { kind } }
  handlers { department { name } role } accountability { territory { id } pairing { name } }
  gaps { level kind reason node { id } } } }"""
GAPS = """{ gaps { totalCount counts { level kind count }
  rows(first: 20) { totalCount nodes { kind level node { id name } community { name } } } } }"""
NESTED = """query($c: ID!) { node(id: $c) { ... on Community { name pairedBy { name }
  parts { name parts { name posts { postType heldBy { name } } } } } } }"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def timed(call: Callable[[int], object], n: int, warmup: int, budget: float) -> list[float]:
    """Milliseconds per call for ``n`` calls after ``warmup``; stops early after ``budget``
    seconds of timed calls (the slow queries at large scales), keeping what was measured."""
    for i in range(warmup):
        call(i)
    out: list[float] = []
    spent = 0.0
    for i in range(n):
        start = time.perf_counter()
        call(i)
        elapsed = time.perf_counter() - start
        out.append(elapsed * 1000)
        spent += elapsed
        if spent > budget:
            break
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def seeded_store(scale: int, directory: Path) -> Path:
    path = directory / f"reference-scale{scale}.sqlite"
    if path.exists():
        return path
    try:
        from loaders.reference import seed_reference_graph
    except ImportError:
        sys.exit("bench: loaders.reference.seed_reference_graph is not available on this branch")
    from graph.memory import MemoryStore

    print(f"seeding the reference graph at scale {scale} into {path} ...", flush=True)
    start = time.perf_counter()
    store = MemoryStore(path.with_suffix(".partial"))
    seed_reference_graph(store, scale=scale)
    store.close()
    path.with_suffix(".partial").rename(path)
    print(f"  seeded in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def wait_until_healthy(
    proc: subprocess.Popen[bytes], port: int, what: str, timeout: float = 900
) -> None:
    """Poll /healthz until the server answers; fail if it exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.2)


@contextmanager
def started_server(
    store_path: Path, response_cache: bool, env_extra: dict[str, str] | None = None
) -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path]), **(env_extra or {})}
    command = [sys.executable, __file__, "--serve", str(store_path), "--port", str(port)]
    if not response_cache:
        command.append("--no-response-cache")
    proc = subprocess.Popen(command, env=env)
    try:
        wait_until_healthy(proc, port, "the server")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def measure(
    port: int, requests: int, warmup: int, budget: float
) -> list[tuple[str, int, float, float]]:
    """p50 and p99 of each flagship query, and of the floor, against one server."""
    client = Http(port)
    sample = client.graphql(
        """{ buildings(first: 500) { nodes { id } }
             communities(first: 50) { nodes { id name } }
             units(first: 50) { nodes { id } }
             eventTypes(first: 100) { nodes { id } } }"""
    )
    buildings = [b["id"] for b in sample["buildings"]["nodes"]]
    communities = [c["id"] for c in sample["communities"]["nodes"]]
    names = [c["name"] for c in sample["communities"]["nodes"]]
    units = [u["id"] for u in sample["units"]["nodes"]]
    floor_body = {"query": COVERAGE, "variables": {"b": buildings[0]}}
    # The district's gap report is computed once per store version: time that first ask
    # alone, before the cases below find it cached.
    start = time.perf_counter()
    client.graphql(GAPS)
    gaps_first = (time.perf_counter() - start) * 1000
    fresh = iter(buildings[warmup:])
    events = [e["id"] for e in sample["eventTypes"]["nodes"]]
    pairs = [(b, events[j % len(events)]) for j, b in enumerate(buildings)]
    fresh_pairs = iter(pairs[warmup:])

    def chain(pair: tuple[str, str]) -> object:
        return client.graphql(CHAIN, b=pair[0], e=pair[1])

    def pick(items: list[str], i: int) -> str:
        return items[i % len(items)]

    cases: list[tuple[str, Callable[[int], object]]] = [
        ("floor: no-op POST", lambda i: client.post("/noop", floor_body)),
        ("graphql { __typename }", lambda i: client.graphql("{ __typename }")),
        ("coverage (20 buildings)", lambda i: client.graphql(COVERAGE, b=buildings[i % 20])),
        ("coverage (new building)", lambda i: client.graphql(COVERAGE, b=next(fresh))),
        ("chain (20 pairs)", lambda i: chain(pairs[i % 20])),
        ("chain (new pair)", lambda i: chain(next(fresh_pairs))),
        ("gaps (counts, 20 rows)", lambda i: client.graphql(GAPS)),
        ("sharedAgreements", lambda i: client.graphql(SHARED, u=pick(units, i))),
        ("agreementsExpiring", lambda i: client.graphql(EXPIRING)),
        ("path building-unit", lambda i: client.graphql(
            PATH, a=pick(buildings, i), b=pick(units, i))),
        ("search (Chinese)", lambda i: client.graphql(SEARCH, t=pick(names, i)[:2])),
        ("search (pinyin)", lambda i: client.graphql(SEARCH, t="liyang")),
        ("buildings within community", lambda i: client.graphql(
            LIST, c=pick(communities, i))),
        ("gridCounts per community", lambda i: client.graphql(COUNTS)),
        ("nested community-buildings", lambda i: client.graphql(
            NESTED, c=pick(communities, i))),
    ]  # fmt: skip
    results = []
    for label, call in cases:
        n = requests if "new " not in label else min(requests, len(buildings) - warmup)
        samples = timed(call, n, warmup, budget)
        results.append((label, len(samples), *percentiles(samples)))
        if label.startswith("gaps"):
            results.append(("gaps (first ask, once)", 1, gaps_first, gaps_first))
    return results


def run_scale(scale: int, requests: int, warmup: int, budget: float, directory: Path) -> None:
    store_path = seeded_store(scale, directory)
    runs = {}
    for cached in (False, True):
        with started_server(store_path, cached) as port:
            runs[cached] = measure(port, requests, warmup, budget)
    print(f"\nscale {scale}: {requests} requests per query after {warmup} warm-up, "
          "one keep-alive connection to 127.0.0.1; milliseconds")  # fmt: skip
    print(f"{'':<28} {'-- GraphQL execution --':>27}   {'-- with response cache --':>27}")
    print(f"{'query':<28} {'n':>4} {'p50':>7} {'p99':>7} {'p50/floor':>10}   "
          f"{'n':>4} {'p50':>7} {'p99':>7} {'p50/floor':>10}")  # fmt: skip
    floor = {c: runs[c][0][2] for c in runs}
    for plain, cached in zip(runs[False], runs[True], strict=True):
        label, n, p50, p99 = plain
        _, cn, c50, c99 = cached
        print(f"{label:<28} {n:>4} {p50:>7.2f} {p99:>7.2f} {p50 / floor[False]:>9.2f}x   "
              f"{cn:>4} {c50:>7.2f} {c99:>7.2f} {c50 / floor[True]:>9.2f}x")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="1 = Qibin; repeatable")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per query")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per query")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds of timed requests per query, at most"
    )
    parser.add_argument("--store-dir", type=Path, help="where seeded stores are kept")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-response-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port, not args.no_response_cache)
        return
    if not 1 <= args.requests <= 100_000:
        parser.error("--requests must be between 1 and 100000")
    directory = args.store_dir or Path(tempfile.gettempdir()) / "gridgraph-bench"
    directory.mkdir(parents=True, exist_ok=True)
    for scale in args.scale or [1]:
        run_scale(scale, args.requests, args.warmup, args.budget, directory)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
