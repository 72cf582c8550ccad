"""``gridgraph docs``: regenerate the docs that are derived from code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def derived_docs() -> dict[str, str]:
    """Each generated doc, by its path under ``docs/``, with its current content."""
    from schema.docs import render_ontology

    return {"ontology.md": render_ontology()}


def register(app: typer.Typer) -> None:
    @app.command()
    def docs(
        out: Annotated[Path, typer.Option(help="Folder to write into")] = Path("docs"),
    ) -> None:
        """Regenerate docs/ontology.md (and other derived docs) from the code."""
        out.mkdir(parents=True, exist_ok=True)
        for name, text in derived_docs().items():
            (out / name).write_text(text, encoding="utf-8")
            typer.echo(f"wrote {out / name}")
