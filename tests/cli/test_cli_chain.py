"""``gridgraph chain`` and ``gridgraph gaps`` through typer's runner, on a real store file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graph.memory import MemoryStore
from graph.queries.gaps import CSV_COLUMNS
from tests.chain_graph import build_small_district

runner = CliRunner()


@pytest.fixture
def store_file(tmp_path: Path) -> str:
    path = tmp_path / "district.sqlite"
    with MemoryStore(path) as s:
        build_small_district(s)
    return str(path)


def test_chain_json_by_id(store_file: str) -> None:
    result = runner.invoke(
        app,
        [
            "chain",
            "building:410611001001-001-01",
            "event_type:E0101",
            "--as-of",
            "2023-01-15",
            "--json",
            "--store",
            store_file,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2023-01-15"
    assert [lvl["level"] for lvl in data["levels"]] == [
        "building",
        "compound",
        "community",
        "subdistrict",
        "district",
    ]
    assert data["levels"][2]["in_charge"][0]["person"]["id"] == "person:P-CA"
    assert data["accountability"]["pairing"][0]["name"] == "区民政局"
    assert data["gaps"] == []


def test_chain_by_name_and_code_shows_gaps(store_file: str) -> None:
    result = runner.invoke(
        app, ["chain", "桃园小区2号楼", "E0101", "--as-of", "2024-06-01", "--store", store_file]
    )
    assert result.exit_code == 0, result.output
    assert "板凳会" in result.stdout
    assert "网格调度会" in result.stdout
    assert "2 gap(s)" in result.stdout
    assert "no_person_in_charge" in result.stdout


def test_chain_unknown_building_is_one_line(store_file: str) -> None:
    result = runner.invoke(app, ["chain", "无此楼", "E0101", "--store", store_file])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: no Building '无此楼': give an id, a code or an exact name "
        "(找不到楼栋 '无此楼'：请给出 id、编码或完整名称)"
    )


def test_gaps_table_counts(store_file: str) -> None:
    result = runner.invoke(app, ["gaps", "--as-of", "2024-06-01", "--store", store_file])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "│" in line]
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in lines]
    assert ["compound", "no_property_manager", "1", "3"] in cells
    assert ["community", "no_pairing", "1", "2"] in cells
    assert len(cells) == 6
    assert "6 gaps in 5 of 13 grids and event types checked" in result.stdout


def test_gaps_csv_to_stdout_and_file(store_file: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["gaps", "--as-of", "2024-06-01", "--csv", "-", "--store", store_file]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["kind_of_gap"] for r in rows] == [
        "no_person_in_charge",
        "no_party_organization",
        "no_party_organization",
        "no_property_manager",
        "no_pairing",
        "no_handler",
    ]
    out = tmp_path / "gaps.csv"
    result = runner.invoke(
        app, ["gaps", "--as-of", "2024-06-01", "--csv", str(out), "--store", store_file]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 6 rows" in result.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows: UTF-8
    with out.open(encoding="utf-8-sig") as f:
        assert tuple(next(csv.reader(f))) == CSV_COLUMNS
    result = runner.invoke(app, ["gaps", "--as-of", "2024-06-01", "--csv", str(out),
                                 "--no-bom", "--store", store_file])  # fmt: skip
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_gaps_bad_date_and_missing_store(tmp_path: Path, store_file: str) -> None:
    result = runner.invoke(app, ["gaps", "--as-of", "2024-13-01", "--store", store_file])
    assert result.exit_code == 2
    assert "not a date" in result.output
    missing = tmp_path / "none.sqlite"
    result = runner.invoke(app, ["gaps", "--store", str(missing)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no store at")
    assert not missing.exists()
