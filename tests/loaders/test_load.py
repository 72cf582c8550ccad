"""Writing: idempotent, all or nothing (even under kill -9), with provenance and an import log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from loaders import load_file
from loaders.importlog import import_runs

from .conftest import FIRM, UNIT_A, csv_bytes, snapshot
from .test_files import _xlsx

AGREEMENTS = (
    "协议编号,共建单位,社区,签订日期,生效日期,有效期至,共建内容\n"
    "GJ-1,河师大,黎阳社区,2023/5/1,2023/5/1,2025/4/30,文明实践、志愿服务\n"
    "GJ-2,河师大,东方社区,2023/6/1,2023/6/1,2025/5/31,海棠书巷\n"
)
ROOT = Path(__file__).resolve().parents[2]


def test_loading_the_same_file_twice_changes_nothing(seeded: MemoryStore) -> None:
    first = load_file(seeded, csv_bytes(AGREEMENTS), filename="a.csv", loaded_by="alice")
    assert first.status == "loaded"
    assert (first.changes.nodes_created, first.changes.relationships_created) == (2, 4)
    graph, counts = snapshot(seeded), seeded.counts()
    again = load_file(seeded, csv_bytes(AGREEMENTS), filename="a.csv", loaded_by="bob")
    assert again.status == "loaded" and not again.changes.changed
    assert (again.changes.nodes_unchanged, again.changes.relationships_unchanged) == (2, 4)
    assert snapshot(seeded) == graph  # provenance of the first load is kept
    assert {k: v for k, v in seeded.counts().nodes.items() if k != "ImportRun"} == {
        k: v for k, v in counts.nodes.items() if k != "ImportRun"
    }
    assert seeded.counts().relationships == counts.relationships
    runs = import_runs(seeded)
    assert [(r.props["loaded_by"], r.props["nodes_created"], r.props["nodes_unchanged"])
            for r in runs] == [("bob", 0, 2), ("alice", 2, 0)]  # fmt: skip


def test_provenance_on_every_node_and_relationship(seeded: MemoryStore) -> None:
    report = load_file(seeded, csv_bytes(AGREEMENTS), filename="a.csv", loaded_by="alice")
    written = [n for n in seeded.iter_nodes("Agreement")]
    written += [r for r in seeded.iter_relationships("PARTY_TO")]
    assert len(written) == 6
    for record in written:
        p = record.props
        assert p["source_file"] == "a.csv" and p["loaded_by"] == "alice"
        assert p["loaded_at"] == report.loaded_at and p["source_row"] in (2, 3)
        assert "source_sheet" not in p  # a CSV file has no sheets
    assert seeded.get_nodes(["agreement:GJ-2"])["agreement:GJ-2"].props["source_row"] == 3


def test_on_conflict_update_skip_fail(seeded: MemoryStore) -> None:
    load_file(seeded, csv_bytes(AGREEMENTS), filename="a.csv")
    changed = AGREEMENTS.replace("海棠书巷", "红领巾驿站")
    before = snapshot(seeded)
    fail = load_file(seeded, csv_bytes(changed), filename="b.csv", on_conflict="fail")
    assert fail.status == "rejected" and snapshot(seeded) == before
    assert [(p.row, p.column, p.message_en) for p in fail.errors] == [
        (
            3,
            "共建内容",
            "agreement:GJ-2 already exists with different values: topics is "
            "'海棠书巷', the file says '红领巾驿站'",
        ),
    ]
    skip = load_file(seeded, csv_bytes(changed), filename="b.csv", on_conflict="skip")
    assert skip.status == "loaded" and skip.rows_skipped == 1 and not skip.changes.changed
    assert snapshot(seeded) == before
    update = load_file(seeded, csv_bytes(changed), filename="b.csv")
    assert update.changes.nodes_updated == 1 and update.changes.nodes_unchanged == 1
    node = seeded.get_nodes(["agreement:GJ-2"])["agreement:GJ-2"]
    assert node.props["topics"] == ["红领巾驿站"] and node.props["source_file"] == "b.csv"


def test_rows_may_refer_to_earlier_rows_and_sheets(seeded: MemoryStore) -> None:
    data = _xlsx({
        "小区": [["社区", "小区编号", "名称"], ["观景社区", "001", "光影小巷小区"]],
        "楼栋": [["小区", "楼栋编号", "层数"], ["410611001003-001", "01", 6],
                 ["光影小巷小区", "02", "７"]],
    })  # fmt: skip
    report = load_file(seeded, data, filename="grid.xlsx")
    assert report.status == "loaded", report.problems
    assert [(s.name, s.kind) for s in report.sheets] == [
        ("小区", "compounds"),
        ("楼栋", "buildings"),
    ]
    walk = seeded.walk(["building:410611001003-001-02"], "PART_OF")
    assert [n.id for n in walk["building:410611001003-001-02"]] == [
        "compound:410611001003-001",
        "community:410611001003",
    ]
    assert seeded.get_nodes(["building:410611001003-001-02"])[
        "building:410611001003-001-02"].props["floors"] == 7  # fmt: skip


def test_rows_that_lean_on_a_refused_row_are_refused_too(seeded: MemoryStore) -> None:
    data = _xlsx({
        "小区": [["社区", "小区编号", "名称", "户数"], ["观景社区", "001", "新小区", "很多"]],
        "楼栋": [["小区", "楼栋编号"], ["410611001003-001", "01"], ["410611001001-007", "01"]],
    })  # fmt: skip
    report = load_file(seeded, data, filename="grid.xlsx", skip_invalid=True)
    assert report.status == "partial"
    assert [(p.sheet, p.row, p.code) for p in report.errors] == [
        ("小区", 2, "not_int"),
        ("楼栋", 2, "unknown_ref"),
    ]
    assert [n.id for n in seeded.iter_nodes("Building")] == ["building:410611001001-007-01"]


def test_people_posts_and_other_kinds(seeded: MemoryStore) -> None:
    people = (
        "编号,名称,性别,党员,五老,岗位类型,岗位所属,生效日期,人员来源\n"
        "P1,王诚,男,是,是,小区党支部书记,幸福小区,2021-06-01,residents\n"
        "P2,李四,女,否,,网格员,黎阳社区,2022-01-01,residents\n"
        "P3,张五,男,是,,网格员,黎阳社区,2022-01-01,property_firm\n"
    )
    report = load_file(seeded, csv_bytes(people), filename="people.csv")
    assert report.status == "loaded", report.problems
    post = seeded.get_nodes(["post:grid_worker-410611001001"])["post:grid_worker-410611001001"]
    assert post.props["name"] == "黎阳社区网格员"
    holders = seeded.neighbours([post.id], "HOLDS", direction="in")[post.id]
    assert [h.node.id for h in holders] == ["person:P2", "person:P3"]
    assert seeded.neighbours([post.id], "POST_IN")[post.id][0].node.id == "community:410611001001"
    pairing = "包联单位,社区,生效日期\n淇滨区城市管理局,黎阳社区,2022-01-01\n"
    assert load_file(seeded, csv_bytes(pairing), filename="p.csv").status == "loaded"
    contract = f"物业公司,统一社会信用代码,小区,合同编号\n,{FIRM},幸福小区,WY-1\n"
    assert load_file(seeded, csv_bytes(contract), filename="c.csv").status == "loaded"
    events = "编号,名称,事件大类,处置单位\nET01,占道经营,EC01,淇滨区城市管理局、淇滨区民政局\n"
    cats = load_file(seeded, csv_bytes("编号,名称\nEC01,城市管理\n"), filename="c.csv",
                     kind="event_categories")  # fmt: skip
    assert cats.status == "loaded"
    assert load_file(seeded, csv_bytes(events), filename="e.csv").status == "loaded"
    handled = seeded.neighbours(["event_type:ET01"], "HANDLED_BY")["event_type:ET01"]
    assert [(h.node.id, h.relationship.props["role"]) for h in handled] == [
        ("department:D001", "key"),
        ("department:D002", "n"),
    ]
    teams = "编号,名称,服务社区\nVT1,暖阳志愿服务队,黎阳社区、东方社区\n"
    assert load_file(seeded, csv_bytes(teams), filename="t.csv").problems[0].code == (
        "ambiguous_kind"  # social organisations have the same columns
    )
    assert load_file(seeded, csv_bytes(teams), filename="t.csv", kind="volunteer_teams").valid
    assert len(seeded.neighbours(["volunteer_team:VT1"], "ACTIVE_IN")["volunteer_team:VT1"]) == 2
    assert seeded.count_nodes("Unit") == 2 and UNIT_A


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is a POSIX signal")
def test_kill_9_during_a_large_load_leaves_the_store_as_before(
    store_path: Path, tmp_path: Path
) -> None:
    rows = ["协议编号,共建单位,社区,签订日期,有效期至"]
    rows += [f"K-{i:06d},河师大,黎阳社区,2023/5/1,2025/4/30" for i in range(15_000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = MemoryStore(store_path)
    graph, counts = snapshot(before), before.counts()
    before.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "load", str(big), "--store", str(store_path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert proc.stderr is not None
    line = ""
    while "writing" not in line:  # printed just before the one unit of work is committed
        line = proc.stderr.readline()
        assert line, "the load ended before writing"
    assert "writing 45,000 records" in line, line
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed, not finished
    after = MemoryStore(store_path)
    assert snapshot(after) == graph and after.counts() == counts
    # and the same file loads completely afterwards
    report = load_file(after, big)
    assert report.status == "loaded" and after.count_nodes("Agreement") == 15_000
    after.close()


def test_the_garbage_collector_is_put_back(seeded: MemoryStore) -> None:
    import gc

    assert gc.isenabled()
    load_file(seeded, csv_bytes(AGREEMENTS), filename="a.csv")
    assert gc.isenabled()
    gc.disable()
    try:
        load_file(seeded, csv_bytes(AGREEMENTS), filename="a.csv")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_correcting_an_agreements_dates_updates_its_links(seeded: MemoryStore) -> None:
    load_file(seeded, csv_bytes(AGREEMENTS), filename="a.csv")
    fixed = AGREEMENTS.replace("2023/6/1,2023/6/1", "2023/6/1,2023/7/1")
    report = load_file(seeded, csv_bytes(fixed), filename="b.csv")
    # a link's id carries its first day (as every writer derives it): the corrected links
    # replace the old ones, which are listed with their values before
    assert report.changes.nodes_updated == 1
    assert (report.changes.relationships_created, report.changes.relationships_removed) == (2, 2)
    links = seeded.neighbours(["agreement:GJ-2"], "PARTY_TO", direction="in")["agreement:GJ-2"]
    assert [h.relationship.props["valid_from"] for h in links] == ["2023-07-01", "2023-07-01"]
    removed = [r for r in report.records if r.action == "removed"]
    assert {r.id for r in removed} == {
        "PARTY_TO:community:410611001002>agreement:GJ-2@2023-06-01",
        f"PARTY_TO:unit:{UNIT_A}>agreement:GJ-2@2023-06-01",
    }
    [run] = [r for r in import_runs(seeded) if r.props["file"] == "b.csv"]
    logged = json.loads(run.props["changes"])
    assert {c["id"] for c in logged if c["action"] == "removed"} == {r.id for r in removed}
    [node] = [c for c in logged if c["id"] == "agreement:GJ-2"]
    assert {"field": "valid_from", "old": "2023-06-01", "new": "2023-07-01"} in node["changes"]


def test_a_department_belongs_to_the_district_its_row_names(seeded: MemoryStore) -> None:
    departments = (
        "编号,名称,职能,重点责任单位,所属区\nD-UM,示例区城管局,urban_management,是,淇滨区\n"
    )
    report = load_file(seeded, csv_bytes(departments), filename="departments.csv")
    assert report.status == "loaded", report.problems
    hops = seeded.neighbours(["department:D-UM"], "DEPARTMENT_OF")["department:D-UM"]
    assert [h.node.id for h in hops] == ["district:410611"]
