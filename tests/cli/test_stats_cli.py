"""``gridgraph seed`` and ``gridgraph stats`` through typer's runner on a real store file, and
``gridgraph serve`` seeding an empty store before it answers GraphQL over real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
import time_machine
from typer.testing import CliRunner

from cli.main import app
from loaders.reference.figures import FIGURES
from loaders.reference.generator import build_district

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "graph.sqlite"
    result = runner.invoke(app, ["seed", "--store", str(path), "--no-progress"])
    assert result.exit_code == 0, result.output
    district = build_district(0)
    sizes = f"{len(district.nodes):,} nodes, {len(district.rels):,} relationships"
    assert f"seeded 1 district into {path}: {sizes}" in result.output
    return path


def test_stats_json_shows_every_figure_as_stated(seeded: Path) -> None:
    result = runner.invoke(app, ["stats", "--json", "--store", str(seeded)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["nodes"]["Building"] == 2988
    assert data["relationships"]["PART_OF"] == 10 + 56 + 312 + 2988
    assert data["grid_levels"]["building"]["with_leader"] == 1589
    failing = {k: c for k, c in data["checks"].items() if not c["ok"]}
    assert not failing
    assert {f.key for f in FIGURES} <= set(data["figures"])
    assert data["checks"]["grid_workers"]["seed"] == "8,400+"
    assert data["checks"]["buildings"]["seed"] == "2,988"


def test_stats_as_of_a_past_day(seeded: Path) -> None:
    result = runner.invoke(
        app, ["stats", "--json", "--store", str(seeded), "--as-of", "2025-05-01"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["as_of"] == "2025-05-01"
    assert data["figures"]["building_leaders"] == 1589 - 12
    assert data["checks"]["building_leaders"]["ok"] is False


@pytest.mark.parametrize("day", ["2023-06-30", "2026-12-01", "2035-12-31"])
def test_stats_as_of_the_report_day_and_later_hold_every_figure(seeded: Path, day: str) -> None:
    result = runner.invoke(app, ["stats", "--json", "--store", str(seeded), "--as-of", day])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["as_of"] == day
    assert {k: c["value"] for k, c in data["checks"].items() if not c["ok"]} == {}
    assert data["figures"]["partner_units"] == 516 and data["figures"]["grid_workers"] == 8436


def test_stats_tables(seeded: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(seeded)])
    assert result.exit_code == 0, result.output
    for title in ("Nodes per kind", "Relationships per type", "Grid levels", "seed's figures"):
        assert title in result.output
    assert "板凳会" in result.output and "✗" not in result.output


def test_stats_refuses_a_bad_day_in_one_line(seeded: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(seeded), "--as-of", "yesterday"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "'yesterday' is not a date" in result.output


def test_stats_on_an_empty_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(tmp_path / "empty.sqlite")])
    assert result.exit_code == 0
    assert "gridgraph seed" in result.output


def test_seed_rebuilds(seeded: Path, tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    shutil.copy(seeded, path)
    again = runner.invoke(app, ["seed", "--store", str(path)])
    assert again.exit_code == 0, again.output
    district = build_district(0)
    assert f"cleared {len(district.nodes):,} nodes and {len(district.rels):,} relationships" in (
        again.output
    )
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--store", str(path)]).output)
    assert stats["nodes"]["Building"] == 2988


def test_seed_and_export_are_byte_identical_whatever_the_day(tmp_path: Path) -> None:
    """The reference graph's dates are fixed: built and exported on two different days (the
    clock itself is moved, so any use of today anywhere would show), the files are the same."""
    exports = []
    for name, day in (("a", "2024-02-29 12:00"), ("b", "2031-07-15 12:00")):
        store, out = tmp_path / f"{name}.sqlite", tmp_path / f"{name}.jsonl"
        with time_machine.travel(datetime.fromisoformat(day + "+00:00"), tick=False):
            assert date.today() == date.fromisoformat(day[:10])
            seeded = runner.invoke(app, ["seed", "--store", str(store), "--no-progress"])
            assert seeded.exit_code == 0, seeded.output
            exported = runner.invoke(app, ["export", str(out), "--store", str(store)])
            assert exported.exit_code == 0, exported.output
        exports.append(out.read_bytes())
    assert len(exports[0]) > 1_000_000
    assert exports[0] == exports[1]
    old = runner.invoke(
        app, ["seed", "--store", str(tmp_path / "c.sqlite"), "--today", "2025-01-01"]
    )
    assert old.exit_code != 0 and "--today" in old.output  # the option is gone: no day to pin


def test_seed_refuses_scale_zero(tmp_path: Path) -> None:
    result = runner.invoke(app, ["seed", "--scale", "0", "--store", str(tmp_path / "g.sqlite")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_seeds_an_empty_store_then_answers(tmp_path: Path) -> None:
    port = _free_port()
    store = tmp_path / "served.sqlite"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = httpx.post(
                    f"http://127.0.0.1:{port}/graphql", json={"query": "{ counts }"}, timeout=2
                )
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert reply.status_code == 200
        assert reply.json()["data"]["counts"]["nodes"]["Building"] == 2988
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=20)
    assert "seeded the Qibin reference graph" in output
