"""``gridgraph analytics`` through typer's runner, on a real store file of the small graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graph.memory import MemoryStore
from tests.small_graph import BANK, UNIVERSITY, seed_small_graph

runner = CliRunner()


@pytest.fixture
def store_file(tmp_path: Path) -> str:
    path = tmp_path / "small.sqlite"
    with MemoryStore(path) as s:
        seed_small_graph(s)
    return str(path)


def test_json_holds_every_answer(store_file: str) -> None:
    args = ["analytics", "--as-of", "2025-06-01", "--json", "--store", store_file]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2025-06-01"
    assert [(x["department"]["name"], x["population"]) for x in data["pairing_load"]] == [
        ("区民政局", 8200),
        ("区城市管理局", 6100),
    ]
    coverage = [
        (r["community"]["name"], r["led"], r["ratio"]) for r in data["building_leader_coverage"]
    ]
    assert coverage == [("东方社区", 0, 0.0), ("黎阳社区", 1, 0.5)]
    assert [p["partner"]["id"] for p in data["partners"]] == [UNIVERSITY.id, BANK.id]
    assert [c["parties"] for c in data["components"]] == [3, 1]
    assert [c["name"] for c in data["communities_without_partners"]] == ["东方社区"]
    assert data["agreements_by_topic_and_year"] == [
        {"topic": None, "year": 2022, "agreements": 1},
        {"topic": None, "year": 2023, "agreements": 2},
    ]


def test_tables_and_a_bad_day(store_file: str) -> None:
    result = runner.invoke(app, ["analytics", "--as-of", "2024-06-01", "--store", store_file])
    assert result.exit_code == 0, result.output
    assert "Partners by reach" in result.stdout and "河南师范大学社会事业学院" in result.stdout
    assert "1 components of the co-construction network: 4" in result.stdout
    bad = runner.invoke(app, ["analytics", "--as-of", "2024-13-01", "--store", store_file])
    assert bad.exit_code == 2
