"""``gridgraph graphql-schema``: write (or check) the GraphQL SDL in docs/schema.graphql."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("graphql-schema")
    def graphql_schema(
        output: Annotated[
            Path | None, typer.Option(help="Where to write the SDL (default: docs/schema.graphql)")
        ] = None,
        check: Annotated[
            bool, typer.Option("--check", help="Only check that the file is up to date")
        ] = False,
    ) -> None:
        """Export the API's GraphQL schema (SDL), generated from the ontology."""
        from api.sdl import SDL_PATH, schema_sdl, write_sdl

        path = output or SDL_PATH
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != schema_sdl():
                typer.echo(f"{path} is out of date: run `gridgraph graphql-schema`", err=True)
                raise typer.Exit(1)
            typer.echo(f"{path} is up to date")
            return
        changed = write_sdl(path)
        typer.echo(f"{'wrote' if changed else 'unchanged'} {path}")
