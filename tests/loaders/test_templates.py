"""Templates round-trip: template -> fill -> load, for every load kind and both formats."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from loaders import LOAD_KINDS, load_file
from loaders.templates import kinds_markdown, template_csv, template_xlsx, update_loading_doc

from .conftest import UNIT_A

DOCS = Path(__file__).resolve().parents[2] / "docs" / "loading.md"


@pytest.mark.parametrize("kind", list(LOAD_KINDS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_untouched_template_loads_as_nothing(kind: str, fmt: str) -> None:
    """Both header rows are understood, the kind is inferred, the example row is skipped."""
    data = template_csv(LOAD_KINDS[kind]) if fmt == "csv" else template_xlsx(LOAD_KINDS[kind])
    report = load_file(MemoryStore(), data, filename=f"t.{fmt}", kind=kind)
    assert report.valid, report.problems
    assert report.sheets[0].header_rows == [1, 2]
    assert (report.rows, report.rows_skipped, report.changes.changed) == (1, 1, False)
    assert [p.code for p in report.problems] == ["example_row"]


def test_csv_template_filled_in_loads(seeded: MemoryStore) -> None:
    lines = template_csv(LOAD_KINDS["agreements"]).decode("utf-8-sig").splitlines()
    header = next(csv.reader([lines[1]]))
    row = {"code": "GJ-9", "partner": "河师大", "community": "观景社区", "signed_on": "2024/3/1",
           "topics": "光影小巷、文明实践"}  # fmt: skip
    out = io.StringIO()
    csv.writer(out).writerow([row.get(h, "") for h in header])
    data = ("\n".join(lines) + "\n" + out.getvalue()).encode("utf-8-sig")
    report = load_file(seeded, data, filename="filled.csv")
    assert report.status == "loaded", report.problems
    assert report.rows_valid == 1 and report.changes.nodes_created == 1
    agreement = seeded.get_nodes(["agreement:GJ-9"])["agreement:GJ-9"]
    assert agreement.props["topics"] == ["光影小巷", "文明实践"]


def test_xlsx_template_filled_in_loads(seeded: MemoryStore) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_xlsx(LOAD_KINDS["units"])))
    sheet = book.active
    english = [c.value for c in sheet[2]]
    values = {"uscc": UNIT_A, "name": "河南师范大学社会事业学院", "unit_type": "高校",
              "address": "新乡市建设东路46号"}  # fmt: skip
    sheet.delete_rows(3)  # the admin overwrites the example
    sheet.append([values.get(h) for h in english])
    out = io.BytesIO()
    book.save(out)
    report = load_file(seeded, out.getvalue(), filename="units.xlsx")
    assert report.status == "loaded", report.problems
    assert report.changes.nodes_updated == 1  # the unit was there; the address is new
    unit = seeded.get_nodes([f"unit:{UNIT_A}"])[f"unit:{UNIT_A}"]
    assert unit.props["address"] == "新乡市建设东路46号"
    assert unit.props["source_sheet"] == "共建单位" and unit.props["source_row"] == 3


def test_docs_carry_the_generated_header_tables() -> None:
    """docs/loading.md embeds `gridgraph template --list --markdown`; regenerate if this fails."""
    text = DOCS.read_text(encoding="utf-8")
    assert kinds_markdown().strip() in text
    assert update_loading_doc(text) == text
