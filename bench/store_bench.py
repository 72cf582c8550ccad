"""Embedded store at scale: how fast the reference graph is written and reopened, and its memory.

    .venv/bin/python bench/store_bench.py --scale 1
    .venv/bin/python bench/store_bench.py --scale 10

Each scale runs in a fresh child process so that peak resident memory (ru_maxrss) belongs to
that scale alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(scale: int) -> dict[str, float]:
    from graph.memory import MemoryStore
    from loaders.reference import seed_reference_graph

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        store = MemoryStore(path)
        started = time.perf_counter()
        seed_reference_graph(store, scale=scale, progress=False)
        seeded = time.perf_counter() - started
        counts = store.counts()
        store.close()
        started = time.perf_counter()
        reopened = MemoryStore(path)
        reload_s = time.perf_counter() - started
        reopened.close()
        nodes, rels = sum(counts.nodes.values()), sum(counts.relationships.values())
        return {
            "scale": scale,
            "nodes": nodes,
            "relationships": rels,
            "seed_s": round(seeded, 2),
            "records_per_s": round((nodes + rels) / seeded),
            "reload_s": round(reload_s, 2),
            "file_mib": round(path.stat().st_size / 2**20, 1),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.scale[0])))
        return
    header = "scale  nodes       rels        seed_s  records/s  reload_s  file_MiB  peak_RSS_MiB"
    print(header)
    for scale in args.scale:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--scale", str(scale)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['scale']:<6} {r['nodes']:<11} {r['relationships']:<11} {r['seed_s']:<7} "
            f"{r['records_per_s']:<10} {r['reload_s']:<9} {r['file_mib']:<9} {r['peak_rss_mib']}"
        )


if __name__ == "__main__":
    main()
