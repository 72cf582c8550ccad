"""The ``gridgraph`` command: each module in :mod:`cli.commands` registers its own commands.

Commands only parse flags, call the library and print; a user error is one plain line
(:class:`typer.Exit` with a message on stderr), never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

import cli.commands
from graph.errors import GridGraphError

app = typer.Typer(
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
    """Console entry point; library errors become one line and exit code 1."""
    try:
        app()
    except GridGraphError as e:
        typer.echo(f"Error: {e}", err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
