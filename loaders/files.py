"""Reading admins' files: CSV/TSV (any of the encodings Chinese offices use), XLSX and JSON.

Every reader gives :class:`Sheet` objects: a name and rows of raw cells, each row with the line
or row number the admin sees in Excel, so every problem can point at the right place.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.errors import LoadError

FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl")


@dataclass
class Sheet:
    """One table of a file: ``rows`` are ``(row number, cells)``, header rows included."""

    name: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    records: bool = False  # JSON objects: the first row holds the keys, as a header row


def detect_format(filename: str, data: bytes) -> str:
    """The format from the file name's extension, else sniffed from the first bytes."""
    ext = Path(filename).suffix.lower().lstrip(".")
    if ext in ("csv", "txt"):
        return "csv"
    if ext in ("tsv", "tab"):
        return "tsv"
    if ext in ("xlsx", "xlsm"):
        return "xlsx"
    if ext in ("json", "jsonl", "ndjson"):
        return "jsonl" if ext != "json" else "json"
    if ext == "xls":
        raise LoadError(f"{filename}: old .xls files are not read; save it as .xlsx in Excel")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = data.lstrip(codecs.BOM_UTF8).lstrip()
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
            return data.decode(encoding), encoding
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
    data: bytes, filename: str, sheet: str | None = None, fmt: str | None = None
) -> tuple[list[Sheet], str | None]:
    """The sheets of a file and, for text files, the encoding detected."""
    fmt = fmt or detect_format(filename, data)
    if fmt == "xlsx":
        return _read_xlsx(data, filename, sheet), None
    text, encoding = decode_text(data)
    if fmt == "json":
        return _read_json(text, filename, sheet), encoding
    if fmt == "jsonl":
        return [_read_jsonl(text, filename)], encoding
    return [_read_csv(text, filename, "\t" if fmt == "tsv" else None)], encoding


def _read_csv(text: str, filename: str, delimiter: str | None) -> Sheet:
    if delimiter is None:
        sample = text[:8192]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
        except csv.Error:
            delimiter = ","
    sheet = Sheet("")  # a CSV file has one table and no sheet name
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cells in reader:
            # a quoted cell with new lines spans lines; report the line the row ends on
            sheet.rows.append((reader.line_num, cells))
    except csv.Error as e:
        raise LoadError(f"{filename}: not a readable CSV file ({e})") from None
    return sheet


def _read_xlsx(data: bytes, filename: str, wanted: str | None) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken file
        raise LoadError(f"{filename}: not a readable XLSX file ({e})") from None
    try:
        names = book.sheetnames
        if wanted is not None:
            if wanted not in names:
                raise LoadError(f"{filename} has no sheet {wanted!r} (sheets: {', '.join(names)})")
            names = [wanted]
        sheets = []
        for name in names:
            sheet = Sheet(name)
            for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
                sheet.rows.append((number, list(values)))
            sheets.append(sheet)
        return sheets
    finally:
        book.close()


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
