"""Compiled persisted queries against graphql-core, beside the floor (run on demand).

The targets of issue 13: executed coverage and responsibility chain p50 within 2.5× the floor
(stretch 1.5×) and at least 1,000 requests/s on one worker, at scales 1, 10 and 100. For each
scale, three servers over the same seeded store, one after the other, the response cache off
(every request executes): one answering registered documents from compiled plans
(:mod:`api.persisted`), with the JSON of kept domain answers kept (:func:`api.compiled._kept`),
one walking every field (``GRIDGRAPH_KEEP_RENDERINGS=false``), one with
``GRIDGRAPH_COMPILED_QUERIES=false`` (graphql-core for everything). Each round sends, on one
keep-alive connection, a no-op POST (the floor: HTTP, routing, reading the body), the coverage
document of docs/queries/ and the chain document, by their hash
(``extensions.persistedQuery``), for 20 buildings in turn; p50s are per round kind, ratios
against the floor of the same run. Requests/s is 1000 / mean milliseconds of one kind on that
one connection (one worker, no concurrency; the client's own time included, so a quiet machine
gives the floor itself about 2,400/s). The machine is shared: read the ratios; the load
average is printed with them.

    python bench/compiled_bench.py                    # scale 1, 500 rounds
    python bench/compiled_bench.py --scale 1 --scale 10 --scale 100 --rounds 300
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api_bench import Http, seeded_store, started_server

ROOT = Path(__file__).resolve().parent.parent
COVERAGE = (ROOT / "docs" / "queries" / "coverage.graphql").read_text(encoding="utf-8")
CHAIN = (ROOT / "docs" / "queries" / "responsibility_chain.graphql").read_text(encoding="utf-8")


def persisted(text: str, **variables: Any) -> dict[str, Any]:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
            "variables": variables}  # fmt: skip


def post_raw(client: Http, path: str, payload: dict[str, Any]) -> bytes:
    """POST and read the answer's bytes; checked for errors without parsing it (parsing an
    11 kB answer on the client would be timed too, and the floor's is 11 bytes)."""
    client.conn.request("POST", path, orjson.dumps(payload), {"Content-Type": "application/json"})
    response = client.conn.getresponse()
    data = response.read()
    if response.status != 200 or b'"errors"' in data:
        raise RuntimeError(f"{path}: HTTP {response.status}: {data[:300]!r}")
    return data


def measure(port: int, rounds: int, warmup: int) -> dict[str, list[float]]:
    """Milliseconds per request of each kind, interleaved round by round."""
    client = Http(port)
    sample = client.graphql("""{ buildings(first: 20) { nodes { id } }
                                 eventTypes(first: 20) { nodes { id } } }""")
    buildings = [b["id"] for b in sample["buildings"]["nodes"]]
    events = [e["id"] for e in sample["eventTypes"]["nodes"]]
    floor_body = persisted(COVERAGE, building=buildings[0])
    kinds = {
        "floor: no-op POST": lambda i: post_raw(client, "/noop", floor_body),
        "coverage": lambda i: post_raw(client,
            "/graphql", persisted(COVERAGE, building=buildings[i % len(buildings)])),
        "responsibility chain": lambda i: post_raw(client, "/graphql", persisted(
            CHAIN, building=buildings[i % len(buildings)], eventType=events[i % len(events)])),
    }  # fmt: skip
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for i in range(warmup + rounds):
        for label, call in kinds.items():
            start = time.perf_counter()
            call(i)
            if i >= warmup:
                times[label].append((time.perf_counter() - start) * 1000)
    return times


#: the servers compared, each over the same store: what its environment sets
SERVERS = {
    "compiled": {},
    "compiled, walked": {"GRIDGRAPH_KEEP_RENDERINGS": "false"},
    "graphql-core": {"GRIDGRAPH_COMPILED_QUERIES": "false"},
}


def run_scale(scale: int, rounds: int, warmup: int, directory: Path) -> None:
    store_path = seeded_store(scale, directory)
    runs = {}
    for name, env in SERVERS.items():
        with started_server(store_path, False, env) as port:
            runs[name] = measure(port, rounds, warmup)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nscale {scale}: {rounds} interleaved rounds after {warmup} warm-up, response cache "
          f"off, one keep-alive connection; load average {load}")  # fmt: skip
    print(f"{'':<22}" + "".join(f" {'-- ' + name + ' --':>31}  " for name in runs))
    print(
        f"{'request':<22}" + f" {'p50 ms':>8} {'×floor':>7} {'req/s':>7} {'p99':>6}  " * len(runs)
    )
    floor = {c: statistics.median(runs[c]["floor: no-op POST"]) for c in runs}
    for label in runs["compiled"]:
        cells = []
        for name in runs:
            samples = sorted(runs[name][label])
            p50 = statistics.median(samples)
            p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
            rps = 1000 / statistics.fmean(samples)
            cells.append(f" {p50:>8.3f} {p50 / floor[name]:>6.2f}x {rps:>7.0f} {p99:>6.2f}  ")
        print(f"{label:<22}" + "".join(cells))
    print("targets: coverage and chain p50 ≤ 2.5× the floor (stretch 1.5×), ≥ 1,000 req/s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="1 = Qibin; repeatable")
    parser.add_argument("--rounds", type=int, default=500, help="timed rounds (each: 3 requests)")
    parser.add_argument("--warmup", type=int, default=50, help="untimed rounds")
    parser.add_argument("--store-dir", type=Path, help="where seeded stores are kept")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 100_000:
        parser.error("--rounds must be between 1 and 100000")
    directory = args.store_dir or Path(tempfile.gettempdir()) / "gridgraph-bench"
    directory.mkdir(parents=True, exist_ok=True)
    for scale in args.scale or [1]:
        run_scale(scale, args.rounds, args.warmup, directory)


if __name__ == "__main__":
    main()
