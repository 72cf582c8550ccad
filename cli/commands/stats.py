"""``gridgraph stats``: counts per node kind, relationship type and grid level, and the seed's
figures counted from the graph beside what the seed states."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer

from cli.options import StoreKindOption, StorePathOption, settings_from


def _parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    from graph.dates import BadDay, parse_day

    try:
        return parse_day(text)
    except BadDay as e:
        raise typer.BadParameter(str(e)) from None


def figure_checks(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each figure of the seed: the counted value, the seed's statement, whether it holds.

    The reference graph has one district per unit of scale, so per-district figures are
    multiplied by the number of districts in the store.
    """
    from loaders.reference.figures import FIGURES

    scale = max(int(figures.get("districts") or 1), 1)
    checks = {}
    for fig in FIGURES:
        value = figures.get(fig.key)
        checks[fig.key] = {
            "label": fig.label,
            "zh": fig.zh,
            "value": value,
            "seed": fig.statement
            if scale == 1 or not fig.per_district
            else f"{fig.statement} × {scale}",
            "exact": fig.exact,
            "source": fig.source,
            "ok": value is not None and fig.satisfied_by(value, scale),
        }
    return checks


def register(app: typer.Typer) -> None:
    @app.command()
    def stats(
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of tables")
        ] = False,
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Count posts and links held on this day")
        ] = None,
    ) -> None:
        """Counts per node kind, relationship type and grid level, and the seed's figures."""
        from graph.stats import graph_stats
        from graph.stores import open_store

        day = _parse_day(as_of)
        graph_store = open_store(settings_from(store_path=store, store=store_kind))
        try:
            result = graph_stats(graph_store, day)
        finally:
            graph_store.close()
        result["checks"] = figure_checks(result["figures"])
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
            return
        if not result["nodes"]:
            typer.echo("the store is empty: run `gridgraph seed` to build the reference graph")
            return
        _print_tables(result)


def _print_tables(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from schema import ONTOLOGY

    console = Console()
    kinds = Table(title="Nodes per kind", title_justify="left")
    for col in ("kind", "中文", "nodes"):
        kinds.add_column(col, justify="right" if col == "nodes" else "left")
    for kind, n in result["nodes"].items():
        kinds.add_row(kind, ONTOLOGY.kind(kind).zh, f"{n:,}")
    rels = Table(title="Relationships per type", title_justify="left")
    for col in ("type", "中文", "relationships"):
        rels.add_column(col, justify="right" if col == "relationships" else "left")
    for type_, n in result["relationships"].items():
        rels.add_row(type_, ONTOLOGY.relation(type_).zh, f"{n:,}")
    levels = Table(title=f"Grid levels on {result['as_of']}", title_justify="left")
    for col in ("level", "grids", "led", "not led", "led by", "meeting"):
        levels.add_column(col, justify="right" if col in ("grids", "led", "not led") else "left")
    for level, row in result["grid_levels"].items():
        levels.add_row(
            level,
            f"{row['grids']:,}",
            f"{row['with_leader']:,}",
            f"{row['without_leader']:,}",
            row["leader_zh"],
            row["meeting_zh"],
        )
    figures = Table(title="The seed's figures, counted from the graph", title_justify="left")
    for col in ("figure", "seed", "counted", ""):
        figures.add_column(col, justify="right" if col in ("seed", "counted") else "left")
    for check in result["checks"].values():
        value = check["value"]
        shown = "—" if value is None else f"{value:,}"
        mark = "[green]✓[/green]" if check["ok"] else "[red]✗[/red]"
        stated = check["seed"] + (" (derived)" if check["source"] == "derived" else "")
        figures.add_row(f"{check['label']} ({check['zh']})", stated, shown, mark)
    for table in (kinds, rels, levels, figures):
        console.print(table)
