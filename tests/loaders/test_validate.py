"""Validation before any write: each problem is reported exactly, and nothing is written."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.memory import MemoryStore
from loaders import LOAD_KINDS, load_file
from loaders.report import Problem

from .conftest import UNIT_A, UNIT_B, csv_bytes, seed, snapshot

AGREEMENT_HEADER = "协议编号,共建单位,统一社会信用代码,社区,签订日期,生效日期,有效期至,共建内容\n"


def entry(p: Problem) -> dict:
    return p.model_dump()


def load_csv(store: MemoryStore, text: str, name: str = "f.csv", **kw: object):
    return load_file(store, csv_bytes(text), filename=name, **kw)  # type: ignore[arg-type]


def only_error(report) -> dict:
    errors = report.errors
    assert len(errors) == 1, errors
    return entry(errors[0])


def test_bad_check_character(seeded: MemoryStore) -> None:
    bad = UNIT_A[:17] + ("0" if UNIT_A[17] != "0" else "1")
    before = snapshot(seeded)
    report = load_csv(seeded, f"统一社会信用代码,名称\n{bad},某单位\n", "units.csv")
    assert only_error(report) == {
        "file": "units.csv", "sheet": None, "row": 2, "column": "统一社会信用代码",
        "code": "bad_uscc", "severity": "error",
        "message_zh": f"统一社会信用代码“{bad}”无效：校验码应为“{UNIT_A[17]}”，实为“{bad[17]}”",
        "message_en": f"unified social credit code '{bad}' is invalid: the check character "
                      f"should be '{UNIT_A[17]}', not '{bad[17]}'",
    }  # fmt: skip
    assert report.status == "rejected" and snapshot(seeded) == before


def test_unknown_reference(seeded: MemoryStore) -> None:
    report = load_csv(seeded, AGREEMENT_HEADER + "GJ-1,河师大,,无名社区,2023-05-01,,,\n")
    assert only_error(report) == {
        "file": "f.csv", "sheet": None, "row": 2, "column": "社区", "code": "unknown_ref",
        "severity": "error",
        "message_zh": "找不到社区或街道/乡镇或区“无名社区”，请先导入街道或社区",
        "message_en": "no community or subdistrict or district named or coded '无名社区'; "
                      "load the subdistricts (街道) or communities (社区) first",
    }  # fmt: skip


def test_ambiguous_reference_is_an_error_not_a_guess(seeded: MemoryStore) -> None:
    report = load_csv(seeded, AGREEMENT_HEADER + "GJ-1,河师大,,老城社区,2023-05-01,,,\n")
    assert only_error(report) == {
        "file": "f.csv", "sheet": None, "row": 2, "column": "社区", "code": "ambiguous_ref",
        "severity": "error",
        "message_zh": "“老城社区”对应多个对象：community:410611001001, community:410611001002，"
                      "请填写编号",
        "message_en": "'老城社区' matches several records: community:410611001001, "
                      "community:410611001002; give the code instead",
    }  # fmt: skip
    # the code settles it
    ok = load_csv(seeded, AGREEMENT_HEADER + "GJ-1,河师大,,410611001002,2023-05-01,,,\n")
    assert ok.status == "loaded", ok.problems


def test_reference_by_id_code_name_and_alias(seeded: MemoryStore) -> None:
    text = AGREEMENT_HEADER + (
        f"GJ-1,,{UNIT_A},community:410611001001,2023/5/1,,,\n"
        f"GJ-2,河南师范大学社会事业学院,,东方社区,2023/5/1,,,\n"
        f"GJ-3,河师大,,观景社区,2023/5/1,,,\n"
        f"GJ-4,{UNIT_B},,黎阳路街道,2023/5/1,,,\n"
    )
    report = load_csv(seeded, text)
    assert report.status == "loaded", report.problems
    rels = {r.id: r for r in seeded.iter_relationships("PARTY_TO")}
    assert {(r.source, r.target, r.props["role"]) for r in rels.values()} == {
        (f"unit:{UNIT_A}", "agreement:GJ-1", "partner"),
        ("community:410611001001", "agreement:GJ-1", "community"),
        (f"unit:{UNIT_A}", "agreement:GJ-2", "partner"),
        ("community:410611001002", "agreement:GJ-2", "community"),
        (f"unit:{UNIT_A}", "agreement:GJ-3", "partner"),
        ("community:410611001003", "agreement:GJ-3", "community"),
        (f"unit:{UNIT_B}", "agreement:GJ-4", "partner"),
        ("subdistrict:410611001", "agreement:GJ-4", "subdistrict"),
    }


def test_name_and_code_that_disagree(seeded: MemoryStore) -> None:
    report = load_csv(seeded, AGREEMENT_HEADER + f"GJ-1,河师大,{UNIT_B},黎阳社区,,,,\n")
    assert only_error(report) == {
        "file": "f.csv", "sheet": None, "row": 2, "column": "统一社会信用代码",
        "code": "ref_mismatch", "severity": "error",
        "message_zh": f"“河师大”与统一社会信用代码“{UNIT_B}”不是同一对象",
        "message_en": f"'河师大' and 统一社会信用代码 '{UNIT_B}' name different records",
    }  # fmt: skip


def test_duplicate_row(seeded: MemoryStore) -> None:
    row = "GJ-1,河师大,,黎阳社区,2023-05-01,2023-05-01,2025-04-30,共建\n"
    same_dates_other_form = "GJ-1,河师大,,黎阳社区,2023/5/1,2023年5月1日,2025.4.30,共建\n"
    report = load_csv(seeded, AGREEMENT_HEADER + row + same_dates_other_form)
    assert only_error(report) == {
        "file": "f.csv", "sheet": None, "row": 3, "column": None, "code": "duplicate_row",
        "severity": "error", "message_zh": "与第2行重复", "message_en": "duplicate of row 2",
    }  # fmt: skip


def test_rows_that_disagree_about_one_record(seeded: MemoryStore) -> None:
    text = AGREEMENT_HEADER + (
        "GJ-1,河师大,,黎阳社区,2023-05-01,,,\nGJ-1,河师大,,东方社区,2023-06-01,,,\n"
    )
    assert only_error(load_csv(seeded, text)) == {
        "file": "f.csv", "sheet": None, "row": 3, "column": "签订日期", "code": "row_conflict",
        "severity": "error",
        "message_zh": "与第2行的agreement:GJ-1不一致：signed_on “2023-05-01” ≠ “2023-06-01”",
        "message_en": "disagrees with row 2 on agreement:GJ-1: signed_on '2023-05-01' != "
                      "'2023-06-01'",
    }  # fmt: skip


def test_missing_column(seeded: MemoryStore) -> None:
    report = load_csv(seeded, "协议编号,共建单位,签订日期\nGJ-1,河师大,2023-05-01\n",
                      kind="agreements")  # fmt: skip
    assert entry(report.problems[0]) == {
        "file": "f.csv", "sheet": None, "row": 1, "column": "社区 / community",
        "code": "missing_column", "severity": "error",
        "message_zh": "缺少必填列“社区 / community”",
        "message_en": "required column '社区 / community' is missing",
    }  # fmt: skip
    assert report.status == "rejected" and report.rows_invalid == 1


def test_required_cell_and_reversed_dates(seeded: MemoryStore) -> None:
    report = load_csv(seeded, AGREEMENT_HEADER + ",河师大,,黎阳社区,,2024-01-01,2023-01-01,\n")
    assert [(p.column, p.code, p.message_en) for p in report.errors] == [
        ("有效期至", "dates_reversed", "valid_from 2024-01-01 is after valid_to 2023-01-01"),
    ]


def test_bad_division_code_and_choice(seeded: MemoryStore) -> None:
    report = load_csv(seeded, "区划代码,名称,社区类型\n4106110010,新社区,城中村\n",
                      kind="communities")  # fmt: skip
    assert [(p.row, p.column, p.message_zh) for p in report.errors] == [
        (2, "区划代码", "区划代码“4106110010”应为12位数字"),
        (
            2,
            "社区类型",
            "“城中村”不是可选值（urban (城市社区), village_to_residence (村改居社区)）",
        ),
    ]


def test_kind_is_inferred_or_asked_for(seeded: MemoryStore) -> None:
    report = load_csv(seeded, "编号,名称\nX1,某某\n")
    assert report.status == "rejected"
    assert report.problems[0].code == "ambiguous_kind"
    assert "departments" in report.problems[0].message_en


def test_unknown_columns_warn_but_do_not_block(seeded: MemoryStore) -> None:
    text = f"序号,统一社会信用代码,名称,邮编\n1,{UNIT_A},河南师范大学社会事业学院,458000\n"
    report = load_csv(seeded, text)
    assert report.status == "loaded"
    assert [(p.severity, p.column, p.message_en) for p in report.problems] == [
        ("warning", "邮编", "unknown column '邮编' was ignored"),
    ]


def test_one_bad_row_changes_nothing_unless_skip_invalid(seeded: MemoryStore) -> None:
    text = AGREEMENT_HEADER + (
        "GJ-1,河师大,,黎阳社区,2023-05-01,,,\n"
        "GJ-2,河师大,,黎阳社区,2023-13-01,,,\n"
        "GJ-3,河师大,,东方社区,2023-05-01,,,\n"
    )
    before, counts = snapshot(seeded), seeded.counts()
    report = load_csv(seeded, text)
    assert report.status == "rejected"
    assert only_error(report) == {
        "file": "f.csv", "sheet": None, "row": 3, "column": "签订日期", "code": "not_date",
        "severity": "error",
        "message_zh": "“2023-13-01”不是日期（如 2023-05-01、2023/5/1、2023年5月1日）",
        "message_en": "'2023-13-01' is not a date (e.g. 2023-05-01, 2023/5/1, 2023年5月1日)",
    }  # fmt: skip
    assert snapshot(seeded) == before and seeded.counts() == counts
    report = load_csv(seeded, text, skip_invalid=True)
    assert report.status == "partial"
    assert (report.rows, report.rows_valid, report.rows_invalid) == (3, 2, 1)
    agreements = {n.id for n in seeded.iter_nodes("Agreement")}
    assert agreements == {"agreement:GJ-1", "agreement:GJ-3"}
    assert seeded.count_nodes("ImportRun", {"status": "partial", "rows_invalid": 1}) == 1


def test_dry_run_writes_nothing(seeded: MemoryStore) -> None:
    before, counts = snapshot(seeded), seeded.counts()
    report = load_csv(seeded, AGREEMENT_HEADER + "GJ-1,河师大,,黎阳社区,2023-05-01,,,\n",
                      dry_run=True)  # fmt: skip
    assert report.status == "checked" and report.valid
    assert report.changes.nodes_created == 1 and report.changes.relationships_created == 2
    assert snapshot(seeded) == before and seeded.counts() == counts


@pytest.mark.parametrize("header", ["zh", "en", "both"])
def test_headers_in_either_language(seeded: MemoryStore, header: str) -> None:
    zh = "编号,名称,职能,重点责任单位"
    en = "code,name,function,key_unit"
    head = {"zh": zh, "en": en, "both": zh + "\n" + en}[header]
    report = load_csv(seeded, head + "\nD010,淇滨区环卫中心,环卫,是\n", kind="departments")
    assert report.status == "loaded", report.problems
    node = seeded.get_nodes(["department:D010"])["department:D010"]
    assert node.props["function"] == "sanitation" and node.props["key_unit"] is True


def test_a_title_row_above_the_headers_is_skipped(seeded: MemoryStore) -> None:
    title = "2024年共建协议台账,,,,,,,\n"
    text = title + AGREEMENT_HEADER + "GJ-1,河师大,,黎阳社区,2023-05-01,,,\n"
    report = load_csv(seeded, text)
    assert report.status == "loaded", report.problems
    assert report.sheets[0].header_rows == [2]
    assert seeded.get_nodes(["agreement:GJ-1"])["agreement:GJ-1"].props["source_row"] == 3


_HEADERS = sorted({h for k in LOAD_KINDS.values() for c in k.columns for h in (c.zh, c.name)})
_cell = st.one_of(st.sampled_from(["黎阳社区", "河师大", "2023/5/1", "45047", "是", "", "007",
                                   "410611001001", UNIT_A, "community:410611001001"]),
                  st.text(max_size=12))  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.one_of(
        st.lists(st.one_of(st.sampled_from(_HEADERS), st.text(max_size=6)), min_size=1,
                 max_size=8),
        st.sampled_from([[c.zh for c in k.columns] for k in LOAD_KINDS.values()]),
    ),
    rows=st.lists(st.lists(_cell, max_size=9), max_size=6),
    kind=st.one_of(st.none(), st.sampled_from(sorted(LOAD_KINDS))),
)  # fmt: skip
def test_any_table_gives_a_report_never_an_exception(
    header: list[str], rows: list[list[str]], kind: str | None
) -> None:
    store = MemoryStore()
    seed(store)
    before = snapshot(store)
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    report = load_file(store, out.getvalue().encode("utf-8"), filename="r.csv", kind=kind)
    assert report.status in ("loaded", "partial", "rejected", "unloadable")
    if report.status == "rejected":
        assert snapshot(store) == before


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=200), name=st.sampled_from(["x.csv", "x.json", "x.jsonl",
                                                          "x.xlsx", "x"]))  # fmt: skip
def test_any_bytes_give_a_report(data: bytes, name: str) -> None:
    report = load_file(MemoryStore(), data, filename=name)
    assert report.status in ("loaded", "rejected", "unloadable")
