"""Sheets as district offices keep them: natural columns, workbook habits, every format.

Each test builds a real file the way an office would (openpyxl for xlsx, xlwt for 97-2003
xls, a hand-written HTML table for the web systems' ".xls") and checks the graph afterwards.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
import xlwt

from graph.memory import MemoryStore
from graph.model import Direction
from loaders import load_file
from loaders.reference import build_district

from .conftest import UNIT_A, UNIT_B, csv_bytes, snapshot

SPACED_A = " ".join(UNIT_A[i : i + 4] for i in range(0, 18, 4))  # typed in groups of four
TITLE = "淇滨区2024年联建共建协议台账"
HEADER = ["序号", "共建单位", "统一社会信用代码", "社区", "签订日期", "有效期至", "共建内容",
          "联系人", "联系电话"]  # fmt: skip
# two communities signed with 河师大 on one day (one agreement), 东方社区 with another unit
HNU = "河南师范大学社会事业学院"
ROWS: list[list[Any]] = [
    [1, HNU, SPACED_A, "黎阳社区", date(2023, 5, 1), "长期", "文明实践、志愿服务",
     "王老师", "0392-3300001"],
    [2, HNU, SPACED_A, "观景社区", date(2023, 5, 1), "长期", "文明实践、志愿服务",
     "王老师", "0392-3300001"],
    [3, "鹤壁合成科技有限公司", UNIT_B, "东方社区", date(2023, 6, 1), date(2025, 5, 31), "海棠书巷",
     "李经理", "13800000000"],
]  # fmt: skip
AGREEMENT_A = f"agreement:{UNIT_A}-20230501"
AGREEMENT_B = f"agreement:{UNIT_B}-20230601"


def parties(store: MemoryStore, agreement: str) -> list[str]:
    hops = store.neighbours([agreement], "PARTY_TO", direction=Direction.IN)[agreement]
    return sorted(h.node.id for h in hops)


def assert_office_graph(store: MemoryStore) -> None:
    """What the office's agreements sheet means, whatever file it came in."""
    nodes = store.get_nodes([AGREEMENT_A, AGREEMENT_B])
    a, b = nodes[AGREEMENT_A].props, nodes[AGREEMENT_B].props
    assert a["signed_on"] == a["valid_from"] == "2023-05-01"  # 签订日期 gives valid_from
    assert "valid_to" not in a  # 长期: open
    assert a["topics"] == ["文明实践", "志愿服务"] and a["contact"] == "王老师"
    assert a["contact_phone"] == "0392-3300001"
    assert b["valid_to"] == "2025-05-31" and b["contact_phone"] == "13800000000"
    assert parties(store, AGREEMENT_A) == [
        "community:410611001001", "community:410611001003", f"unit:{UNIT_A}"]  # fmt: skip
    assert parties(store, AGREEMENT_B) == ["community:410611001002", f"unit:{UNIT_B}"]
    assert store.counts().nodes.get("Agreement") == 2


def office_workbook(hidden: bool = True) -> openpyxl.Workbook:
    """A merged title, the 社区 cell merged down, a blank row, totals and signatures, an
    instruction sheet and a hidden sheet."""
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "填表说明"
    notes.append(["填表说明：每个协议一行，日期写成2023-05-01"])
    sheet = book.create_sheet("2024年")
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    sheet.append(ROWS[0])
    sheet.append(ROWS[1])
    sheet.append([])  # a blank row between the agreements
    sheet.append(ROWS[2])
    sheet.append(["合计", None, None, None, None, None, None, None, None])
    sheet.append(["制表人：张三", None, None, "审核人：李四"])
    if hidden:
        old = book.create_sheet("旧数据")
        old.append(HEADER[1:])
        old.append(["河师大", "", "无名社区", "2020-01-01"])
        old.sheet_state = "hidden"
    return book


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_natural_agreements_sheet_loads_as_it_is(seeded: MemoryStore) -> None:
    report = load_file(seeded, xlsx_bytes(office_workbook()), filename="共建协议台账.xlsx")
    assert report.status == "loaded", report.problems
    assert_office_graph(seeded)
    notes = {(p.code, p.sheet, p.row) for p in report.problems}
    assert ("sheet_skipped", "填表说明", None) in notes
    assert ("sheet_skipped", "旧数据", None) in notes
    assert {("summary_row", "2024年", 7), ("summary_row", "2024年", 8)} <= notes
    assert all(p.severity == "info" for p in report.problems)
    assert [s.header_rows for s in report.sheets] == [[2]]
    # reloading finds the same records: nothing changes
    again = load_file(seeded, xlsx_bytes(office_workbook()), filename="共建协议台账.xlsx")
    assert again.status == "loaded" and not again.changes.changed


def test_merged_cells_mean_their_value_on_every_row(seeded: MemoryStore) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER[1:])
    for r in (ROWS[0], ROWS[1]):
        sheet.append(r[1:])
    # 共建单位, its code, 签订日期 ... merged down over the two rows of one agreement
    for col in (1, 2, 4, 5, 6, 7, 8):
        sheet.cell(3, col).value = None
        sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    report = load_file(seeded, xlsx_bytes(book), filename="merged.xlsx")
    assert report.status == "loaded", report.problems
    assert parties(seeded, AGREEMENT_A) == [
        "community:410611001001", "community:410611001003", f"unit:{UNIT_A}"]  # fmt: skip


def test_hidden_and_instruction_sheets_are_read_when_asked(seeded: MemoryStore) -> None:
    report = load_file(seeded, xlsx_bytes(office_workbook()), filename="a.xlsx", all_sheets=True)
    assert report.status == "rejected"  # the hidden sheet names a community that does not exist
    assert any(p.sheet == "旧数据" and p.code == "unknown_ref" for p in report.errors)


def _xls(rows: list[list[Any]], merges: list[tuple[int, int, int, int]] = (),
         hidden: list[list[Any]] | None = None) -> bytes:  # fmt: skip
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("2024年")
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    merged = {(r0, c0) for r0, _, c0, _ in merges}
    covered = {(r, c) for r0, r1, c0, c1 in merges for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1)} - merged  # fmt: skip
    for r0, r1, c0, c1 in merges:
        sheet.write_merge(r0, r1, c0, c1, rows[r0][c0])
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if value is None or (r, c) in merged or (r, c) in covered:
                continue
            sheet.write(r, c, value, day if isinstance(value, date) else xlwt.Style.default_style)
    if hidden is not None:
        old = book.add_sheet("旧数据")
        for r, cells in enumerate(hidden):
            for c, value in enumerate(cells):
                old.write(r, c, value)
        old.visibility = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_rows() -> list[list[Any]]:
    title = [TITLE] + [None] * (len(HEADER) - 1)
    return [title, HEADER, ROWS[0], ROWS[1], [], ROWS[2], ["合计"]]


def test_an_old_xls_workbook(seeded: MemoryStore) -> None:
    rows = office_rows()
    data = _xls(rows, merges=[(0, 0, 0, len(HEADER) - 1)], hidden=[["x"]])
    report = load_file(seeded, data, filename="共建协议.xls")
    assert report.format == "xls" and report.status == "loaded", report.problems
    assert_office_graph(seeded)
    assert any(p.code == "sheet_skipped" and p.sheet == "旧数据" for p in report.problems)
    assert any(p.code == "summary_row" and p.row == 7 for p in report.problems)


def test_an_xls_with_a_merged_community_column(seeded: MemoryStore) -> None:
    rows = [HEADER[1:], ROWS[0][1:], ROWS[1][1:]]
    rows[2] = [*rows[2]]
    merges = [(1, 2, c, c) for c in (0, 1, 3, 4, 5, 6, 7)]
    report = load_file(seeded, _xls(rows, merges), filename="merged.xls")
    assert report.status == "loaded", report.problems
    assert parties(seeded, AGREEMENT_A) == [
        "community:410611001001", "community:410611001003", f"unit:{UNIT_A}"]  # fmt: skip


@pytest.mark.parametrize("inner", ["xls", "xlsx"])
def test_a_wps_et_file_holds_either_format(seeded: MemoryStore, inner: str) -> None:
    rows = office_rows()
    data = _xls(rows) if inner == "xls" else xlsx_bytes(office_workbook(hidden=False))
    report = load_file(seeded, data, filename="共建协议.et")
    assert report.format == inner and report.status == "loaded", report.problems
    assert_office_graph(seeded)


def test_the_xls_that_is_an_html_table(seeded: MemoryStore) -> None:
    def cell(v: Any) -> str:
        return f"<td>{v.isoformat() if isinstance(v, date) else v}</td>"

    first = "".join(cell(v) for v in ROWS[0][:3])
    first += '<td rowspan="1">黎阳社区</td>' + "".join(cell(v) for v in ROWS[0][4:])
    html = (
        '<html><head><meta charset="utf-8"></head><body><table border="1">'
        f'<tr><th colspan="{len(HEADER)}">{TITLE}</th></tr>'
        + "<tr>"
        + "".join(f"<th>{h}</th>" for h in HEADER)
        + "</tr>"
        # the partner, its code and the day span both rows of the 河师大 agreement
        + '<tr><td>1</td><td rowspan="2">河南师范大学社会事业学院</td>'
        f'<td rowspan="2">{SPACED_A}</td><td>黎阳社区</td><td rowspan="2">2023-05-01</td>'
        '<td rowspan="2">长期</td><td rowspan="2">文明实践、志愿服务</td>'
        '<td rowspan="2">王老师</td><td rowspan="2">0392-3300001</td></tr>'
        "<tr><td>2</td><td>观景社区</td></tr>"
        + "<tr>"
        + "".join(cell(v) for v in ROWS[2])
        + "</tr>"
        "<tr><td>合计</td><td>3</td></tr></table></body></html>"
    )
    del first
    report = load_file(seeded, html.encode("utf-8"), filename="导出数据.xls")
    assert report.format == "html" and report.status == "loaded", report.problems
    assert_office_graph(seeded)
    assert any(p.code == "summary_row" and p.row == 6 for p in report.problems)


def test_row_numbers_are_excels_after_a_multiline_cell(seeded: MemoryStore) -> None:
    text = (
        "共建单位,社区,签订日期,共建内容\n"
        '河师大,黎阳社区,2023-05-01,"文明实践\n志愿服务\n海棠书巷"\n'
        "河师大,无名社区,2023-05-02,文明实践\n"
    )
    report = load_file(seeded, csv_bytes(text), filename="a.csv")
    [error] = report.errors
    assert (error.row, error.code) == (3, "unknown_ref")  # Excel's row 3, the file's line 5
    assert "请先导入" in error.message_zh


def test_natural_people_teams_buildings_and_pairings(seeded: MemoryStore) -> None:
    buildings = "小区名称,楼栋号,层数\n幸福小区,3,6\n"
    report = load_file(seeded, csv_bytes(buildings), filename="楼栋.csv")
    assert report.status == "loaded", report.problems
    assert seeded.get_nodes(["building:410611001001-007-3"])
    people = ("姓名,性别,岗位类型,岗位所属,联系电话,任职时间\n"
              "张三,男,楼栋长,幸福小区3号楼,13900000001,2022-01-01\n")  # fmt: skip
    report = load_file(seeded, csv_bytes(people), filename="人员.csv", kind="people")
    assert report.status == "rejected"  # no building has that name yet: say what to load
    assert "请先导入" in report.errors[0].message_zh
    people = people.replace("幸福小区3号楼", "building:410611001001-007-3")
    report = load_file(seeded, csv_bytes(people), filename="人员.csv", kind="people")
    assert report.status == "loaded", report.problems
    [person] = seeded.nodes_of_kind("Person")
    assert person.props["name"] == "张三" and person.props["contact_phone"] == "13900000001"
    assert person.id == "person:410611001001-007-3-building_leader-张三"
    again = load_file(seeded, csv_bytes(people), filename="人员.csv", kind="people")
    assert not again.changes.changed
    teams = ("队伍名称,服务社区,人数,联系人,联系电话\n"
             "黎阳红马甲志愿服务队,黎阳社区,30,赵六,13900000002\n")  # fmt: skip
    report = load_file(seeded, csv_bytes(teams), filename="队伍.csv", kind="volunteer_teams")
    assert report.status == "loaded", report.problems
    [team] = seeded.nodes_of_kind("VolunteerTeam")
    assert team.id == "volunteer_team:黎阳红马甲志愿服务队" and team.props["members"] == 30
    pairings = "包联部门,社区名称,包联时间\n淇滨区城市管理局,黎阳社区,2022年1月1日\n"
    report = load_file(seeded, csv_bytes(pairings), filename="包联.csv")
    assert report.status == "loaded", report.problems
    [hop] = seeded.neighbours(["department:D001"], "PAIRED_WITH")["department:D001"]
    assert hop.node.id == "community:410611001001"
    assert hop.relationship.props["valid_from"] == "2022-01-01"


def test_a_team_known_by_name_keeps_its_registry_code(seeded: MemoryStore) -> None:
    first = "编号,名称,人数\nVT-9,黎阳红马甲志愿服务队,30\n"
    assert load_file(seeded, csv_bytes(first), filename="a.csv",
                     kind="volunteer_teams").status == "loaded"  # fmt: skip
    natural = "队伍名称,人数\n黎阳红马甲志愿服务队,31\n"
    report = load_file(seeded, csv_bytes(natural), filename="b.csv", kind="volunteer_teams")
    assert report.status == "loaded", report.problems
    [team] = seeded.nodes_of_kind("VolunteerTeam")
    assert (team.id, team.props["members"]) == ("volunteer_team:VT-9", 31)


def test_an_agreement_with_no_day_says_what_it_needs(seeded: MemoryStore) -> None:
    report = load_file(seeded, csv_bytes("共建单位,社区,共建内容\n河师大,黎阳社区,文明实践\n"),
                       filename="a.csv")  # fmt: skip
    [error] = report.errors
    assert error.code == "no_natural_key" and "签订日期" in error.message_zh
    assert "the day signed" in error.message_en


def test_a_missing_column_is_one_problem(seeded: MemoryStore) -> None:
    rows = "".join(f"GJ-{i},河师大,2023-05-01\n" for i in range(50))
    report = load_file(seeded, csv_bytes("协议编号,共建单位,签订日期\n" + rows),
                       filename="a.csv", kind="agreements")  # fmt: skip
    assert [p.code for p in report.errors] == ["missing_column"]
    assert report.rows_invalid == 50 and report.status == "rejected"


def test_an_unknown_kind_says_which_columns_are_missing(seeded: MemoryStore) -> None:
    report = load_file(seeded, csv_bytes("共建内容,联系人\n文明实践,王老师\n"), filename="a.csv")
    [error] = report.errors
    assert error.code == "kind_missing_columns"
    assert "共建协议" in error.message_zh and "缺少" in error.message_zh
    assert "社区 / community" in error.message_en
    assert "Agreement" not in error.message_en  # no internal class names


def test_a_cleared_cell_removes_the_value_and_a_blank_does_not(seeded: MemoryStore) -> None:
    text = "协议编号,共建单位,社区,签订日期,联系人\nGJ-1,河师大,黎阳社区,2023-05-01,王老师\n"
    load_file(seeded, csv_bytes(text), filename="a.csv")
    blank = text.replace("王老师", "")
    assert not load_file(seeded, csv_bytes(blank), filename="b.csv").changes.changed
    assert seeded.get_nodes(["agreement:GJ-1"])["agreement:GJ-1"].props["contact"] == "王老师"
    report = load_file(seeded, csv_bytes(text.replace("王老师", "<清空>")), filename="c.csv")
    assert report.status == "loaded" and report.changes.nodes_updated == 1
    assert "contact" not in seeded.get_nodes(["agreement:GJ-1"])["agreement:GJ-1"].props
    [change] = [r for r in report.records if r.id == "agreement:GJ-1"]
    assert [(c.field, c.old, c.new) for c in change.changes] == [("contact", "王老师", None)]
    key = text.replace("GJ-1,", "<清空>,")
    assert [p.code for p in load_file(seeded, csv_bytes(key), filename="d.csv").errors] == [
        "cannot_clear"
    ]


def test_a_corrected_community_replaces_the_wrong_link(seeded: MemoryStore) -> None:
    text = "共建单位,社区,签订日期\n河师大,黎阳社区,2023-05-01\n"
    load_file(seeded, csv_bytes(text), filename="a.csv")
    agreement = f"agreement:{UNIT_A}-20230501"
    graph = snapshot(seeded)
    fixed = text.replace("黎阳社区", "观景社区")
    dry = load_file(seeded, csv_bytes(fixed), filename="b.csv", dry_run=True)
    assert snapshot(seeded) == graph
    actions = {(r.action, r.id) for r in dry.records}
    assert ("removed", f"PARTY_TO:community:410611001001>{agreement}@2023-05-01") in actions
    assert ("created", f"PARTY_TO:community:410611001003>{agreement}@2023-05-01") in actions
    assert ("unchanged", agreement) in actions
    report = load_file(seeded, csv_bytes(fixed), filename="b.csv")
    assert report.changes.relationships_removed == 1
    assert parties(seeded, agreement) == ["community:410611001003", f"unit:{UNIT_A}"]
    again = load_file(seeded, csv_bytes(fixed), filename="b.csv")
    assert not again.changes.changed


def test_a_dated_change_is_a_new_link(seeded: MemoryStore) -> None:
    first = "包联单位,社区,包联时间,有效期至\n淇滨区城市管理局,黎阳社区,2021-01-01,2022-12-31\n"
    load_file(seeded, csv_bytes(first), filename="a.csv")
    later = "包联单位,社区,包联时间\n淇滨区城市管理局,东方社区,2023-01-01\n"
    report = load_file(seeded, csv_bytes(later), filename="b.csv")
    assert report.changes.relationships_created == 1 and not report.changes.relationships_removed
    hops = seeded.neighbours(["department:D001"], "PAIRED_WITH")["department:D001"]
    assert sorted(h.node.id for h in hops) == ["community:410611001001", "community:410611001002"]


def test_the_reference_graphs_links_and_the_loaders_agree() -> None:
    """A seed agreement typed into a sheet and loaded writes no second copy of any link."""
    store = MemoryStore(None)
    district = build_district(0)
    with store.transaction() as tx:
        tx.upsert_nodes(district.nodes)
        tx.upsert_relationships(district.rels)
    agreement = next(n for n in district.nodes if n.kind == "Agreement")
    hops = store.neighbours([agreement.id], "PARTY_TO", direction=Direction.IN)[agreement.id]
    partners = [h for h in hops if h.relationship.props.get("role") == "partner"]
    places = [h for h in hops if h.relationship.props.get("role") != "partner"]
    assert partners and places
    p = agreement.props
    lines = ["协议编号,共建单位,社区,签订日期,生效日期,有效期至"]
    for partner in partners:
        for h in places:
            dates = h.relationship.props
            lines.append(",".join([
                p["code"], partner.node.id, h.node.id, p.get("signed_on", ""),
                dates.get("valid_from", ""), dates.get("valid_to", ""),
            ]))  # fmt: skip
    before = store.counts().relationships.get("PARTY_TO")
    report = load_file(store, csv_bytes("\n".join(lines) + "\n"), filename="seed.csv",
                       kind="agreements")  # fmt: skip
    assert report.status == "loaded", report.problems
    assert report.changes.relationships_created == 0
    assert store.counts().relationships.get("PARTY_TO") == before


def test_an_unknown_partner_says_to_load_the_units_first(seeded: MemoryStore) -> None:
    report = load_file(seeded, csv_bytes("共建单位,社区,签订日期\n无名大学,黎阳社区,2023-05-01\n"),
                       filename="a.csv")  # fmt: skip
    [error] = report.errors
    assert error.message_zh == "找不到共建单位“无名大学”，请先导入共建单位"
    assert error.message_en == "no unit named or coded '无名大学'; load the units (共建单位) first"


def test_an_xlsm_workbook(seeded: MemoryStore) -> None:
    report = load_file(seeded, xlsx_bytes(office_workbook()), filename="共建协议.xlsm")
    assert report.format == "xlsx" and report.status == "loaded", report.problems
    assert_office_graph(seeded)
