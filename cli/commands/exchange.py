"""``gridgraph export`` / ``import`` / ``copy``: move a whole graph between stores."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.options import StoreKindOption, StorePathOption, settings_from

BatchOption = Annotated[
    int | None,
    typer.Option("--batch-size", min=1, help="Records per write (env GRIDGRAPH_NEO4J_BATCH_SIZE)"),
]


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr (stdout may carry the export itself)."""
    console = Console(stderr=True)
    columns = (
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
    )  # fmt: skip
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export(
        file: Annotated[str, typer.Argument(help="File to write (.jsonl), or - for stdout")],
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
    ) -> None:
        """Write the whole graph to a gridgraph JSON Lines file (docs/exchange-format.md)."""
        from graph.exchange import export_graph
        from graph.stores import open_store

        settings = settings_from(store_path=store, store=store_kind)
        with open_store(settings) as source, progress_bar("export") as progress:
            report = export_graph(source, sys.stdout if file == "-" else Path(file), progress)
        typer.echo(
            f"gridgraph: exported {report.nodes} nodes and {report.relationships} "
            f"relationships to {file}",
            err=True,
        )

    @app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(help="A file written by gridgraph export")],
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
        batch_size: BatchOption = None,
    ) -> None:
        """Check a gridgraph JSON Lines file, then upsert all of it into the store in batches."""
        from graph.exchange import import_graph
        from graph.stores import open_store

        settings = settings_from(store_path=store, store=store_kind)
        size = batch_size or settings.neo4j_batch_size
        with open_store(settings) as target, progress_bar("import") as progress:
            report = import_graph(target, file, size, progress)
        s = report.summary
        typer.echo(
            f"gridgraph: imported {report.nodes} nodes and {report.relationships} relationships "
            f"from {file} ({s.nodes_created + s.relationships_created} created, "
            f"{s.nodes_updated + s.relationships_updated} updated, "
            f"{s.nodes_unchanged + s.relationships_unchanged} unchanged)"
        )

    @app.command("copy")
    def copy(
        from_kind: Annotated[
            str, typer.Option("--from", help="Store to read: memory or neo4j")
        ] = "memory",
        to_kind: Annotated[str, typer.Option("--to", help="Store to write: memory or neo4j")] = (
            "neo4j"
        ),
        store: StorePathOption = None,
        batch_size: BatchOption = None,
    ) -> None:
        """Copy the whole graph from one store to the other (Neo4j settings from the env)."""
        from graph.errors import GridGraphError
        from graph.exchange import copy_graph
        from graph.stores import open_store

        if {from_kind, to_kind} != {"memory", "neo4j"}:
            raise GridGraphError("copy goes from memory to neo4j or from neo4j to memory")
        source_settings = settings_from(store_path=store, store=from_kind)
        target_settings = settings_from(store_path=store, store=to_kind)
        size = batch_size or target_settings.neo4j_batch_size
        with (
            open_store(source_settings) as source,
            open_store(target_settings) as target,
            progress_bar("copy") as progress,
        ):
            report = copy_graph(source, target, size, progress)
        typer.echo(
            f"gridgraph: copied {report.nodes} nodes and {report.relationships} relationships "
            f"from {from_kind} to {to_kind}"
        )
