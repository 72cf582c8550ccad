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
#: What to do with a row whose record already exists: the one list of choices (CLI, API, docs).
OnConflict = Literal["update", "skip", "fail"]


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


class FieldChange(BaseModel):
    """One value of a record, before and after (``None``: absent)."""

    field: str
    old: Any = None
    new: Any = None


class RecordChange(BaseModel):
    """What a load does, or would do, to one record."""

    id: str
    kind: str = Field(description="Node kind or relationship type")
    action: Literal["created", "updated", "unchanged", "removed"]
    changes: list[FieldChange] = Field(default_factory=list)


class Changes(BaseModel):
    """What the load changed in the store, or would change in a dry run (ImportRun excluded)."""

    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    relationships_removed: int = Field(
        default=0, description="Links a corrected file no longer gives, removed"
    )

    @property
    def changed(self) -> bool:
        return bool(
            self.nodes_created + self.nodes_updated
            + self.relationships_created + self.relationships_updated
            + self.relationships_removed
        )  # fmt: skip


class LoadReport(BaseModel):
    file: str
    format: str | None = None
    encoding: str | None = None
    dry_run: bool = False
    on_conflict: OnConflict = "update"
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
    records: list[RecordChange] = Field(
        default_factory=list,
        description="Per record: created, updated (old → new), unchanged or removed; every "
        "record in a dry run, the updated and removed ones in a load",
    )
    records_truncated: bool = Field(default=False, description="Only the first records listed")

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


def records_table(report: LoadReport, limit: int = 200) -> Any:
    """A rich table of what a dry run would do to each record: created, updated (old → new),
    removed; records left alone are counted in the caption."""
    from rich.table import Table

    label = {"created": "新建 created", "updated": "更新 updated", "removed": "删除 removed"}
    shown = [r for r in report.records if r.action != "unchanged"]
    same = len(report.records) - len(shown)
    table = Table(
        title=f"{report.file}：逐条变更（试运行）/ per record (dry run)",
        caption=f"未变 unchanged: {same}"
        + (f"；仅列出前{limit}条 / first {limit} listed, all in --report" if len(shown) > limit
           else ""),
        show_lines=False,
    )  # fmt: skip
    table.add_column("动作 action", no_wrap=True)
    table.add_column("记录 record", overflow="fold")
    table.add_column("变更 old → new", overflow="fold")
    for r in shown[:limit]:
        if r.action == "created":
            what = ", ".join(f"{c.field}={_brief(c.new)}" for c in r.changes)
        elif r.action == "removed":
            what = ""
        else:
            what = "; ".join(f"{c.field}: {_brief(c.old)} → {_brief(c.new)}" for c in r.changes)
        table.add_row(label[r.action], r.id, what)
    return table


def _brief(value: Any) -> str:
    if value is None:
        return "∅"
    text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


PROBLEM_COLUMNS = ("file", "sheet", "row", "column", "code", "severity", "message_zh",
                   "message_en")  # fmt: skip


def write_problems_csv(reports: list[LoadReport], out: Any, bom: bool = True) -> int:
    """Every problem as a CSV row for Excel (UTF-8 BOM, no cell read back as a formula)."""
    from graph.csvexport import ExcelCsv

    rows = (p.model_dump() for r in reports for p in r.problems)
    return ExcelCsv(out, bom=bom).dicts(
        PROBLEM_COLUMNS, ({k: v if v is not None else "" for k, v in p.items()} for p in rows)
    )


def summary_line(report: LoadReport) -> str:
    """One line in Chinese, then the same in English: what happened to the file."""
    c = report.changes
    verb_zh, verb = {
        "loaded": ("已导入", "loaded"),
        "partial": ("已导入有效行", "loaded the valid rows of"),
        "rejected": ("未导入（有错误）", "nothing loaded from"),
        "checked": ("已检查（试运行）", "checked (dry run)"),
        "unloadable": ("无法读取", "could not read"),
    }[report.status]
    removed = f" -{c.relationships_removed}" if c.relationships_removed else ""
    zh = (
        f"{report.file}：{verb_zh} — 共{report.rows}行，有效{report.rows_valid}行，"
        f"无效{report.rows_invalid}行，跳过{report.rows_skipped}行；"
        f"节点 新建{c.nodes_created} 更新{c.nodes_updated} 未变{c.nodes_unchanged}，"
        f"关系 新建{c.relationships_created} 更新{c.relationships_updated} "
        f"未变{c.relationships_unchanged}"
        + (f" 删除{c.relationships_removed}" if c.relationships_removed else "")
    )
    text = (
        f"{report.file}: {verb} — {report.rows} rows, {report.rows_valid} valid, "
        f"{report.rows_invalid} invalid, {report.rows_skipped} skipped; "
        f"nodes +{c.nodes_created} ~{c.nodes_updated} ={c.nodes_unchanged}, "
        f"relationships +{c.relationships_created} ~{c.relationships_updated} "
        f"={c.relationships_unchanged}{removed}"
    )
    if report.status in ("loaded", "partial") and not c.changed:
        zh += "（无变化：已导入过）"
        text += " (no change: already loaded)"
    return f"{zh}\n{text}"
