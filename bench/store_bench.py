"""Embedded store at scale: how fast the reference graph is written and reopened, and its memory.

    .venv/bin/python bench/store_bench.py --scale 1
    .venv/bin/python bench/store_bench.py --scale 10
    .venv/bin/python bench/store_bench.py --scale 100 --cached   # the seeded file bench/ caches

Each scale runs in a fresh child process so that peak resident memory (ru_maxrss) belongs to
that scale alone. The reopen is timed in wall and CPU seconds (the machine is shared: CPU is the
steadier figure) beside its floor in the same process — reading every row of the file and
decoding its JSON, the least any reopen must do — and its memory is the growth of resident
memory it causes, per node or relationship. Then another handle on the file commits one record
at a time: the reopened store's next read catches up (reads back that record) in ``catch_up_ms``,
beside ``look_ms``, the same read with nothing new (its floor).

Last, links of one type at a hub (graph/adjacency.py): ``neighbours`` of the rarest type at the
reopened graph's busiest node with more than one type on a side, beside the same call with the
hub index set aside (the pass over every link there it replaces) and the same call at a node
with one link (the floor: what any call costs); then the same three at a community with 5,000
buildings (PART_OF, in) and 3 paired departments, the shape the reference graph does not reach.
The index's own memory is stated beside the store's.
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
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(scale: int, cached: Path | None = None) -> dict[str, Any]:
    from graph.memory import MemoryStore
    from loaders.reference import seed_reference_graph

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        seeded: float | None = None
        if cached is None:
            store = MemoryStore(path)
            started = time.perf_counter()
            seed_reference_graph(store, scale=scale, progress=False)
            seeded = time.perf_counter() - started
            store.close()
        else:  # a copy (the catch-up writes to it) of the cached file, nothing in memory
            _copy(_cached_file(scale, cached), path)
        floor_cpu = _read_rows(path)
        before = _resident()
        started, cpu = time.perf_counter(), time.process_time()
        reopened = MemoryStore(path)
        reload_s, reload_cpu = time.perf_counter() - started, time.process_time() - cpu
        grown = _resident() - before
        counts = reopened.counts()
        catch_up_ms, look_ms = _catch_up(path, reopened)
        by_type = _by_type(reopened)
        reopened.close()
        nodes, rels = sum(counts.nodes.values()), sum(counts.relationships.values())
        return {
            "scale": scale,
            "nodes": nodes,
            "relationships": rels,
            "seed_s": "—" if seeded is None else round(seeded, 2),
            "records_per_s": "—" if seeded is None else round((nodes + rels) / seeded),
            "reload_s": round(reload_s, 2),
            "reload_cpu_s": round(reload_cpu, 2),
            "floor_cpu_s": round(floor_cpu, 2),
            "catch_up_ms": round(catch_up_ms, 2),
            "look_ms": round(look_ms, 3),
            "bytes_per_element": round(grown / (nodes + rels)),
            "file_mib": round(path.stat().st_size / 2**20, 1),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            **by_type,
            **{f"big_{k}": v for k, v in _by_type(_big_hub(), hubs=False).items()},
        }


def _cached_file(scale: int, directory: Path) -> Path:
    """The seeded file bench/api_bench.py caches, seeded in a process of its own if missing
    (so that the seeding's memory is not this process's)."""
    path = directory / f"reference-scale{scale}.sqlite"
    if not path.exists():
        seed = (
            "import pathlib; from bench.api_bench import seeded_store; "
            f"seeded_store({scale}, pathlib.Path({str(directory)!r}))"
        )
        subprocess.run([sys.executable, "-c", seed], check=True, cwd=ROOT, stdout=sys.stderr)
    return path


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a store file, its write-ahead log included."""
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


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


def _by_type(store: object, hubs: bool = True) -> dict[str, Any]:
    """CPU microseconds (median) for ``neighbours`` of one type at the busiest mixed hub,
    beside the same call scanning every link there and at a node with one link; the index's
    memory and what building it costs."""
    from graph.adjacency import TypedAdjacency
    from graph.bulk import gc_paused
    from graph.memory import MemoryStore
    from graph.model import Direction

    assert isinstance(store, MemoryStore)
    g = store.graph
    best: tuple[int, str, str, str, int] | None = None  # links, node, side, rarest type, types
    for side, nid, typed in store._typed.hubs():
        if len(typed) > 1:
            links = sum(len(v) for v in typed.values())
            rarest = min(typed, key=lambda t: (len(typed[t]), t))
            if best is None or links > best[0]:
                best = (links, nid, side, rarest, len(typed))
    assert best is not None, "no hub with more than one type of link"
    links, hub, side, rarest, types = best
    way = Direction.OUT if side == "out" else Direction.IN
    lone = next(n for n in sorted(g) if len(g._succ[n]) == 1 and not g._pred[n])
    (lone_rid,) = next(iter(g._succ[lone].values()))
    lone_type = store.get_relationships([lone_rid])[lone_rid].type

    def timed(nid: str, type_: str, direction: Direction) -> float:
        store.neighbours([nid], type_, direction)  # warm
        runs = []
        for _ in range(9):  # CPU time: the machine is shared
            started = time.process_time()
            for _ in range(200):
                store.neighbours([nid], type_, direction)
            runs.append((time.process_time() - started) / 200)
        return median(runs) * 1e6

    indexed = timed(hub, rarest, way)
    floor = timed(lone, lone_type, Direction.OUT)
    kept, store._typed = store._typed, TypedAdjacency(g, hub_neighbours=sys.maxsize)
    scanned = timed(hub, rarest, way)
    store._typed = kept
    out: dict[str, Any] = {
        "hub": f"{hub} {side}: {rarest} of {links} links, {types} types",
        "hub_us": round(indexed, 2),
        "hub_scan_us": round(scanned, 2),
        "lone_us": round(floor, 2),
    }
    if hubs:
        maps = [typed for _, _, typed in kept.hubs()]
        size = sys.getsizeof(kept._out) + sys.getsizeof(kept._into)
        size += sum(sys.getsizeof(t) + sum(sys.getsizeof(v) for v in t.values()) for t in maps)
        out["hub_sides"] = len(maps)
        out["index_links"] = sum(len(v) for t in maps for v in t.values())
        out["index_kib"] = round(size / 1024)
        again = TypedAdjacency(g)  # what building it costs a reopen, in CPU time
        cpu = time.process_time()
        with gc_paused():  # as in a reopen
            again.build(store._rels)
        out["index_build_ms"] = round((time.process_time() - cpu) * 1000)
    return out


def _big_hub(buildings: int = 5_000) -> object:
    """An in-memory store with one community of ``buildings`` buildings and 3 paired
    departments."""
    from graph.memory import MemoryStore
    from graph.model import Node, Relationship

    store = MemoryStore()
    community = Node("community:410611001001", "Community", {"name": "大社区"})
    departments = [Node(f"department:D{i}", "Department", {"name": f"部门{i}"}) for i in range(3)]
    homes = [Node(f"building:B{i:05d}", "Building", {"name": f"{i}号楼"}) for i in range(buildings)]
    store.upsert_nodes([community, *departments, *homes])
    store.upsert_relationships(
        [Relationship("PART_OF", b.id, community.id) for b in homes]
        + [Relationship("PAIRED_WITH", d.id, community.id, {"valid_from": "2024-01-01"})
           for d in departments]
    )  # fmt: skip
    return store


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
    parser.add_argument(
        "--cached",
        type=Path,
        nargs="?",
        const=Path(tempfile.gettempdir()) / "gridgraph-bench",
        help="reopen a copy of the seeded file cached here (bench/api_bench.py's, default "
        "%(const)s) instead of seeding one: no seeding figures, and the seeding's memory is not "
        "held beside the reopen (scale 100)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.scale[0], args.cached)))
        return
    header = (
        "scale  nodes       rels        seed_s  records/s  reopen_s  reopen_cpu_s  floor_cpu_s  "
        "catch_up_ms  look_ms  B/element  file_MiB  peak_RSS_MiB"
    )
    print(header)
    rows = []
    for scale in args.scale:
        cached = ["--cached", str(args.cached)] if args.cached else []
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--scale", str(scale), *cached],
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
        rows.append(r)
    print("\nneighbours of one type at a hub, CPU µs per call (median): indexed / the scan "
          "it replaces / at a node with one link (the floor)")  # fmt: skip
    for r in rows:
        for key, label in (("", f"scale {r['scale']}"), ("big_", "5,000 buildings")):
            print(f"{label:<16} {r[key + 'hub_us']:>7} / {r[key + 'hub_scan_us']:>7} / "
                  f"{r[key + 'lone_us']:>6}  at {r[key + 'hub']}")  # fmt: skip
        per_element = r["index_kib"] * 1024 / (r["nodes"] + r["relationships"])
        print(f"{'':<16} index: {r['hub_sides']} hub sides, {r['index_links']} links, "
              f"{r['index_kib']} KiB ({per_element:.1f} B/element, within the store's "
              f"{r['bytes_per_element']}), built in {r['index_build_ms']} ms CPU of the "
              f"reopen's {r['reload_cpu_s']} s")  # fmt: skip


if __name__ == "__main__":
    main()
