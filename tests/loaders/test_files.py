"""Reading real files: every encoding Chinese offices save in, XLSX with real date cells, JSON."""

from __future__ import annotations

import codecs
import io
import json
from datetime import datetime

import pytest

from graph.memory import MemoryStore
from loaders import load_file
from loaders.files import decode_text, read_sheets

from .conftest import UNIT_A, csv_bytes

UNITS = "统一社会信用代码,名称,单位类型\n" + f"{UNIT_A},河南师范大学社会事业学院,高校\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (csv_bytes(UNITS), "utf-8"),
        (codecs.BOM_UTF8 + csv_bytes(UNITS), "utf-8-sig"),
        (csv_bytes(UNITS, "gbk"), "gb18030"),
        (csv_bytes(UNITS, "gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + csv_bytes(UNITS, "utf-16-le"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16"],
)
def test_each_encoding_loads_the_same_unit(data: bytes, encoding: str) -> None:
    store = MemoryStore()
    report = load_file(store, data, filename="units.csv")
    assert report.encoding == encoding
    assert report.status == "loaded", report.problems
    unit = store.get_nodes([f"unit:{UNIT_A}"])[f"unit:{UNIT_A}"]
    assert unit.props["name"] == "河南师范大学社会事业学院"
    assert unit.props["unit_type"] == "university"


def test_short_gbk_file_is_not_mistaken() -> None:
    # four characters of GBK are too few for statistical detection; the order of tries matters
    text, encoding = decode_text("名称\r\n黎阳".encode("gbk"))
    assert (text, encoding) == ("名称\r\n黎阳", "gb18030")


def test_last_resort_detection() -> None:
    data = "name\r\nCafé Müller, résumé à la carte, naïve façade".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    text, _ = decode_text(data)
    assert "Café Müller" in text


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_real_date_cells_and_serial_numbers(seeded: MemoryStore) -> None:
    data = _xlsx({
        "协议": [
            ["协议编号", "共建单位", "社区", "签订日期", "生效日期", "有效期至"],
            ["GJ-1", "河师大", "黎阳社区", datetime(2023, 5, 1), 45047, "2025年4月30日"],
        ],
    })  # fmt: skip
    report = load_file(seeded, data, filename="协议.xlsx")
    assert report.status == "loaded", report.problems
    node = seeded.get_nodes(["agreement:GJ-1"])["agreement:GJ-1"]
    assert (node.props["signed_on"], node.props["valid_from"], node.props["valid_to"]) == (
        "2023-05-01", "2023-05-01", "2025-04-30",
    )  # fmt: skip
    assert node.props["source_sheet"] == "协议" and node.props["source_row"] == 2


def test_xlsx_every_sheet_or_a_named_one() -> None:
    data = _xlsx({
        "单位": [["统一社会信用代码", "名称"], [UNIT_A, "河南师范大学社会事业学院"]],
        "部门": [["编号", "名称", "职能"], ["D009", "淇滨区卫健委", "卫健"]],
    })  # fmt: skip
    sheets, _ = read_sheets(data, "book.xlsx")
    assert [s.name for s in sheets] == ["单位", "部门"]
    store = MemoryStore()
    report = load_file(store, data, filename="book.xlsx", sheet="单位")
    assert [s.name for s in report.sheets] == ["单位"]
    assert store.counts().nodes == {"ImportRun": 1, "Unit": 1}
    report = load_file(MemoryStore(), data, filename="book.xlsx")
    assert [(s.name, s.kind) for s in report.sheets] == [("单位", "units"), ("部门", "departments")]


def test_json_and_jsonl() -> None:
    records = [{"uscc": UNIT_A, "name": "河南师范大学社会事业学院", "aliases": ["河师大"]}]
    store = MemoryStore()
    report = load_file(store, json.dumps(records, ensure_ascii=False).encode(), filename="u.json")
    assert report.status == "loaded", report.problems
    assert store.get_nodes([f"unit:{UNIT_A}"])[f"unit:{UNIT_A}"].props["aliases"] == ["河师大"]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    again = load_file(store, lines, filename="u.jsonl")
    assert again.status == "loaded" and not again.changes.changed


def test_unreadable_file_is_a_report_not_a_traceback() -> None:
    report = load_file(MemoryStore(), b"PK\x03\x04 broken", filename="x.xlsx")
    assert report.status == "unloadable"
    assert report.problems[0].code == "unreadable"
