"""How fast the embedded store finds names, and what its name index costs (run on demand).

For each scale, opens the seeded reference graph (``bench/api_bench.py`` seeds and reuses it),
then for a fixed set of texts — rare and common, one to five characters — times
``store.find(text, limit=20)`` (the name index, graph/name_index.py) beside a plain scan of
every node's names for the same text (what find did before the index: the floor to beat), and
measures the memory the index takes per node (tracemalloc, building a copy of it in one pass,
as the store does on its first look-up).

    python bench/search_bench.py                 # scales 1 and 10
    python bench/search_bench.py --scale 100

Then the API's search itself (``api.search.search_hits``, a first page of 20 best first, as
the ``search`` root field asks it, Chinese and latin texts, the pinyin index built first)
beside its floor: reading 20 nodes by id (``store.get_nodes``), the least a page of 20 costs.

Target (issue 13): a search within 1 ms at scale 100, memory stated.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_bench import seeded_store  # noqa: E402

TEXTS = (
    "黎阳",
    "淇水街道",
    "黎阳九大院",
    "金盾物业",
    "公积金",
    "王",
    "社区",
    "3号楼",
    "志愿服务队",
)
#: Latin texts: a community's pinyin, initials, a syllable in nearly every name, one letter.
LATIN = ("liyang", "lysq", "qibin", "shequ", "ly", "l")


def _names(node: object) -> list[str]:
    props = node.props  # type: ignore[attr-defined]
    return [str(n) for n in (props.get("name"), *(props.get("aliases") or ())) if n]


def run(scale: int, directory: Path, repeat: int) -> None:
    from graph.memory import MemoryStore
    from graph.name_index import NameIndex

    path = seeded_store(scale, directory)
    start = time.perf_counter()
    store = MemoryStore(path)
    print(f"scale {scale}: opened in {time.perf_counter() - start:.1f} s", flush=True)
    nodes = list(store.iter_nodes())
    hay = [(n.id, _names(n)) for n in nodes]
    gc.collect()
    tracemalloc.start()
    copy = NameIndex()
    copy.build(hay)  # as the store builds it, on its first look-up
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del copy
    print(f"  {len(nodes):,} nodes; name index {size / 2**20:.0f} MiB, "
          f"{size / len(nodes):.0f} B per node")  # fmt: skip
    print(f"  {'text':<10} {'matches':>8} {'find p50':>10} {'scan p50':>10}  ratio")
    for text in TEXTS:
        found, scans = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            store.find(text, None, 20)
            found.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            hits = [nid for nid, names in hay if any(text in n for n in names)]
            scans.append((time.perf_counter() - t) * 1000)
        f, s = statistics.median(found), statistics.median(scans)
        print(f"  {text:<10} {len(hits):>8,} {f:>8.3f} ms {s:>8.1f} ms  {s / f:>6.0f}x", flush=True)
    _search(store, repeat)
    store.close()


def _search(store: object, repeat: int) -> None:
    """The API's search, a page of 20, beside reading 20 nodes by id in the same run."""
    from api.search import pinyin_index, search_hits
    from api.state import ApiState
    from graph.settings import Settings

    state = ApiState(store, Settings())  # type: ignore[arg-type]
    start = time.process_time()
    pinyin_index(state, state.store)
    print(f"  pinyin index built in {time.process_time() - start:.1f} s of CPU")
    print(f"  {'search':<10} {'p50':>10} {'max':>10} {'floor p50':>10}  ratio")
    for text in (*TEXTS, *LATIN):
        ids = [h.node.id for h in search_hits(state, text, None, 20)]
        took, floor = [], []
        for _ in range(max(repeat, 21)):
            t = time.perf_counter()
            search_hits(state, text, None, 20)
            took.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            state.store.get_nodes(ids)
            floor.append((time.perf_counter() - t) * 1000)
        took.sort()
        p50, most, f = statistics.median(took), took[-1], statistics.median(floor)
        print(f"  {text:<10} {p50:>7.3f} ms {most:>7.3f} ms {f:>7.3f} ms  {p50 / f:>5.1f}x",
              flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="default: 1 and 10")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gridgraph-bench")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    for scale in args.scale or [1, 10]:
        run(scale, args.dir, args.repeat)


if __name__ == "__main__":
    main()
