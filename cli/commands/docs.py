"""``gridgraph docs``: regenerate the docs that are derived from code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def render_cli_reference() -> str:
    """Every command's ``--help``, as sqlite-utils does, so the reference cannot drift."""
    import typer.main
    from typer.testing import CliRunner

    from cli.main import app

    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    env = {"COLUMNS": "100", "TERMINAL_WIDTH": "100", "NO_COLOR": "1"}
    runner = CliRunner()
    lines = [
        "# gridgraph command reference",
        "",
        "Generated from `--help` by `gridgraph docs`; do not edit by hand.",
        "",
    ]

    def section(title: str, args: list[str]) -> None:
        result = runner.invoke(app, args, env=env, prog_name="gridgraph")
        text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        lines.extend([title, "", "```", text.strip("\n"), "```", ""])

    section("## gridgraph", ["--help"])
    for name, command in sorted(group.commands.items()):
        if isinstance(command, typer.core.TyperGroup):
            section(f"## gridgraph {name}", [name, "--help"])
            for sub in sorted(command.commands):
                section(f"### gridgraph {name} {sub}", [name, sub, "--help"])
        else:
            section(f"## gridgraph {name}", [name, "--help"])
    return "\n".join(lines).rstrip() + "\n"


def derived_docs() -> dict[str, str]:
    """Each generated doc, by its path under ``docs/``, with its current content."""
    from schema.docs import render_ontology

    return {"ontology.md": render_ontology(), "cli.md": render_cli_reference()}


def register(app: typer.Typer) -> None:
    @app.command()
    def docs(
        out: Annotated[Path, typer.Option(help="Folder to write into")] = Path("docs"),
    ) -> None:
        """Regenerate docs/ontology.md and docs/cli.md from the code."""
        out.mkdir(parents=True, exist_ok=True)
        for name, text in derived_docs().items():
            (out / name).write_text(text, encoding="utf-8")
            typer.echo(f"wrote {out / name}")
