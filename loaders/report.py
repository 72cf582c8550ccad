"""The load report: every problem with file, sheet, row and column, in Chinese and English.

Pydantic models, so that the CLI's ``--report FILE``, the GraphQL mutation and the tests all see
the same JSON.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from loaders.errors import message

Severity = Literal["error", "warning", "info"]
Status = Literal["loaded", "partial", "rejected", "checked", "unloadable"]


class Problem(BaseModel):
    file: str
    sheet: str | None = None
    row: int | None = Field(default=None, description="Row number as Excel shows it (from 1)")
    column: str | None = Field(default=None, description="The column's header in the file")
    code: str
    severity: Severity = "error"
    message_zh: str
    message_en: str

    @classmethod
    def make(
        cls,
        code: str,
        *,
        file: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        severity: Severity = "error",
        **params: Any,
    ) -> Problem:
        zh, en = message(code, **params)
        return cls(
            file=file, sheet=sheet, row=row, column=column, code=code, severity=severity,
            message_zh=zh, message_en=en,
        )  # fmt: skip


class SheetReport(BaseModel):
    name: str
    kind: str | None
    rows: int = 0
    header_rows: list[int] = Field(default_factory=list)


class Changes(BaseModel):
    """What the load changed in the store, or would change in a dry run (ImportRun excluded)."""

    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.nodes_created + self.nodes_updated
            + self.relationships_created + self.relationships_updated
        )  # fmt: skip


class LoadReport(BaseModel):
    file: str
    format: str | None = None
    encoding: str | None = None
    dry_run: bool = False
    on_conflict: Literal["update", "skip", "fail"] = "update"
    status: Status = "rejected"
    sheets: list[SheetReport] = Field(default_factory=list)
    rows: int = 0
    rows_valid: int = Field(default=0, description="Valid rows, written unless rejected or dry")
    rows_invalid: int = 0
    rows_skipped: int = Field(default=0, description="Rows left out: on-conflict skip, examples")
    changes: Changes = Field(default_factory=Changes)
    import_run: str | None = Field(default=None, description="Code of the ImportRun node written")
    loaded_at: str | None = None
    loaded_by: str | None = None
    problems: list[Problem] = Field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sheets if s.kind})


def problems_table(reports: list[LoadReport]) -> Any:
    """A rich table of every problem of these reports, errors first."""
    from rich.table import Table

    table = Table(title="问题 / Problems", show_lines=True)
    table.add_column("位置 where", no_wrap=True)
    table.add_column("列 column")
    table.add_column("问题 / problem", overflow="fold")
    rank = {"error": 0, "warning": 1, "info": 2}
    problems = [p for r in reports for p in r.problems]
    problems.sort(key=lambda p: (p.file, rank[p.severity], p.sheet or "", p.row or 0))
    style = {"error": "red", "warning": "yellow", "info": "dim"}
    for p in problems:
        where = p.file + (f" [{p.sheet}]" if p.sheet else "")
        if p.row is not None:
            where += f" 第{p.row}行 row {p.row}"
        table.add_row(where, p.column or "", f"{p.message_zh}\n{p.message_en}",
                      style=style[p.severity])  # fmt: skip
    return table


def summary_line(report: LoadReport) -> str:
    c = report.changes
    verb = {
        "loaded": "loaded",
        "partial": "loaded the valid rows of",
        "rejected": "nothing loaded from",
        "checked": "checked (dry run)",
        "unloadable": "could not read",
    }[report.status]
    text = (
        f"{report.file}: {verb} — {report.rows} rows, {report.rows_valid} valid, "
        f"{report.rows_invalid} invalid, {report.rows_skipped} skipped; "
        f"nodes +{c.nodes_created} ~{c.nodes_updated} ={c.nodes_unchanged}, "
        f"relationships +{c.relationships_created} ~{c.relationships_updated} "
        f"={c.relationships_unchanged}"
    )
    if report.status in ("loaded", "partial") and not c.changed:
        text += " (no change: already loaded)"
    return text
