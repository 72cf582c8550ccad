"""Getting data into the graph: the reference graph generator and spreadsheet loaders.

:func:`load_file` is the one entry point the CLI (``gridgraph load``) and the API's upload
mutation call: read, check everything, then write all valid rows in one unit of work.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

from graph.bulk import gc_paused
from graph.contract import GraphStore
from loaders.errors import InvalidCell, LoadError
from loaders.files import (
    ReadLimits,
    Sheet,
    TooBig,
    detect_format,
    read_sheets,
    records_sheet,
    too_big,
)
from loaders.importlog import default_loaded_by, import_run_node, now_iso, run_code
from loaders.kinds import LOAD_KINDS, LoadKind, load_kind
from loaders.report import Changes, LoadReport, OnConflict, Problem
from loaders.validate import Checker, Progress
from loaders.write import MAX_LISTED, commit, final_records

__all__ = [
    "LOAD_KINDS",
    "InvalidCell",
    "LoadError",
    "LoadKind",
    "LoadReport",
    "Problem",
    "load_file",
    "load_kind",
    "load_records",
]

ON_CONFLICT: tuple[str, ...] = get_args(OnConflict)


def load_file(
    store: GraphStore,
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    kind: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    on_conflict: OnConflict = "update",
    skip_invalid: bool = False,
    loaded_by: str | None = None,
    progress: Progress | None = None,
    all_sheets: bool = False,
    limits: ReadLimits | None = None,
) -> LoadReport:
    """Check a spreadsheet (Excel, CSV, JSON, JSONL) and load it into ``store``, all or nothing.

    ``source`` is a path or the file's bytes (then ``filename`` names it: its extension picks
    the format, and it is recorded as the provenance ``source_file``). Nothing is written when
    any row is invalid, unless ``skip_invalid``: then exactly the valid rows are written. A dry
    run checks everything and reports what would change, writing nothing.

    Raises :class:`LoadError` only for bad arguments (unknown kind or on_conflict value); a
    file that cannot be read, or is over a limit, gives a report with status ``unloadable``.
    Hidden and instruction sheets are left out (with a note) unless ``all_sheets``.
    """
    if on_conflict not in ON_CONFLICT:
        raise LoadError(f"on_conflict must be one of {', '.join(ON_CONFLICT)}")
    if kind is not None:
        load_kind(kind)
    limits = limits or ReadLimits.from_settings()
    name = filename or ("upload" if isinstance(source, bytes) else Path(source).name)
    report = LoadReport(
        file=name, dry_run=dry_run, on_conflict=on_conflict,
        loaded_at=now_iso(), loaded_by=loaded_by or default_loaded_by(),
    )  # fmt: skip
    with gc_paused():  # reading makes a list per row and a string per cell: no GC passes
        try:
            data = source if isinstance(source, bytes) else _read_path(Path(source), limits)
            report.format = detect_format(name, data)
            sheets, report.encoding = read_sheets(data, name, sheet, report.format, limits)
        except TooBig as e:  # over a limit: refused before the work, with the limit named
            report.status = "unloadable"
            report.problems.append(Problem.make("over_limit", file=name, zh=e.zh, en=e.en))
            return report
        except LoadError as e:
            report.status = "unloadable"
            report.problems.append(Problem.make("unreadable", file=name, detail=str(e)))
            return report
        return _check_and_write(
            store, sheets, data, report, kind, skip_invalid, progress, all_sheets
        )


def _read_path(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, refused by its size before it is read."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise too_big("file", size, limits.max_file_bytes, f"{path.name}: ")
        return path.read_bytes()
    except OSError as e:
        raise LoadError(f"cannot read {path}: {e.strerror or e}") from None


def load_records(
    store: GraphStore,
    kind: str,
    records: list[dict[str, Any]],
    *,
    source: str = "api",
    dry_run: bool = False,
    on_conflict: OnConflict = "update",
    loaded_by: str | None = None,
) -> LoadReport:
    """Load rows given as dicts (keys: English or Chinese headers), exactly like a file's rows.

    For the API's small admin mutations (add an agreement, add a pairing): the same columns,
    the same checks, the same report; ``source`` is recorded as ``source_file``.
    """
    if on_conflict not in ON_CONFLICT:
        raise LoadError(f"on_conflict must be one of {', '.join(ON_CONFLICT)}")
    load_kind(kind)
    report = LoadReport(
        file=source, format="records", dry_run=dry_run, on_conflict=on_conflict,
        loaded_at=now_iso(), loaded_by=loaded_by or default_loaded_by(),
    )  # fmt: skip
    sheet = records_sheet("", enumerate(records, start=1), source)
    data = json.dumps(records, ensure_ascii=False, sort_keys=True, default=str).encode()
    return _check_and_write(store, [sheet], data, report, kind, False, None)


def _check_and_write(
    store: GraphStore,
    sheets: list[Sheet],
    data: bytes,
    report: LoadReport,
    kind: str | None,
    skip_invalid: bool,
    progress: Progress | None,
    all_sheets: bool = False,
) -> LoadReport:
    """Check every sheet, then write the valid rows in one unit of work (or nothing)."""
    with gc_paused():
        return _check_and_write_now(
            store, sheets, data, report, kind, skip_invalid, progress, all_sheets
        )


def _check_and_write_now(
    store: GraphStore,
    sheets: list[Sheet],
    data: bytes,
    report: LoadReport,
    kind: str | None,
    skip_invalid: bool,
    progress: Progress | None,
    all_sheets: bool,
) -> LoadReport:
    name = report.file
    plan = Checker(store, name, kind, report.on_conflict, progress, all_sheets).check(sheets)
    report.sheets = plan.sheets
    report.problems = plan.all_problems
    report.rows = len(plan.rows)
    invalid = skipped = 0
    for r in plan.rows:  # one pass: a large file has hundreds of thousands of rows
        if r.errors or r.blocked:
            invalid += 1
        elif r.skipped:
            skipped += 1
    report.rows_invalid, report.rows_skipped = invalid, skipped
    report.rows_valid = report.rows - invalid - skipped
    header_errors = any(p.severity == "error" for p in plan.problems)
    nodes, rels, report.changes, report.records = final_records(
        plan, name, report.loaded_at or "", report.loaded_by or "", every_record=report.dry_run
    )
    report.records_truncated = len(report.records) >= MAX_LISTED
    if report.dry_run:
        report.status = "checked"
        return report
    if header_errors or (report.rows_invalid and not skip_invalid):
        report.status = "rejected"
        report.changes = Changes()  # nothing was written
        report.records = []
        return report
    report.status = "partial" if report.rows_invalid else "loaded"
    if progress:
        progress("write", 0, len(nodes) + len(rels))
    code = run_code(data)
    stale = list(plan.stale_rels)
    report.changes = commit(
        store, nodes, rels, stale, import_run_node(report, code), report.changes
    )
    report.import_run = code
    if progress:
        progress("write", len(nodes) + len(rels), len(nodes) + len(rels))
    return report
