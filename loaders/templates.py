"""Blank spreadsheets for admins, and the header tables of the docs, both from the load kinds.

A template has a Chinese header row (required columns marked ``*``), an English header row and
one example row; the loader accepts either header row or both, and skips a row identical to
the example. ``docs/loading.md`` embeds :func:`kinds_markdown`, and a test keeps it current.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from loaders.cells import choice_labels
from loaders.kinds import LOAD_KINDS, Column, LoadKind
from schema import ONTOLOGY

_TYPE_ZH = {
    "string": "文本 text",
    "int": "整数 whole number",
    "float": "数字 number",
    "bool": "是/否 yes/no",
    "date": "日期 date",
    "strings": "多项，用、分隔 list, separated by 、",
}


def header_rows(kind: LoadKind) -> tuple[list[str], list[str]]:
    zh = [c.zh + ("*" if c.required else "") for c in kind.columns]
    en = [c.name for c in kind.columns]
    return zh, en


def example_cells(kind: LoadKind) -> list[Any]:
    return [kind.example.get(c.name, "") for c in kind.columns]


def template_csv(kind: LoadKind) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    zh, en = header_rows(kind)
    writer.writerow(zh)
    writer.writerow(en)
    writer.writerow(example_cells(kind))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: LoadKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.zh[:31]
    zh, en = header_rows(kind)
    sheet.append(zh)
    sheet.append(en)
    sheet.append(example_cells(kind))
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    for index, col in enumerate(kind.columns, start=1):
        top, second = sheet.cell(1, index), sheet.cell(2, index)
        top.font, top.fill, second.fill = bold, grey, grey
        top.comment = Comment(column_help(col), "gridgraph")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, 2 * len(col.zh) + 4, len(col.name) + 2)
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column_help(col: Column) -> str:
    """What goes in a column, in both languages: type, whether required, allowed values."""
    parts = [col.description, _TYPE_ZH[col.type.value]]
    if col.required:
        parts.append("必填 required")
    if col.choices:
        parts.append("可选值 values: " + choice_labels(col.choices))
    return "; ".join(p for p in parts if p)


def kinds_markdown() -> str:
    """Every load kind with its header table, as Markdown (embedded in docs/loading.md)."""
    lines = []
    for kind in LOAD_KINDS.values():
        lines += [f"### `{kind.name}` — {kind.zh}", "", kind.description, ""]
        writes = [f"{ONTOLOGY.kind(s.kind).zh} `{s.kind}`" for s in kind.slots]
        writes += [f"`{r.type}`" for r in kind.rels]
        lines += ["Writes: " + ", ".join(dict.fromkeys(writes)) + ".", ""]
        lines += ["| 中文表头 | English header | 类型 type | 必填 required | 说明 notes |",
                  "|---|---|---|---|---|"]  # fmt: skip
        for c in kind.columns:
            notes = c.description
            if c.choices:
                notes += "; values: " + choice_labels(c.choices)
            if c.headers:
                notes += "; also accepted: " + ", ".join(c.headers)
            required = "yes" if c.required else ""
            if not c.required and any(c.name in g for g in kind.one_of):
                group = next(g for g in kind.one_of if c.name in g)
                required = "one of " + " / ".join(group)
            lines.append(
                f"| {c.zh} | {c.name} | {_TYPE_ZH[c.type.value]} | {required} | "
                f"{notes.replace('|', '/')} |"
            )
        lines.append("")
    return "\n".join(lines)
