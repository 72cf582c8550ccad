"""Bounded cost: every limit refuses a file before the work, with a reason, and writes nothing."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt

from graph.memory import MemoryStore
from graph.settings import Settings
from loaders import load_file
from loaders.files import ReadLimits
from schema.codes import uscc_with_check

from .conftest import csv_bytes, snapshot

SMALL = ReadLimits(max_file_bytes=1 << 20, max_uncompressed_bytes=4 << 20, max_rows=100,
                   max_columns=20, max_cells=1000)  # fmt: skip
UNITS = "统一社会信用代码,名称\n"


def refused(store: MemoryStore, data: bytes, name: str, words: str,
            limits: ReadLimits = SMALL) -> None:  # fmt: skip
    before = snapshot(store)
    report = load_file(store, data, filename=name, limits=limits)
    assert report.status == "unloadable", report.problems
    [problem] = report.problems
    assert problem.code == "over_limit"
    assert words in problem.message_en, problem.message_en
    assert "超出上限" in problem.message_zh
    assert snapshot(store) == before


def xlsx(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_limits_live_in_the_one_settings_object() -> None:
    settings = Settings(max_rows=7, max_cells=99)
    limits = ReadLimits.from_settings(settings)
    assert (limits.max_rows, limits.max_cells) == (7, 99)


def test_a_file_over_the_size_limit(seeded: MemoryStore, tmp_path: Path) -> None:
    data = csv_bytes(UNITS + "xxxxxxxxxx,y\n" * 200_000)
    refused(seeded, data, "big.csv", "the file size")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    report = load_file(seeded, path, limits=SMALL)  # refused by its size, before it is read
    assert report.status == "unloadable" and "the file size" in report.problems[0].message_en


def test_too_many_rows_columns_or_cells_in_a_csv(seeded: MemoryStore) -> None:
    refused(seeded, csv_bytes(UNITS + "a,b\n" * 150), "rows.csv", "the number of rows")
    refused(seeded, csv_bytes(",".join(["x"] * 30) + "\n"), "cols.csv", "the number of columns")
    refused(seeded, csv_bytes(("a,b,c,d,e,f,g,h,i,j,k,l\n") * 90), "cells.csv",
            "the number of cells")  # fmt: skip


def test_too_many_rows_in_a_workbook(seeded: MemoryStore) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for i in range(150):
        sheet.append([f"x{i}", "y"])
    refused(seeded, xlsx(book), "rows.xlsx", "the number of rows")


def test_a_compression_bomb(seeded: MemoryStore) -> None:
    """An xlsx whose sheet unpacks to 8 MiB of nothing: refused from the zip directory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (8 << 20))
    data = out.getvalue()
    assert len(data) < 64 << 10  # small on disk
    refused(seeded, data, "bomb.xlsx", "the unpacked size")


def test_an_absurd_declared_dimension(seeded: MemoryStore) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "统一社会信用代码"
    sheet["XFD1048576"] = "x"  # one cell at the far corner: 17 billion cells as one block
    refused(seeded, xlsx(book), "corner.xlsx", "the sheet's declared range")
    refused(
        seeded, xlsx(book), "corner.xlsx", "the sheet's declared range", ReadLimits()
    )  # the default limits refuse it too, before calamine would allocate


def test_cells_far_apart_even_when_the_declared_dimension_lies(seeded: MemoryStore) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "a"
    sheet["XFD1048576"] = "x"
    data = xlsx(book)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                body = body.replace(b'ref="A1:XFD1048576"', b'ref="A1"')
            dst.writestr(item, body)
    refused(seeded, out.getvalue(), "liar.xlsx", "the number of rows", ReadLimits())


@pytest.mark.parametrize("name", ["a.xlsx", "a.xls", "a.et"])
def test_garbage_with_an_excel_name_is_unreadable_not_a_crash(
    seeded: MemoryStore, name: str
) -> None:
    report = load_file(seeded, b"PK\x03\x04garbage" + bytes(range(256)), filename=name)
    assert report.status == "unloadable"


def _xls(cells: dict[tuple[int, int], str]) -> bytes:
    """A real Excel 97-2003 workbook (xlwt), one sheet with these cells."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("共建协议")
    for (r, c), value in cells.items():
        sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dimension(data: bytes) -> int:
    """Where the sheet's DIMENSIONS record (type 0x0200, 14 bytes) lies in the file."""
    at = data.find(b"\x00\x02\x0e\x00")
    assert at > 0
    return at + 4


@pytest.fixture
def calamine_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the workbooks calamine is asked to open: a refusal must come before that."""
    import python_calamine

    calls: list[int] = []
    real = python_calamine.CalamineWorkbook.from_filelike

    def counted(filelike: Any) -> Any:
        calls.append(1)
        return real(filelike)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", counted)
    return calls


def test_an_xls_with_cells_far_apart_is_refused_before_it_is_read(
    seeded: MemoryStore, calamine_calls: list[int]
) -> None:
    """Two cells, at A1 and IV65536: calamine would build 16.7 million cells as one block."""
    data = _xls({(0, 0): "统一社会信用代码", (0, 1): "名称", (65535, 255): "x"})
    refused(seeded, data, "corner.xls", "the number of columns", ReadLimits())
    wide = ReadLimits(max_columns=256, max_cells=1_000_000, max_rows=70_000)
    # the sheet declares its true range, so that is what is refused first; with the declared
    # range made small (a file that lies about it), the cells themselves are
    refused(seeded, data, "corner.xls", "the sheet's declared range", wide)
    at = _dimension(data)
    liar = data[:at] + struct.pack("<IIHH", 0, 1, 0, 2) + data[at + 12 :]
    refused(seeded, liar, "liar.xls", "the number of cells", wide)
    assert calamine_calls == []


def test_an_xls_that_declares_an_absurd_range(
    seeded: MemoryStore, calamine_calls: list[int]
) -> None:
    data = _xls({(0, 0): "统一社会信用代码", (0, 1): "名称", (1, 0): "x", (1, 1): "y"})
    at = _dimension(data)
    corner = data[:at] + struct.pack("<IIHH", 0, 65536, 0, 256) + data[at + 12 :]
    refused(seeded, corner, "corner.xls", "the sheet's declared range",
            ReadLimits(max_cells=1_000_000))  # fmt: skip
    assert calamine_calls == []
    # the same workbook with its true range is read (and checked like any other sheet)
    report = load_file(seeded, data, filename="small.xls", limits=SMALL, dry_run=True)
    assert report.format == "xls" and report.status != "unloadable", report.problems
    assert calamine_calls == [1]


def test_an_xls_within_the_limits_loads(seeded: MemoryStore) -> None:
    """The pre-check passes a real workbook: its rows reach the graph."""
    code = uscc_with_check("91410611MA47XXXX0")  # a unit the test store does not hold
    data = _xls({(0, 0): "统一社会信用代码", (0, 1): "名称", (1, 0): code, (1, 1): "淇滨测试单位"})
    report = load_file(seeded, data, filename="units.xls", limits=SMALL)
    assert report.status == "loaded", report.problems
    [unit] = [n for n in seeded.nodes_of_kind("Unit") if n.props.get("name") == "淇滨测试单位"]
    assert unit.props["uscc"] == code


def test_damaged_xls_files_are_reports_not_crashes(seeded: MemoryStore) -> None:
    """Bytes flipped at random in a real workbook: each load gives a report (refused,
    unreadable or checked), never an exception, and a dry run writes nothing."""
    rng = random.Random(15)
    good = _xls({(r, c): f"v{r}-{c}" for r in range(30) for c in range(4)})
    before = snapshot(seeded)
    statuses = set()
    for _ in range(80):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        report = load_file(seeded, bytes(damaged), filename="damaged.xls", dry_run=True)
        statuses.add(report.status)
    assert "unloadable" in statuses  # the damage was seen, not read as data
    assert snapshot(seeded) == before
