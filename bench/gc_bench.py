"""How long Python's cyclic garbage collector pauses a serving process (run on demand).

For each scale, two fresh processes serve the same seeded reference graph in-process (the app
over ASGI, no sockets: only the collector is measured) and answer the same mix of requests —
several days' first gaps reports (whole-graph work), coverage, chains, searches, expiring
agreements, a pinyin index build. One runs the serving policy of ``gridgraph serve``
(:mod:`graph.collector`: the loaded graph frozen, cached answers computed with the collector
paused); the other runs with neither, the floor it improves on. Each collection is timed with
``gc.callbacks``; the bench prints the longest pause, the pauses over 10 ms, and the time spent
collecting, per process.

    python bench/gc_bench.py                       # scales 1 and 10
    python bench/gc_bench.py --scale 100 --days 3  # province scale (about 6 GiB, minutes to seed)

Target: no pause over 10 ms at any scale with the policy on.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_bench import CHAIN, COVERAGE, EXPIRING, GAPS, SEARCH, seeded_store  # noqa: E402


class Pauses:
    """Every collection's duration, by generation, from ``gc.callbacks``: CPU time of the
    collecting thread, so that a busy machine's scheduler does not count as the collector's."""

    def __init__(self) -> None:
        self.started = 0.0
        self.pauses: list[tuple[int, float]] = []

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = time.thread_time()
        else:
            self.pauses.append((info["generation"], (time.thread_time() - self.started) * 1000))


def child(store_path: str, policy: bool, days: int, requests: int) -> dict[str, Any]:
    """Serve ``store_path`` in this process and answer the request mix; the collector's record."""
    from starlette.testclient import TestClient

    from api.app import create_app
    from graph.collector import settle_for_serving
    from graph.memory import MemoryStore
    from graph.settings import Settings

    start = time.perf_counter()
    store = MemoryStore(store_path)
    opened = time.perf_counter() - start
    app = create_app(store, Settings(request_timeout=3600), response_cache=False)
    if policy:
        settle_for_serving(store)
    else:  # the floor: no freeze, and cached answers computed with the collector running
        import api.state

        api.state.gc_paused = _not_paused  # type: ignore[attr-defined]
        gc.collect()
    pauses = Pauses()
    with TestClient(app) as client:

        def ask(query: str, **variables: Any) -> Any:
            body = client.post("/graphql", json={"query": query, "variables": variables}).json()
            if body.get("errors"):
                raise RuntimeError(body["errors"])
            return body["data"]

        sample = ask(
            "{ buildings(first: 200) { nodes { id } } eventTypes(first: 5) { nodes { id } } }"
        )
        buildings = [b["id"] for b in sample["buildings"]["nodes"]]
        events = [e["id"] for e in sample["eventTypes"]["nodes"]]
        gc.callbacks.append(pauses)
        t0 = time.perf_counter()
        first_day = date(2024, 6, 1)
        for d in range(days):  # each day's first gaps report is whole-graph work
            ask(GAPS.replace("gaps {", f'gaps(asOf: "{first_day + timedelta(days=d)}") {{'))
        ask(SEARCH, t="liyang")  # builds the pinyin index once
        for i in range(requests):
            ask(COVERAGE, b=buildings[i % len(buildings)])
            ask(CHAIN, b=buildings[(i * 7) % len(buildings)], e=events[i % len(events)])
            ask(SEARCH, t="社区")
            if i % 10 == 0:
                ask(EXPIRING)
        elapsed = time.perf_counter() - t0
        gc.callbacks.remove(pauses)
    durations = [ms for _, ms in pauses.pauses]
    return {
        "policy": policy,
        "open_s": round(opened, 2),
        "requests_s": round(elapsed, 2),
        "collections": len(durations),
        "full_collections": sum(1 for g, _ in pauses.pauses if g == 2),
        "longest_ms": round(max(durations, default=0.0), 2),
        "over_10ms": sum(1 for ms in durations if ms > 10),
        "collecting_s": round(sum(durations) / 1000, 3),
        "long": [(g, round(ms, 1)) for g, ms in pauses.pauses if ms > 10],
    }


class _not_paused:  # stands in for the context manager it replaces
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="default: 1 and 10")
    parser.add_argument("--days", type=int, default=5, help="first gaps reports (one per day)")
    parser.add_argument("--requests", type=int, default=300, help="coverage+chain+search rounds")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gridgraph-bench")
    parser.add_argument("--child", nargs=2, metavar=("STORE", "POLICY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        store, policy = args.child
        print(json.dumps(child(store, policy == "on", args.days, args.requests)))
        return
    args.dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    print(f"load average {os.getloadavg()[0]:.1f}; {args.days} first gaps reports, "
          f"{args.requests} rounds of coverage + chain + search per process")  # fmt: skip
    header = "scale  policy  longest pause  pauses >10 ms  full collections  collecting  requests"
    print(header)
    for scale in args.scale or [1, 10]:
        path = seeded_store(scale, args.dir)
        for policy in ("off", "on"):  # the floor first, then the policy, one fresh process each
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(path), policy,
                 "--days", str(args.days), "--requests", str(args.requests)],
                env=env, capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{scale:>5}  {policy:>6}  {r['longest_ms']:>10.1f} ms  {r['over_10ms']:>13}  "
                  f"{r['full_collections']:>16}  {r['collecting_s']:>8.2f} s  "
                  f"{r['requests_s']:>6.1f} s  {r['long'][:6]}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
