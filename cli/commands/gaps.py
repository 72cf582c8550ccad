"""``gridgraph gaps``: the planner's to-do list of missing links, as a table or CSV."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.options import StoreKindOption, StorePathOption, settings_from
from graph import dates
from graph.contract import GraphStore
from graph.errors import StoreUnavailable

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Day (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日) whose posts, pairings and contracts "
        "count (default: today in GRIDGRAPH_TIMEZONE)",
        show_default=False,
    ),
]


def parse_day(text: str | None, option: str = "--as-of") -> date | None:
    """A date option's value as a date; a bad value is a usage error, not a traceback."""
    if text is None:
        return None
    try:
        return dates.parse_day(text)
    except dates.BadDay as e:
        raise typer.BadParameter(str(e), param_hint=option) from None


def open_existing_store(store: Path | None, store_kind: str | None) -> GraphStore:
    """The configured store; an embedded store file must exist (reading never creates one)."""
    from graph.stores import open_store

    settings = settings_from(store_path=store, store=store_kind)
    if settings.store == "memory" and not settings.store_path.exists():
        raise StoreUnavailable(
            f"no store at {settings.store_path} (build one with 'gridgraph seed' or pass --store)"
        )
    return open_store(settings)


def register(app: typer.Typer) -> None:
    @app.command()
    def gaps(
        as_of: AsOfOption = None,
        csv_file: Annotated[
            str | None,
            typer.Option(
                "--csv",
                metavar="FILE|-",
                help="Write every gap as CSV to FILE, or to standard output with '-'",
                show_default=False,
            ),
        ] = None,
        bom: Annotated[
            bool | None,
            typer.Option(
                "--bom/--no-bom",
                help="Start the CSV with the UTF-8 byte-order mark, so that Excel on a Chinese "
                "Windows reads it as UTF-8 (default: yes for a file, no for standard output)",
                show_default=False,
            ),
        ] = None,
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
    ) -> None:
        """List every grid with a missing link in its responsibility chain, by kind of gap."""
        from graph.queries.gaps import find_gaps

        day = parse_day(as_of)
        with open_existing_store(store, store_kind) as graph_store:
            report = find_gaps(graph_store, day)

        if csv_file == "-":
            report.write_csv(sys.stdout, bom=bool(bom))
            return
        console = Console()
        table = Table(title=f"Gaps in responsibility chains on {report.as_of.isoformat()}")
        table.add_column("level")
        table.add_column("kind of gap")
        table.add_column("count", justify="right")
        table.add_column("checked", justify="right")
        for (level, what), count in report.counts().items():
            checked = report.checked.get(level, 0)
            table.add_row(level, what, str(count), str(checked))
        if report.rows:
            console.print(table)
        total = sum(report.checked.values())
        console.print(
            f"{len(report.rows)} gaps in {len(report.nodes_with_gaps())} of {total} "
            "grids and event types checked"
        )
        if csv_file:
            with open(csv_file, "w", encoding="utf-8", newline="") as out:
                n = report.write_csv(out, bom=bom is not False)
            console.print(f"wrote {n} rows to {csv_file}")
