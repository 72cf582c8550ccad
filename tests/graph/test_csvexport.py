"""CSV for Excel: the BOM, and no cell that Excel would run as a formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from graph.csvexport import ExcelCsv, neutralise


def test_formula_cells_are_neutralised_and_others_kept() -> None:
    out = io.StringIO()
    ExcelCsv(out).row(["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx",
                       "＝1+1", "黎阳社区", "0392-3300001", -5, 3.5, None])  # fmt: skip
    text = out.getvalue()
    assert text.startswith("\ufeff")
    [row] = list(csv.reader(io.StringIO(text[1:])))
    assert row == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx",
                   "'＝1+1", "黎阳社区", "0392-3300001", "-5", "3.5", ""]  # fmt: skip


def test_no_bom_when_asked() -> None:
    out = io.StringIO()
    ExcelCsv(out, bom=False).row(["a"])
    assert out.getvalue() == "a\r\n"


@given(st.text())
def test_no_text_cell_starts_like_a_formula(text: str) -> None:
    shown = neutralise(text)
    assert not shown.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert shown in (text, "'" + text)
