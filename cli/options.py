"""Flags shared by several commands, and the bridge from flags to the one Settings object."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from graph.settings import Settings

StorePathOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Embedded store file (env GRIDGRAPH_STORE_PATH)", show_default=False
    ),
]
StoreKindOption = Annotated[
    str | None,
    typer.Option("--store-kind", help="memory or neo4j (env GRIDGRAPH_STORE)", show_default=False),
]


def settings_from(**overrides: Any) -> Settings:
    """Settings from the environment, with the flags the user gave laid on top."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given)
