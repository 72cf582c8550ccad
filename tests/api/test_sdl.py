"""docs/schema.graphql is the schema the code builds; regenerate with `gridgraph graphql-schema`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.sdl import SDL_PATH, schema_sdl
from cli.main import app
from schema import ONTOLOGY


def test_committed_sdl_matches_the_code() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == schema_sdl(), (
        "docs/schema.graphql drifted from the code: run `gridgraph graphql-schema`"
    )


def test_every_kind_and_relationship_appears_with_its_chinese_term() -> None:
    sdl = schema_sdl()
    for kind in ONTOLOGY.kinds.values():
        assert f"type {kind.name} implements" in sdl
        assert kind.zh in sdl
    for rel in ONTOLOGY.relations.values():
        assert rel.name in sdl and rel.zh in sdl
    assert "interface Node" in sdl and "interface Grid implements Node" in sdl
    assert "interface Organization implements Node" in sdl
    for kind in ONTOLOGY.implementers("Organization"):
        assert f"type {kind.name} implements Organization & Node" in sdl


def test_cli_writes_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "schema.graphql"
    runner = CliRunner()
    stale = runner.invoke(app, ["graphql-schema", "--output", str(out), "--check"])
    assert stale.exit_code == 1
    assert runner.invoke(app, ["graphql-schema", "--output", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_sdl()
    fresh = runner.invoke(app, ["graphql-schema", "--output", str(out), "--check"])
    assert fresh.exit_code == 0, fresh.output
