"""Embedded store at scale: how fast the reference graph is written and reopened, and its memory.

    .venv/bin/python bench/store_bench.py --scale 1
    .venv/bin/python bench/store_bench.py --scale 10

Each scale runs in a fresh child process so that peak resident memory (ru_maxrss) belongs to
that scale alone. The reopen is timed in wall and CPU seconds (the machine is shared: CPU is the
steadier figure) beside its floor in the same process — reading every row of the file and
decoding its JSON, the least any reopen must do — and its memory is the growth of resident
memory it causes, per node or relationship. Then another handle on the file commits one record
at a time: the reopened store's next read catches up (reads back that record) in ``catch_up_ms``,
beside ``look_ms``, the same read with nothing new (its floor).
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
        floor_cpu = _read_rows(path)
        before = _resident()
        started, cpu = time.perf_counter(), time.process_time()
        reopened = MemoryStore(path)
        reload_s, reload_cpu = time.perf_counter() - started, time.process_time() - cpu
        grown = _resident() - before
        catch_up_ms, look_ms = _catch_up(path, reopened)
        reopened.close()
        nodes, rels = sum(counts.nodes.values()), sum(counts.relationships.values())
        return {
            "scale": scale,
            "nodes": nodes,
            "relationships": rels,
            "seed_s": round(seeded, 2),
            "records_per_s": round((nodes + rels) / seeded),
            "reload_s": round(reload_s, 2),
            "reload_cpu_s": round(reload_cpu, 2),
            "floor_cpu_s": round(floor_cpu, 2),
            "catch_up_ms": round(catch_up_ms, 2),
            "look_ms": round(look_ms, 3),
            "bytes_per_element": round(grown / (nodes + rels)),
            "file_mib": round(path.stat().st_size / 2**20, 1),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def _catch_up(path: Path, reader: object) -> tuple[float, float]:
    """Milliseconds (median of 5) for ``reader`` to see another handle's one-record commit,
    beside its floor: the same read with nothing new (the look at the file's version)."""
    from statistics import median

    from graph.memory import MemoryStore
    from graph.model import Node

    writer = MemoryStore(path)
    assert isinstance(reader, MemoryStore)
    caught, looked = [], []
    for i in range(5):
        node = Node(f"community:bench{i}", "Community", {"name": f"测{i}", "synthetic": True})
        writer.upsert_nodes([node])
        started = time.perf_counter()
        assert reader.get_nodes([node.id])
        caught.append(time.perf_counter() - started)
        started = time.perf_counter()
        reader.get_nodes([node.id])
        looked.append(time.perf_counter() - started)
    writer.close()
    return median(caught) * 1000, median(looked) * 1000


def _read_rows(path: Path) -> float:
    """CPU seconds to read every row of the store file and decode its properties."""
    import sqlite3

    import orjson

    cpu = time.process_time()
    db = sqlite3.connect(path)
    for table in ("nodes", "rels"):
        for row in db.execute(f"SELECT * FROM {table}"):
            orjson.loads(row[-1] if table == "rels" else row[2])
    db.close()
    return time.process_time() - cpu


def _resident() -> int:
    """Resident memory of this process now, in bytes (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.scale[0])))
        return
    header = (
        "scale  nodes       rels        seed_s  records/s  reopen_s  reopen_cpu_s  floor_cpu_s  "
        "catch_up_ms  look_ms  B/element  file_MiB  peak_RSS_MiB"
    )
    print(header)
    for scale in args.scale:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--scale", str(scale)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['scale']:<6} {r['nodes']:<11} {r['relationships']:<11} {r['seed_s']:<7} "
            f"{r['records_per_s']:<10} {r['reload_s']:<9} {r['reload_cpu_s']:<13} "
            f"{r['floor_cpu_s']:<12} {r['catch_up_ms']:<12} {r['look_ms']:<8} "
            f"{r['bytes_per_element']:<10} {r['file_mib']:<9} "
            f"{r['peak_rss_mib']}"
        )


if __name__ == "__main__":
    main()
