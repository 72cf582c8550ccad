"""``gridgraph load``: check spreadsheets and load them into the store, all or nothing per file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.options import StoreKindOption, StorePathOption, settings_from


def register(app: typer.Typer) -> None:
    register_load(app)
    register_imports(app)


def register_load(app: typer.Typer) -> None:
    @app.command()
    def load(
        files: Annotated[
            list[Path],
            typer.Argument(help="Excel (xlsx, xlsm, xls, et, ods), CSV/TSV, JSON or JSONL files"),
        ],
        kind: Annotated[
            str | None, typer.Option("--kind", "-k", help="Load kind (default: from the headers)")
        ] = None,
        sheet: Annotated[
            str | None, typer.Option("--sheet", help="Only this sheet of a workbook")
        ] = None,
        all_sheets: Annotated[
            bool,
            typer.Option(
                "--all-sheets", help="Also read hidden sheets and instruction sheets (填表说明)"
            ),
        ] = False,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Check and report; write nothing")
        ] = False,
        skip_invalid: Annotated[
            bool, typer.Option("--skip-invalid", help="Load the valid rows, skip invalid ones")
        ] = False,
        on_conflict: Annotated[
            str, typer.Option(help="A record exists with different values: update, skip or fail")
        ] = "update",
        report: Annotated[
            Path | None,
            typer.Option(
                "--report",
                help="Write the full report as JSON here; a name ending .csv gets the problems "
                "as a CSV for Excel",
            ),
        ] = None,
        loaded_by: Annotated[
            str | None, typer.Option("--loaded-by", help="Who loads (default: the login name)")
        ] = None,
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
    ) -> None:
        """Load spreadsheets; every problem is listed, and a file with errors changes nothing."""
        from rich.console import Console

        from graph.stores import open_store
        from loaders import ON_CONFLICT, load_file
        from loaders.files import ReadLimits
        from loaders.kinds import load_kind
        from loaders.report import problems_table, summary_line

        if on_conflict not in ON_CONFLICT:
            raise typer.BadParameter(f"--on-conflict must be one of {', '.join(ON_CONFLICT)}")
        if kind is not None:
            from loaders.errors import LoadError

            try:
                load_kind(kind)
            except LoadError as e:
                raise typer.BadParameter(str(e)) from None
        for f in files:
            if not f.is_file():
                raise typer.BadParameter(f"no such file: {f}")
        console = Console(stderr=True)
        settings = settings_from(store_path=store, store=store_kind)
        graph_store = open_store(settings)
        reports = []
        try:
            for f in files:
                with _progress(console, f.name) as progress:
                    reports.append(load_file(
                        graph_store, f, kind=kind, sheet=sheet, dry_run=dry_run,
                        on_conflict=on_conflict,  # type: ignore[arg-type]
                        skip_invalid=skip_invalid, loaded_by=loaded_by, progress=progress,
                        all_sheets=all_sheets,
                        limits=ReadLimits.from_settings(settings),
                    ))  # fmt: skip
        finally:
            graph_store.close()
        out = Console() if console.is_terminal else Console(width=160)
        if any(r.problems for r in reports):
            out.print(problems_table(reports))
        if dry_run:
            from loaders.report import records_table

            for r in reports:
                if r.records:
                    out.print(records_table(r))
        for r in reports:
            out.print(summary_line(r), highlight=False)
        if report is not None and report.suffix.lower() == ".csv":
            from loaders.report import write_problems_csv

            with report.open("w", encoding="utf-8", newline="") as fh:
                write_problems_csv(reports, fh)
        elif report is not None:
            payload = [r.model_dump(mode="json") for r in reports]
            report.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        if not all(r.valid and r.status != "unloadable" for r in reports):
            raise typer.Exit(1)


def register_imports(app: typer.Typer) -> None:
    @app.command()
    def imports(
        limit: Annotated[int, typer.Option(help="How many runs to show")] = 20,
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
    ) -> None:
        """The import log: recent loads, newest first (what, when, by whom, what changed)."""
        from rich.console import Console
        from rich.table import Table

        from graph.stores import open_store
        from loaders.importlog import import_runs

        graph_store = open_store(settings_from(store_path=store, store=store_kind))
        try:
            runs = import_runs(graph_store, limit)
        finally:
            graph_store.close()
        table = Table(title="导入记录 / Import runs")
        for name in ("loaded_at", "loaded_by", "file", "kinds", "status", "rows",
                     "nodes +/~/=", "relationships +/~/="):  # fmt: skip
            table.add_column(name)
        for run in runs:
            p = run.props
            table.add_row(
                p.get("loaded_at", ""), p.get("loaded_by", ""), p.get("file", ""),
                ", ".join(p.get("load_kinds", [])), p.get("status", ""),
                f"{p.get('rows_loaded', 0)}/{p.get('rows', 0)}",
                f"{p.get('nodes_created', 0)}/{p.get('nodes_updated', 0)}/"
                f"{p.get('nodes_unchanged', 0)}",
                f"{p.get('relationships_created', 0)}/{p.get('relationships_updated', 0)}/"
                f"{p.get('relationships_unchanged', 0)}",
            )  # fmt: skip
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        console.print(table)


class _progress:
    """A rich progress bar on a terminal; on a pipe, one line when writing starts."""

    def __init__(self, console: Any, name: str) -> None:
        from rich.progress import Progress

        self.console = console
        self.name = name
        self.bar = Progress(console=console, transient=True, disable=not console.is_terminal)
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _progress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "write" and done == 0 and total:
            self.console.print(f"{self.name}: writing {total:,} records", highlight=False)
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.bar.add_task(f"{self.name} {stage}", total=total)
        self.bar.update(task, completed=done, total=total)
