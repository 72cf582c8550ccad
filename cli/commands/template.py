"""``gridgraph template``: a blank spreadsheet to fill in, for each load kind."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def template(
        kind: Annotated[str | None, typer.Argument(help="Load kind, e.g. agreements")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx or csv")] = "xlsx",
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="File to write (default: KIND.FORMAT)")
        ] = None,
        list_kinds: Annotated[
            bool, typer.Option("--list", help="List the load kinds and their columns")
        ] = False,
        markdown: Annotated[
            bool, typer.Option("--markdown", help="With --list: the header tables as Markdown")
        ] = False,
        update_doc: Annotated[
            Path | None,
            typer.Option("--update-doc", help="Bring the header tables of this doc up to date"),
        ] = None,
    ) -> None:
        """Write a blank template (Chinese and English header rows, one example row)."""
        from loaders.kinds import LOAD_KINDS, load_kind
        from loaders.templates import (
            kinds_markdown,
            template_csv,
            template_xlsx,
            update_loading_doc,
        )

        if update_doc is not None:
            text = update_loading_doc(update_doc.read_text(encoding="utf-8"))
            update_doc.write_text(text, encoding="utf-8")
            typer.echo(f"updated {update_doc}")
            return
        if list_kinds:
            if markdown:
                typer.echo(kinds_markdown())
                return
            for k in LOAD_KINDS.values():
                cols = ", ".join(f"{c.zh}/{c.name}{'*' if c.required else ''}" for c in k.columns)
                typer.echo(f"{k.name:22} {k.zh}\n{'':22} {cols}")
            return
        if kind is None:
            raise typer.BadParameter("give a load kind, or --list to see them")
        if fmt not in ("xlsx", "csv"):
            raise typer.BadParameter("--format must be xlsx or csv")
        from loaders.errors import LoadError

        try:
            load = load_kind(kind)
        except LoadError as e:
            raise typer.BadParameter(str(e)) from None
        data = template_xlsx(load) if fmt == "xlsx" else template_csv(load)
        path = output or Path(f"{load.name}.{fmt}")
        path.write_bytes(data)
        typer.echo(f"wrote {path} ({load.zh} / {load.name}, {len(load.columns)} columns)")
