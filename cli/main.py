"""The ``gridgraph`` command: each module in :mod:`cli.commands` registers its own commands.

Commands only parse flags, call the library and print; a user error is one plain line
(:class:`typer.Exit` with a message on stderr), never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import typer
from typer.core import TyperGroup

import cli.commands
from graph.errors import GridGraphError


class _Commands(TyperGroup):
    """Every command's library errors become one line on stderr and exit code 1, in one place
    (the console entry point and typer's test runner alike)."""

    def invoke(self, ctx: Any) -> Any:  # click.Context (typer vendors its own click)
        try:
            return super().invoke(ctx)
        except GridGraphError as e:
            typer.echo(f"Error: {e}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Commands,
    name="gridgraph",
    help="A graph of who governs what in grid-based community governance (Qibin District).",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """A graph of who governs what in grid-based community governance (Qibin District)."""


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(cli.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"cli.commands.{info.name}")
        module.register(app)


_register_commands()


def main() -> None:
    """Console entry point; library errors become one line and exit code 1 (:class:`_Commands`)."""
    app()


if __name__ == "__main__":
    main()
