"""Benchmark: rows per second loading co-construction agreements into the embedded store.

Run on demand (not part of the test suite)::

    python bench/load_bench.py [--rows 100000] [--profile]

Generates a CSV of synthetic agreements (each row: agreement number, partner unit by USCC,
community by name, dates, topics) against 1,000 synthetic units and 56 synthetic communities,
loads it into a fresh SQLite-backed store, and reports rows/s for the whole load and for each
stage, plus the number of statements a Neo4j load would send (rows / neo4j_batch_size).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.memory import MemoryStore
from graph.model import new_node
from graph.settings import Settings
from loaders import load_file
from schema.codes import uscc_with_check

UNITS, COMMUNITIES = 1000, 56


def seed(store: MemoryStore) -> tuple[list[str], list[str]]:
    units = [uscc_with_check(f"91410611MA{i:07d}") for i in range(UNITS)]
    communities = [f"合成社区{i:02d}" for i in range(COMMUNITIES)]
    with store.transaction() as tx:
        tx.upsert_nodes(
            new_node("Unit", uscc=u, name=f"合成共建单位{i:04d}", synthetic=True)
            for i, u in enumerate(units)
        )
        tx.upsert_nodes(
            new_node("Community", division_code=f"410611{i // 10 + 1:03d}{i:03d}", name=c,
                     synthetic=True)
            for i, c in enumerate(communities)
        )
    return units, communities


def agreements_csv(rows: int, units: list[str], communities: list[str]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["协议编号", "统一社会信用代码", "社区", "签订日期", "生效日期", "有效期至", "共建内容"]
    )
    for i in range(rows):
        year = 2019 + i % 5
        w.writerow([
            f"BENCH-{i:07d}", units[i % len(units)], communities[i % len(communities)],
            f"{year}/5/{1 + i % 28}", f"{year}-05-{1 + i % 28:02d}", f"{year + 2}年4月30日",
            "文明实践、志愿服务",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(Path(tmp) / "bench.sqlite")
        units, communities = seed(store)
        data = agreements_csv(args.rows, units, communities)
        stages: dict[str, float] = {}
        last = [time.perf_counter()]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.perf_counter()
            stages[stage] = stages.get(stage, 0.0) + now - last[0]
            last[0] = now

        prof = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        last[0] = start
        if prof:
            prof.enable()
        report = load_file(store, data, filename="bench.csv", loaded_by="bench", progress=progress)
        if prof:
            prof.disable()
        elapsed = time.perf_counter() - start
        assert report.status == "loaded", report.problems[:5]
        commit_start = time.perf_counter()
        again = load_file(store, data, filename="bench.csv", loaded_by="bench")
        again_elapsed = time.perf_counter() - commit_start
        batch = Settings().neo4j_batch_size
        records = report.changes.nodes_created + report.changes.relationships_created
        print(f"rows                     {args.rows:>10,}")
        print(f"records written          {records:>10,}  (1 node + 2 PARTY_TO per row)")
        print(f"first load               {elapsed:>10.2f} s  {args.rows / elapsed:>10,.0f} rows/s")
        print(f"second load (unchanged)  {again_elapsed:>10.2f} s  "
              f"{args.rows / again_elapsed:>10,.0f} rows/s  changed={again.changes.changed}")
        checking = stages.get("check", 0) + stages.get("resolve", 0)
        print(f"  of which check+resolve {checking:>10.2f} s")
        print(f"  of which commit        {stages.get('write', 0):>10.2f} s  (store._commit)")
        per_kind = {"Agreement": report.changes.nodes_created,
                    "PARTY_TO": report.changes.relationships_created}
        statements = sum(-(-n // batch) for n in per_kind.values())
        print(f"neo4j batches            {statements:>10,}  (UNWIND of {batch:,} rows per "
              f"statement: {', '.join(f'{k} {v:,}' for k, v in per_kind.items())})")
        store.close()
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
