"""``gridgraph load`` and ``gridgraph template`` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from graph.memory import MemoryStore

from .conftest import csv_bytes, snapshot

runner = CliRunner()

GOOD = "协议编号,共建单位,社区,签订日期\nGJ-1,河师大,黎阳社区,2023/5/1\n"
BAD = GOOD + "GJ-2,河师大,无名社区,2023/5/1\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(text, "gbk"))
    return path


def test_load_reports_problems_and_exits_non_zero(store_path: Path, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", BAD)
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["load", str(bad), "--store", str(store_path),
                                 "--report", str(report)])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "找不到社区或街道/乡镇或区“无名社区”，请先导入街道或社区" in result.output
    assert "bad.csv: nothing loaded" in result.output
    [entry] = json.loads(report.read_text(encoding="utf-8"))
    assert entry["status"] == "rejected" and entry["encoding"] == "gb18030"
    assert entry["problems"] == [{
        "file": "bad.csv", "sheet": None, "row": 3, "column": "社区", "code": "unknown_ref",
        "severity": "error",
        "message_zh": "找不到社区或街道/乡镇或区“无名社区”，请先导入街道或社区",
        "message_en": "no community or subdistrict or district named or coded '无名社区'; "
                      "load the subdistricts (街道) or communities (社区) first",
    }]  # fmt: skip
    store = MemoryStore(store_path)
    assert store.count_nodes("Agreement") == 0 and store.count_nodes("ImportRun") == 0


def test_skip_invalid_loads_the_rest_and_still_exits_non_zero(
    store_path: Path, tmp_path: Path
) -> None:
    bad = write(tmp_path, "bad.csv", BAD)
    result = runner.invoke(app, ["load", str(bad), "--store", str(store_path), "--skip-invalid",
                                 "--loaded-by", "admin"])  # fmt: skip
    assert result.exit_code == 1
    assert "bad.csv: loaded the valid rows of — 2 rows, 1 valid, 1 invalid" in result.output
    store = MemoryStore(store_path)
    node = store.get_nodes(["agreement:GJ-1"])["agreement:GJ-1"]
    assert node.props["loaded_by"] == "admin"


def test_load_twice_says_no_change(store_path: Path, tmp_path: Path) -> None:
    good = write(tmp_path, "good.csv", GOOD)
    args = ["load", str(good), "--store", str(store_path)]
    assert runner.invoke(app, args).exit_code == 0
    before = snapshot(MemoryStore(store_path))
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "(no change: already loaded)" in result.output
    assert snapshot(MemoryStore(store_path)) == before


def test_imports_lists_the_log(store_path: Path, tmp_path: Path) -> None:
    good = write(tmp_path, "good.csv", GOOD)
    runner.invoke(app, ["load", str(good), "--store", str(store_path), "--loaded-by", "alice"])
    result = runner.invoke(app, ["imports", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "good.csv" in result.output and "alice" in result.output
    assert "agreements" in result.output and "1/1" in result.output


def test_dry_run_and_bad_flags(store_path: Path, tmp_path: Path) -> None:
    good = write(tmp_path, "good.csv", GOOD)
    result = runner.invoke(app, ["load", str(good), "--store", str(store_path), "--dry-run"])
    assert result.exit_code == 0 and "checked (dry run)" in result.output
    assert MemoryStore(store_path).count_nodes("Agreement") == 0
    result = runner.invoke(app, ["load", str(good), "--on-conflict", "merge"])
    assert result.exit_code == 2 and "--on-conflict must be one of" in result.output
    result = runner.invoke(app, ["load", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_template_writes_files_and_lists_kinds(tmp_path: Path) -> None:
    out = tmp_path / "agreements.csv"
    result = runner.invoke(app, ["template", "agreements", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("协议编号,名称,签订日期") and lines[1].startswith("code,name,")
    xlsx = tmp_path / "units.xlsx"
    assert runner.invoke(app, ["template", "共建单位", "-o", str(xlsx)]).exit_code == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    listing = runner.invoke(app, ["template", "--list"])
    assert "agreements" in listing.output and "共建单位/partner" in listing.output
    assert runner.invoke(app, ["template", "nonsense"]).exit_code != 0


def test_a_csv_report_opens_in_excel(store_path: Path, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", BAD.replace("无名社区", "=HYPERLINK(1)"))
    report = tmp_path / "report.csv"
    result = runner.invoke(app, ["load", str(bad), "--store", str(store_path),
                                 "--report", str(report)])  # fmt: skip
    assert result.exit_code == 1
    data = report.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["unknown_ref"]
    assert rows[0]["row"] == "3" and "“=HYPERLINK(1)”" in rows[0]["message_zh"]


def test_a_dry_run_shows_each_record(store_path: Path, tmp_path: Path) -> None:
    good = write(tmp_path, "good.csv", GOOD)
    runner.invoke(app, ["load", str(good), "--store", str(store_path)])
    fixed = write(tmp_path, "fixed.csv", GOOD.replace("黎阳社区", "观景社区"))
    result = runner.invoke(app, ["load", str(fixed), "--dry-run", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "删除 removed" in result.output and "新建 created" in result.output
    assert "PARTY_TO:community:410611001001>agreement:GJ-1" in result.output
    assert "未变 unchanged: 2" in result.output  # the agreement and the partner's link
