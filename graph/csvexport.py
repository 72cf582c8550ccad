"""CSV written for people: it opens in Excel on a Chinese Windows and never hands back a formula.

Excel reads a CSV without a byte-order mark in the machine's ANSI code page (GBK on a Chinese
Windows), which garbles UTF-8 Chinese; with the UTF-8 BOM it reads UTF-8. And Excel runs a
cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, so a
name typed as ``=HYPERLINK(...)`` into a loaded sheet could come back out as a live formula
(CSV injection). As OWASP's guidance says, such text cells are prefixed with a single quote
(Excel shows the text and does not evaluate it); numbers are left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

BOM = "\ufeff"
# the characters OWASP lists, and their full-width forms, which Excel also accepts
_FORMULA_START = tuple("=+-@\t\r") + tuple("＝＋－＠")


def neutralise(value: Any) -> Any:
    """A cell Excel will show as text: formula-like text gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class ExcelCsv:
    """A csv writer whose every cell is neutralised; writes the BOM first if asked."""

    def __init__(self, out: IO[str], *, bom: bool = True, delimiter: str = ",") -> None:
        if bom:
            out.write(BOM)
        self._writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")

    def row(self, cells: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(c) for c in cells])

    def rows(self, rows: Iterable[Iterable[Any]]) -> int:
        n = 0
        for r in rows:
            self.row(r)
            n += 1
        return n

    def dicts(self, fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
        """A header row, then one row per mapping (missing keys empty); the data rows count."""
        self.row(fieldnames)
        return self.rows([r.get(f, "") for f in fieldnames] for r in rows)
