"""Reading admins' files: CSV/TSV (any of the encodings Chinese offices use), Excel, JSON.

Every reader gives :class:`Sheet` objects: a name and rows of raw cells, each row with the row
number the admin sees in Excel, so every problem can point at the right place.

Excel files (``.xlsx``, ``.xlsm``, 97-2003 ``.xls``, WPS ``.et``, ``.ods``) are read by
python-calamine (Rust). A merged cell gives its value to every cell it covers, as Excel shows
it. The ".xls" that web systems export as an HTML table is read as the table it is. Limits
(:class:`ReadLimits`, from the one Settings object) are checked before the work: an xlsx whose
unpacked size or used area is absurd is refused before calamine would allocate it, and so is
an old .xls whose declared or used area is (its records are scanned first, see _check_xls).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from loaders.errors import LoadError

FORMATS = ("csv", "tsv", "xlsx", "xls", "ods", "html", "json", "jsonl")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of .xls and WPS .et
_INSTRUCTION_SHEETS = re.compile(r"填表说明|使用说明|说明|须知|instructions?|readme", re.I)


@dataclass(frozen=True)
class ReadLimits:
    """What one file may cost to read; see :class:`graph.settings.Settings`."""

    max_file_bytes: int = 50 * 2**20
    max_uncompressed_bytes: int = 400 * 2**20
    max_rows: int = 500_000
    max_columns: int = 200
    max_cells: int = 20_000_000

    @classmethod
    def from_settings(cls, settings: Any = None) -> ReadLimits:
        from graph.settings import get_settings

        s = settings or get_settings()
        return cls(s.max_file_bytes, s.max_uncompressed_bytes, s.max_rows, s.max_columns,
                   s.max_cells)  # fmt: skip


class TooBig(LoadError):
    """A file over one of the limits: refused before it is read in full."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass
class Sheet:
    """One table of a file: ``rows`` are ``(row number, cells)``, header rows included."""

    name: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    records: bool = False  # JSON objects: the first row holds the keys, as a header row
    skip_reason: str | None = None  # "hidden" or "instructions": left out unless asked for


def detect_format(filename: str, data: bytes) -> str:
    """The format from the first bytes where they tell, else from the file name's extension.

    The content wins over the name: an ``.xls`` may be a real 97-2003 workbook, an xlsx, or
    the HTML table a web system exports; a WPS ``.et`` holds either inner format.
    """
    ext = Path(filename).suffix.lower().lstrip(".")
    head = data[:512].lstrip(codecs.BOM_UTF8).lstrip()
    if data.startswith(_OLE):
        return "xls"
    if data.startswith(b"PK\x03\x04"):
        return "ods" if ext == "ods" else "xlsx"
    if ext in ("xls", "et", "xlsx", "xlsm", "ods"):
        low = head.lower()
        if (
            low.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<"))
            or b"<table" in data[:4096].lower()
        ):
            return "html"
        if ext in ("xls", "et"):
            return "tsv"  # some systems write tab-separated text and call it .xls
        raise LoadError(f"{filename}: not an Excel file (its content is neither xlsx nor xls)")
    if ext in ("htm", "html"):
        return "html"
    if ext in ("csv", "txt"):
        return "csv"
    if ext in ("tsv", "tab"):
        return "tsv"
    if ext in ("json", "jsonl", "ndjson"):
        return "jsonl" if ext != "json" else "json"
    if head[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read in: BOMs first, then strict UTF-8, then GB18030.

    Why this order: short GBK files are too short for statistical detection, but text that
    decodes as strict UTF-8 almost never is anything else, and GB18030 (a superset of GBK and
    GB2312) covers what Chinese offices save; charset-normalizer is the last resort.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise LoadError(f"the file starts as {encoding} but is not ({e.reason})") from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError("the file is not text in any known encoding (UTF-8, GB18030, ...)")
    return str(best), best.encoding


def read_sheets(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    fmt: str | None = None,
    limits: ReadLimits | None = None,
) -> tuple[list[Sheet], str | None]:
    """The sheets of a file and, for text files, the encoding detected."""
    limits = limits or ReadLimits.from_settings()
    if len(data) > limits.max_file_bytes:
        raise too_big("file", len(data), limits.max_file_bytes)
    fmt = fmt or detect_format(filename, data)
    if fmt in ("xlsx", "xls", "ods"):
        if fmt == "xlsx":
            _check_xlsx(data, filename, limits)
        elif fmt == "xls" and data.startswith(_OLE):
            _check_xls(data, filename, limits)
        return _read_workbook(data, filename, sheet, limits), None
    text, encoding = decode_text(data)
    if fmt == "html":
        return _read_html(text, filename, sheet, limits), encoding
    if fmt == "json":
        return _read_json(text, filename, sheet), encoding
    if fmt == "jsonl":
        return [_read_jsonl(text, filename)], encoding
    return [_read_csv(text, filename, "\t" if fmt == "tsv" else None, limits)], encoding


_WHAT = {
    "file": ("文件大小", "the file size", "bytes"),
    "unpacked": ("解压后大小", "the unpacked size", "bytes"),
    "rows": ("行数", "the number of rows", "rows"),
    "columns": ("列数", "the number of columns", "columns"),
    "cells": ("单元格数", "the number of cells", "cells"),
    "dimension": ("工作表声明的范围", "the sheet's declared range", "cells"),
}


def too_big(what: str, found: int | None, limit: int, where: str = "") -> TooBig:
    """The refusal, in both languages; ``found`` is None when reading stopped at the limit."""
    zh, en, unit = _WHAT[what]
    shown_zh = f" {found:,}" if found is not None else ""
    shown_en = f" ({found:,} {unit})" if found is not None else ""
    return TooBig(
        f"{where}{zh}{shown_zh} 超出上限 {limit:,}，请拆分文件或请管理员提高上限",
        f"{where}{en}{shown_en} exceeds the limit of {limit:,} {unit}; split the file or ask "
        "for a higher limit",
    )


def _check_rows(rows: int, width: int, limits: ReadLimits, where: str) -> None:
    if rows > limits.max_rows:
        raise too_big("rows", rows, limits.max_rows, where)
    if width > limits.max_columns:
        raise too_big("columns", width, limits.max_columns, where)
    if rows * width > limits.max_cells:
        raise too_big("cells", rows * width, limits.max_cells, where)


def _read_csv(text: str, filename: str, delimiter: str | None, limits: ReadLimits) -> Sheet:
    if delimiter is None:
        sample = text[:8192]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
        except csv.Error:
            delimiter = ","
    sheet = Sheet("")  # a CSV file has one table and no sheet name
    cells_read = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # Excel shows a quoted cell with new lines inside one row: count records, not lines
        for number, cells in enumerate(reader, start=1):
            if len(cells) > limits.max_columns:
                raise too_big("columns", len(cells), limits.max_columns, f"第{number}行 ")
            cells_read += len(cells)
            if number > limits.max_rows:
                raise too_big("rows", number, limits.max_rows)
            if cells_read > limits.max_cells:
                raise too_big("cells", cells_read, limits.max_cells)
            sheet.rows.append((number, cells))
    except csv.Error as e:
        raise LoadError(f"{filename}: not a readable CSV file ({e})") from None
    return sheet


# -- Excel ----------------------------------------------------------------------------------
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"')


def _col_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _check_xlsx(data: bytes, filename: str, limits: ReadLimits) -> None:
    """Refuse a compression bomb and an absurd sheet before calamine allocates anything.

    calamine builds each sheet as one dense block from its first to its last used cell: a
    single cell at XFD1048576 next to A1 would ask for 17 billion cells. So the unpacked size
    is summed from the zip directory, then each sheet's declared dimension and the rows and
    columns its cells really use are read by a streaming scan, bounded by that size.
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise LoadError(f"{filename}: not a readable Excel file ({e})") from None
    with book:
        members = book.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > limits.max_uncompressed_bytes:
            raise too_big("unpacked", unpacked, limits.max_uncompressed_bytes, f"{filename}: ")
        for m in members:
            if not re.match(r"xl/worksheets/[^/]+\.xml$", m.filename):
                continue
            where = f"{filename} [{Path(m.filename).stem}]: "
            _scan_sheet_xml(book, m, limits, where)


def _scan_sheet_xml(book: zipfile.ZipFile, member: zipfile.ZipInfo, limits: ReadLimits,
                    where: str) -> None:  # fmt: skip
    rows: list[int] = []
    cols: set[bytes] = set()
    read = 0
    tail = b""
    with book.open(member) as stream:
        first = True
        while chunk := stream.read(1 << 20):
            read += len(chunk)
            if read > limits.max_uncompressed_bytes:  # the directory lied about the size
                raise too_big("unpacked", read, limits.max_uncompressed_bytes, where)
            text = tail + chunk
            if first:
                first = False
                m = _DIMENSION.search(text[:65536])
                if m and m[3]:
                    height = int(m[4]) - int(m[2]) + 1
                    width = _col_number(m[3]) - _col_number(m[1]) + 1
                    if height * width > limits.max_cells:
                        raise too_big("dimension", height * width, limits.max_cells, where)
            cut = text.rfind(b"<")  # a tag may straddle chunks: keep its start for the next
            body, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            _note_cells(body, rows, cols)
        _note_cells(tail, rows, cols)
    if rows and cols:
        numbers = [_col_number(c) for c in cols]
        height = max(rows) - min(rows) + 1
        width = max(numbers) - min(numbers) + 1
        _check_rows(height, width, limits, where)


def _note_cells(xml: bytes, rows: list[int], cols: set[bytes]) -> None:
    """The first and last row, and every column, that cells of this piece of XML use."""
    found = _CELL_REF.findall(xml)
    if found:
        numbers = [int(r) for _, r in found]
        rows.append(min(numbers))
        rows.append(max(numbers))
        cols.update(c for c, _ in found)


# -- Excel 97-2003 (BIFF8 in an OLE compound file; WPS .et writes the same) -----------------
_BIFF_BOF, _BIFF_EOF, _BIFF_SHEET, _BIFF_DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200
_BIFF_MERGED = 0x00E5
# records that hold one cell's value, each starting with its row and column (u16, u16):
# FORMULA, LABELSST, NUMBER, LABEL, BOOLERR, RK, RSTRING (blank, formatted-only cells are not
# read as data, so they do not count)
_BIFF_CELLS = frozenset((0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6))
_BIFF_MULRK = 0x00BD  # row, first column, ..., last column: several numbers in one record


def _check_xls(data: bytes, filename: str, limits: ReadLimits) -> None:
    """Refuse an absurd old-format sheet before calamine builds it.

    calamine gathers an .xls sheet's cells and then allocates one dense block from the first
    to the last used row and column, so two cells at A1 and IV65536 cost 16 million cells.
    The workbook stream is read from the compound file (olefile) and each sheet's records are
    scanned without decoding any value: its declared dimension (the DIMENSIONS record), then
    the rows and columns its value cells and merged ranges really use, as for an xlsx.
    """
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError) as e:  # olefile's own errors derive from these
        raise LoadError(f"{filename}: not a readable Excel file ({e})") from None
    try:
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:  # some other compound file (a Word document renamed .xls)
            raise LoadError(f"{filename}: not a readable Excel file (no workbook stream)")
        size = ole.get_size(name)
        if size > limits.max_uncompressed_bytes:
            raise too_big("unpacked", size, limits.max_uncompressed_bytes, f"{filename}: ")
        stream = ole.openstream(name).read()
    except (OSError, ValueError) as e:
        raise LoadError(f"{filename}: not a readable Excel file ({e})") from None
    finally:
        ole.close()
    for sheet, start in _xls_sheets(stream):
        _scan_xls_sheet(stream, start, limits, f"{filename} [{sheet}]: ")


def _xls_sheets(stream: bytes) -> list[tuple[str, int]]:
    """Each worksheet's name and the offset of its first record, from the BOUNDSHEET records
    of the workbook globals (an unreadable name is shown by its position)."""
    sheets: list[tuple[str, int]] = []
    end, record = len(stream), 0
    while record + 4 <= end:
        rtype, length = struct.unpack_from("<HH", stream, record)
        at, record = record + 4, record + 4 + length
        if rtype == _BIFF_EOF:
            break
        if rtype != _BIFF_SHEET or length < 8 or record > end:
            continue
        start, kind = struct.unpack_from("<I", stream, at)[0], stream[at + 5]
        if kind != 0:  # 0 is a worksheet; charts and macro sheets are not read as data
            continue
        count, flags = stream[at + 6], stream[at + 7]
        raw = stream[at + 8 : at + length]
        try:
            wide = bool(flags & 1)  # the name in UTF-16, else in one byte a character
            name = raw[: 2 * count].decode("utf-16-le") if wide else raw[:count].decode("latin-1")
        except UnicodeDecodeError:
            name = f"#{len(sheets) + 1}"
        if 0 <= start < len(stream):
            sheets.append((name, start))
    return sheets


def _scan_xls_sheet(stream: bytes, start: int, limits: ReadLimits, where: str) -> None:
    """Refuse one sheet (its records from ``start``) over a limit, by its declared range or
    by the bounding box of its value cells and merged ranges."""
    top = left = 1 << 32
    bottom = right = -1
    unpack, cells, end = struct.unpack_from, _BIFF_CELLS, len(stream)
    at = start
    while at + 8 <= end:  # the records, inline: an .xls of 60,000 rows holds 400,000 of them
        rtype, length, row, col = unpack("<HHHH", stream, at)
        data, at = at + 4, at + 4 + length
        if rtype in cells and length >= 4:
            last = col
        elif rtype == _BIFF_MULRK and length >= 6 and at <= end:
            last = unpack("<H", stream, at - 2)[0]
        elif rtype == _BIFF_MERGED:
            (count,) = unpack("<H", stream, data)
            for i in range(min(count, (min(at, end) - data - 2) // 8)):
                r0, r1, c0, c1 = unpack("<HHHH", stream, data + 2 + 8 * i)
                top, bottom = min(top, r0), max(bottom, r1)
                left, right = min(left, c0), max(right, c1)
            continue
        elif rtype == _BIFF_DIMENSIONS:
            if length >= 14 and data + 12 <= end:  # BIFF8: first row, last row + 1 (u32), ...
                r0, r1, c0, c1 = unpack("<IIHH", stream, data)
            elif length >= 10 and data + 8 <= end:  # BIFF5 (Excel 95): the same in u16
                r0, r1, c0, c1 = unpack("<HHHH", stream, data)
            else:
                continue
            declared = max(0, r1 - r0) * max(0, c1 - c0)
            if declared > limits.max_cells:
                raise too_big("dimension", declared, limits.max_cells, where)
            continue
        elif rtype == _BIFF_EOF or (rtype == _BIFF_BOF and data - 4 > start):
            break  # the end of this sheet (or the next one's start: a missing EOF)
        else:
            continue
        if row < top:
            top = row
        if row > bottom:
            bottom = row
        if col < left:
            left = col
        if last > right:
            right = last
    if bottom < 0:
        return
    height, width = bottom - top + 1, right - left + 1
    if height > limits.max_rows:
        raise too_big("rows", height, limits.max_rows, where)
    if width > limits.max_columns:
        raise too_big("columns", width, limits.max_columns, where)
    if height * width > limits.max_cells:
        raise too_big("cells", height * width, limits.max_cells, where)


def _read_workbook(data: bytes, filename: str, wanted: str | None,
                   limits: ReadLimits) -> list[Sheet]:  # fmt: skip
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as e:  # calamine raises its own error types for a broken file
        raise LoadError(f"{filename}: not a readable Excel file ({e})") from None
    try:
        metas = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        names = [m.name for m in metas]
        if wanted is not None and wanted not in names:
            raise LoadError(f"{filename} has no sheet {wanted!r} (sheets: {', '.join(names)})")
        sheets = []
        for meta in metas:
            if wanted is not None and meta.name != wanted:
                continue
            reason = None
            if wanted is None:  # a sheet asked for by name is read whatever it is
                if meta.visible != calamine.SheetVisibleEnum.Visible:
                    reason = "hidden"
                elif _INSTRUCTION_SHEETS.search(meta.name):
                    reason = "instructions"
            try:
                raw = book.get_sheet_by_name(meta.name)
            except Exception as e:
                raise LoadError(f"{filename} [{meta.name}]: cannot be read ({e})") from None
            sheets.append(
                _sheet_rows(raw, meta.name, reason, limits, f"{filename} [{meta.name}]: ")
            )
        return sheets
    finally:
        book.close()


def _sheet_rows(raw: Any, name: str, reason: str | None, limits: ReadLimits,
                where: str) -> Sheet:  # fmt: skip
    """Rows with Excel's row numbers, each merged range's value in every cell it covers."""
    top, left = raw.start or (0, 0)
    _check_rows(raw.height, raw.width, limits, where)
    grid: list[list[Any]] = [
        [None] * left + [None if c == "" else c for c in row] for row in raw.iter_rows()
    ]
    for (r0, c0), (r1, c1) in raw.merged_cell_ranges or ():
        i0 = r0 - top
        if not 0 <= i0 < len(grid) or c0 >= len(grid[i0]):
            continue
        value = grid[i0][c0]
        if value is None:
            continue
        if (r1 - r0 + 1) * (c1 - c0 + 1) > limits.max_cells:
            raise too_big("cells", (r1 - r0 + 1) * (c1 - c0 + 1), limits.max_cells, where)
        while len(grid) <= r1 - top:  # a merge may reach below the last row with data
            grid.append([])
        for i in range(i0, r1 - top + 1):
            cells = grid[i]
            if len(cells) <= c1:
                cells.extend([None] * (c1 + 1 - len(cells)))
            for c in range(c0, c1 + 1):
                if cells[c] is None:
                    cells[c] = value
    sheet = Sheet(name, skip_reason=reason)
    sheet.rows = [(top + i + 1, cells) for i, cells in enumerate(grid)]
    return sheet


# -- the "xls" that is an HTML table ---------------------------------------------------------
class _Tables(HTMLParser):
    """Rows of cell texts of every ``<table>``, with rowspan/colspan filled as merged cells."""

    def __init__(self, limits: ReadLimits) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.tables: list[list[list[str | None]]] = []
        self._spans: list[dict[int, tuple[int, str]]] = []  # per table: col -> (rows left, text)
        self._row: list[str | None] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self.cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
            self._spans.append({})
        elif tag == "tr" and self.tables:
            self._row = []
            self._fill_spans()
        elif tag in ("td", "th") and self._row is not None:
            a = dict(attrs)
            self._span = (_span(a.get("rowspan")), _span(a.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = "".join(self._cell).strip() or None
            rows, cols = self._span
            for _ in range(cols):
                col = len(self._row)
                self._row.append(text)
                if rows > 1 and text is not None:
                    self._spans[-1][col] = (rows - 1, text)
                self._fill_spans()
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            table.append(self._row)
            self.cells += len(self._row)
            _check_rows(len(table), len(self._row), self.limits, "")
            if self.cells > self.limits.max_cells:
                raise too_big("cells", self.cells, self.limits.max_cells)
            self._row = None

    def _fill_spans(self) -> None:
        """Cells a rowspan from a row above covers, at the current position."""
        assert self._row is not None
        spans = self._spans[-1]
        while len(self._row) in spans:
            col = len(self._row)
            left, text = spans[col]
            self._row.append(text)
            if left > 1:
                spans[col] = (left - 1, text)
            else:
                del spans[col]


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 10_000))
    except ValueError:
        return 1


def _read_html(text: str, filename: str, wanted: str | None, limits: ReadLimits) -> list[Sheet]:
    parser = _Tables(limits)
    parser.feed(text)
    parser.close()
    tables = [t for t in parser.tables if t]
    if not tables:
        raise LoadError(f"{filename}: an HTML file with no table")
    names = [""] if len(tables) == 1 else [f"表{i}" for i in range(1, len(tables) + 1)]
    sheets = []
    for name, rows in zip(names, tables, strict=True):
        if wanted is not None and wanted != name:
            continue
        sheets.append(Sheet(name, [(i, list(r)) for i, r in enumerate(rows, start=1)]))
    if wanted is not None and not sheets:
        raise LoadError(f"{filename} has no sheet {wanted!r}")
    return sheets


# -- JSON -----------------------------------------------------------------------------------
def records_sheet(name: str, records: Iterable[tuple[int, Any]], filename: str) -> Sheet:
    sheet = Sheet(name, records=True)
    keys: list[str] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, record in records:
        if not isinstance(record, dict):
            raise LoadError(f"{filename}: record {number} is not an object")
        for k in record:
            if k not in keys:
                keys.append(k)
        rows.append((number, record))
    sheet.rows.append((0, list(keys)))
    for number, record in rows:
        sheet.rows.append((number, [record.get(k) for k in keys]))
    return sheet


def _read_json(text: str, filename: str, wanted: str | None) -> list[Sheet]:
    """A list of objects, or an object mapping sheet names to lists of objects."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise LoadError(f"{filename}: not valid JSON ({e})") from None
    if isinstance(doc, list):
        return [records_sheet("", enumerate(doc, start=1), filename)]
    if isinstance(doc, dict) and all(isinstance(v, list) for v in doc.values()):
        names = [wanted] if wanted is not None else list(doc)
        if wanted is not None and wanted not in doc:
            raise LoadError(f"{filename} has no sheet {wanted!r}")
        return [records_sheet(n, enumerate(doc[n], start=1), filename) for n in names]
    raise LoadError(f"{filename}: JSON must be a list of objects or {{sheet: [objects]}}")


def _read_jsonl(text: str, filename: str) -> Sheet:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as e:
            raise LoadError(f"{filename}: line {number} is not valid JSON ({e})") from None
    return records_sheet("", records, filename)
