"""Benchmark: rows per second loading co-construction agreements into the embedded store.

Run on demand (not part of the test suite)::

    python bench/load_bench.py [--rows 100000] [--repeat 3] [--profile]

Generates a CSV of synthetic agreements (each row: agreement number, partner unit by USCC,
community by name, dates, topics) against 1,000 synthetic units and 56 synthetic communities,
loads it into a fresh SQLite-backed store, and reports rows/s for the whole load and for each
stage, plus the number of statements a Neo4j load would send (rows / neo4j_batch_size).

In the same run it measures the floor: a bare ``executemany`` of the same records (as the
load wrote them) into a fresh SQLite file with the store's own schema and pragmas, and the
same rows loaded from an XLSX workbook; each figure is printed beside that floor, in wall
and in CPU time. With ``--repeat`` every measure is taken that many times, each load into a
fresh store, and the best of each is kept: on a shared machine the ratios of the best, and
those in CPU time, are the steadier figures. Memory per row is the process's resident size
around the first load (its peak, and what the graph keeps), with the load average beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import io
import os
import pstats
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.memory import _SCHEMA, MemoryStore
from graph.model import new_node
from graph.settings import Settings
from loaders import LoadReport, load_file
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
            new_node(
                "Community", division_code=f"410611{i // 10 + 1:03d}{i:03d}", name=c, synthetic=True
            )
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


def agreements_xlsx(data: bytes) -> bytes:
    """The same rows as a workbook, written the way Excel keeps them (one sheet)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("共建协议")
    for row in csv.reader(io.StringIO(data.decode("utf-8"))):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sqlite_floor(path: Path, store: MemoryStore) -> Clock:
    """A bare executemany of the load's records into a fresh file: schema, pragmas, one
    transaction, rows in id order, props as the store serialises them."""
    import orjson

    nodes = sorted(
        (n.id, n.kind, orjson.dumps(n.props, option=orjson.OPT_SORT_KEYS).decode())
        for n in store.iter_nodes("Agreement")
    )
    rels = sorted(
        (r.id, r.type, r.source, r.target,
         orjson.dumps(r.props, option=orjson.OPT_SORT_KEYS).decode())
        for r in store.iter_relationships("PARTY_TO")
    )  # fmt: skip
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA page_size=16384")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(_SCHEMA)
    with Clock() as c:
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO nodes (id, kind, props) VALUES (?, ?, ?)", nodes)
        db.executemany(
            "INSERT OR REPLACE INTO rels (id, type, source, target, props) VALUES (?,?,?,?,?)",
            rels,
        )
        db.execute("COMMIT")
    db.close()
    return c


def memory() -> tuple[int, int]:
    """(resident, peak resident) bytes of this process, from /proc (Linux); (0, 0) elsewhere."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0, 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    rss, peak = (int(fields.get(k, "0 kB").split()[0]) * 1024 for k in ("VmRSS", "VmHWM"))
    return rss, peak


def reset_peak() -> None:
    """Start the peak-memory count afresh (Linux: clear_refs 5), so a step's peak is its own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class Clock:
    """Wall and CPU seconds: the machine may be shared, CPU time is the steadier figure."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def one_round(
    tmp: Path, data: bytes, workbook: bytes, prof: cProfile.Profile | None
) -> tuple[dict[str, Clock], LoadReport, tuple[int, int, int]]:
    """Every measure once, each load into a fresh store: the clocks, the first load's report
    and (resident before, resident after, peak) around the first load."""
    tmp.mkdir()
    store = MemoryStore(tmp / "bench.sqlite")
    seed(store)
    commit_clock = Clock()
    real_commit = store._commit

    def timed_commit(ops: object) -> None:  # the store's commit path, measured apart
        with Clock() as c:
            real_commit(ops)  # type: ignore[arg-type]
        commit_clock.wall, commit_clock.cpu = c.wall, c.cpu

    store._commit = timed_commit  # type: ignore[method-assign,assignment]
    clocks: dict[str, Clock] = {}
    with Clock() as clocks["check"]:
        dry = load_file(store, data, filename="bench.csv", dry_run=True)
    assert dry.valid, dry.problems[:5]
    if prof:
        prof.enable()
    reset_peak()
    rss_before, _ = memory()
    with Clock() as clocks["first"]:
        report = load_file(store, data, filename="bench.csv", loaded_by="bench")
    rss_after, peak = memory()
    if prof:
        prof.disable()
    assert report.status == "loaded", report.problems[:5]
    clocks["commit"] = Clock()
    clocks["commit"].wall, clocks["commit"].cpu = commit_clock.wall, commit_clock.cpu
    with Clock() as clocks["again"]:
        second = load_file(store, data, filename="bench.csv", loaded_by="bench")
    assert not second.changes.changed
    clocks["floor"] = sqlite_floor(tmp / "floor.sqlite", store)
    store.close()
    xstore = MemoryStore(tmp / "xlsx.sqlite")
    seed(xstore)
    with Clock() as clocks["xlsx"]:
        xreport = load_file(xstore, workbook, filename="bench.xlsx", loaded_by="bench")
    assert xreport.status == "loaded", xreport.problems[:5]
    xstore.close()
    return clocks, report, (rss_before, rss_after, peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds, each into fresh stores; best of each kept"
    )
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    args = parser.parse_args()
    n = args.rows
    prof = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as tmp:
        units, communities = seed(MemoryStore())  # the same ids in every fresh store
        data = agreements_csv(n, units, communities)
        workbook = agreements_xlsx(data)
        best: dict[str, Clock] = {}
        for i in range(max(1, args.repeat)):
            clocks, round_report, round_memory = one_round(Path(tmp) / f"r{i}", data, workbook,
                                                           prof if i == 0 else None)  # fmt: skip
            if i == 0:  # memory from the first round, before any freed memory is reused
                report, (rss_before, rss_after, peak) = round_report, round_memory
            for key, c in clocks.items():
                kept = best.setdefault(key, c)
                kept.wall, kept.cpu = min(kept.wall, c.wall), min(kept.cpu, c.cpu)
        first, check, again = best["first"], best["check"], best["again"]
        xlsx, floor = best["xlsx"], best["floor"]

        def line(label: str, c: Clock) -> str:
            return (
                f"{label:<34}{c.wall:>7.2f} s wall {n / c.wall:>9,.0f} rows/s   "
                f"{c.cpu:>7.2f} s cpu {n / c.cpu:>9,.0f} rows/s   "
                f"{c.wall / floor.wall:>5.1f}x floor ({c.cpu / floor.cpu:.1f}x in cpu)"
            )

        records = report.changes.nodes_created + report.changes.relationships_created
        print(f"{n:,} agreement rows -> {records:,} records (1 Agreement + 2 PARTY_TO a row)"
              + (f", best of {args.repeat} rounds" if args.repeat > 1 else ""))  # fmt: skip
        print(line("load (read, check, write)", first))
        print(line("  read + check only (dry run)", check))
        print(line("  store commit (MemoryStore._commit)", best["commit"]))
        print(line("second load, nothing changes", again))
        print(line("XLSX load (same rows)", xlsx))
        print(line("floor: bare SQLite executemany", floor))
        print(f"XLSX / CSV: {xlsx.wall / first.wall:.2f}x (target within 3x); "
              f"CSV / floor: {first.wall / floor.wall:.2f}x (target within 2x); "
              f"reload / load: {again.wall / first.wall:.2f}x (target at most 1x)")  # fmt: skip
        if peak:
            mib = 2**20
            print(
                f"memory (resident, this process): peak during the load "
                f"{(peak - rss_before) / mib:,.0f} MiB above its start, "
                f"{(peak - rss_before) / n:,.0f} bytes a row; kept after it (the graph in "
                f"memory) {(rss_after - rss_before) / mib:,.0f} MiB, "
                f"{(rss_after - rss_before) / n:,.0f} bytes a row"
            )
        try:
            load1, load5, _ = os.getloadavg()
            print(f"load average during the run: {load1:.1f} (1 min), {load5:.1f} (5 min)")
        except OSError:
            pass
        batch = Settings().neo4j_batch_size
        per_kind = {
            "Agreement": report.changes.nodes_created,
            "PARTY_TO": report.changes.relationships_created,
        }
        statements = sum(-(-k // batch) for k in per_kind.values())
        print(
            f"neo4j: {statements} UNWIND statements of up to {batch:,} rows "
            f"({', '.join(f'{k} {v:,}' for k, v in per_kind.items())})"
        )
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
