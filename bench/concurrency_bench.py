"""Benchmark: executed coverage throughput and latency at concurrency 1/8/32/128, beside the
``{ __typename }`` floor, with ``gridgraph serve --workers N`` (run on demand, on a quiet
machine: figures measured on a busy shared one mean nothing).

    PYTHONPATH=. .venv/bin/python bench/concurrency_bench.py [--workers 1 2] [--requests 400]

Seeds the reference graph into a temporary store file, starts ``gridgraph serve --workers N``
on a free 127.0.0.1 port for each N, and sends ``--requests`` requests per concurrency level
from that many client connections (httpx, asyncio). Every request differs in a trailing GraphQL
comment and the building asked about, so none is answered by the response cache: GraphQL
really executes. Prints requests/s, p50 and p99 (ms) per level for coverage and the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEVELS = (1, 8, 32, 128)
COVERAGE = (ROOT / "docs" / "queries" / "coverage.graphql").read_text(encoding="utf-8")
FLOOR = "{ __typename }"


def seed(path: Path) -> list[str]:
    from graph.memory import MemoryStore
    from loaders.reference import seed_reference_graph

    store = MemoryStore(path)
    if not store.counts().nodes:
        seed_reference_graph(store)
    buildings = [n.id for n in store.iter_nodes("Building")]
    store.close()
    return buildings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def level(url: str, query: str, buildings: list[str], clients: int, total: int) -> str:
    counter = itertools.count()
    times: list[float] = []

    async def client() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=120) as c:
            while (i := next(counter)) < total:
                body = {"query": f"{query}\n# {i}", "variables": {}}
                if query is COVERAGE:
                    body["variables"] = {"building": buildings[i % len(buildings)]}
                start = time.perf_counter()
                r = await c.post("/graphql", json=body)
                times.append(time.perf_counter() - start)
                r.raise_for_status()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - start
    times.sort()
    p50 = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    return f"{total / wall:8.1f} req/s  p50 {p50:8.2f} ms  p99 {p99:8.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.sqlite"
        buildings = seed(store)
        for workers in args.workers:
            port = free_port()
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            server = subprocess.Popen(
                [sys.executable, "-m", "cli", "serve", "--store", str(store), "--port", str(port),
                 "--workers", str(workers)],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            url = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 120
                while True:
                    try:
                        if httpx.get(f"{url}/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.2)
                print(f"--workers {workers}")
                for clients in LEVELS:
                    for name, query in (("floor   ", FLOOR), ("coverage", COVERAGE)):
                        line = asyncio.run(level(url, query, buildings, clients, args.requests))
                        print(f"  concurrency {clients:3d}  {name}  {line}")
            finally:
                server.terminate()
                server.wait(timeout=60)


if __name__ == "__main__":
    main()
