"""``gridgraph backup``: a consistent copy of the embedded store file, safe while serving."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.options import StorePathOption, settings_from


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        dest: Annotated[Path, typer.Argument(help="New file to write the copy to")],
        store: StorePathOption = None,
    ) -> None:
        """Copy the embedded store to DEST with SQLite's backup API (WAL included)."""
        from graph.backup import backup_store

        settings = settings_from(store_path=store)
        size = backup_store(settings.store_path, dest)
        typer.echo(f"backed up {settings.store_path} to {dest} ({size:,} bytes)")
