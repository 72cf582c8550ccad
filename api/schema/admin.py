"""Admin mutations: upload a spreadsheet, add or end an agreement or a pairing.

Every mutation needs the admin token (:mod:`api.auth` refuses it before it runs). Each is a
thin wrapper over the loaders, so that a file uploaded here, a file given to ``gridgraph load``
and a record typed into a form are checked by the same code and answered by the same report
(:class:`loaders.report.LoadReport`). The load itself runs in a worker thread: it is CPU-bound
and would otherwise stall every other request; one admin write runs at a time.

The import log needs no field of its own: ``importRuns`` (generated for the ``ImportRun`` kind
in :mod:`api.schema.lists`) pages through it, newest first with
``orderBy: [{field: CODE, direction: DESC}]``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
import types as pytypes
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar, cast, get_args

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from api.context import GraphContext
from api.types import KIND_TYPES, SCALARS, Node, describe, graphql_enum, wrap
from graph.model import WriteSummary
from loaders import LOAD_KINDS, ON_CONFLICT, LoadReport, load_file, load_records
from loaders.edits import end_agreement, end_pairing
from loaders.files import ReadLimits, too_big
from loaders.importlog import KIND as IMPORT_RUN
from loaders.report import (
    Changes,
    FieldChange,
    Problem,
    RecordChange,
    Severity,
    Status,
    summary_line,
)

T = TypeVar("T")
SOURCE = "graphql"  # recorded as source_file of records added by the small mutations
if TYPE_CHECKING:

    class ImportRun(Node):
        """Static face of the import log's kind type (api.types builds it)."""

else:
    ImportRun = KIND_TYPES[IMPORT_RUN]
_write_lock = threading.Lock()  # one admin write at a time: check-then-write stays consistent


async def _in_worker(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a load in a worker thread, one at a time, so the event loop keeps answering reads."""

    def locked() -> T:
        with _write_lock:
            return fn(*args, **kwargs)

    return await asyncio.to_thread(locked)


# -- enums, from the loaders' own literals ------------------------------------------------
if TYPE_CHECKING:

    class LoadStatus(Enum):
        """Static face: one member per loader status."""

    class OnConflict(Enum):
        """Static face: one member per on-conflict rule."""

        UPDATE = "update"

    class ProblemSeverity(Enum):
        """Static face: one member per problem severity."""

else:
    LoadStatus = graphql_enum(
        "LoadStatus",
        get_args(Status),
        "How a load ended (导入结果): LOADED every row, PARTIAL the valid rows (skipInvalid), "
        "REJECTED nothing (a row or header is invalid), CHECKED a dry run, UNLOADABLE the file "
        "could not be read",
    )
    OnConflict = graphql_enum(
        "OnConflict",
        ON_CONFLICT,
        "What to do with a row whose record already exists (冲突处理): UPDATE it, SKIP the row, "
        "or FAIL (the row is an error)",
    )
    ProblemSeverity = graphql_enum(
        "ProblemSeverity", get_args(Severity), "How bad a problem is (问题级别)"
    )


# -- the report ----------------------------------------------------------------------------
@strawberry.type(
    name="LoadProblem",
    description="One problem found in a file, where it is and what is wrong, in Chinese and "
    "English (导入问题)",
)
class ProblemType:
    file: str = strawberry.field(description="The file (文件)")
    sheet: str | None = strawberry.field(description="The sheet, for workbooks (工作表)")
    row: int | None = strawberry.field(description="Row number as Excel shows it, from 1 (行号)")
    column: str | None = strawberry.field(description="The column's header in the file (列)")
    code: str = strawberry.field(description="Stable problem code, e.g. bad_uscc (问题代码)")
    severity: ProblemSeverity = strawberry.field(description="error, warning or info (级别)")
    message_zh: str = strawberry.field(description="The problem in Chinese (中文说明)")
    message_en: str = strawberry.field(description="The problem in English (英文说明)")


def _shown(value: Any) -> str | None:
    """A value as JSON text (lists stay lists), so that old and new compare as typed."""
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@strawberry.type(name="LoadFieldChange", description="One value before and after (变更字段)")
class FieldChangeType:
    field: str = strawberry.field(description="The property (属性)")

    @strawberry.field(description="The value before; null when absent (原值)")
    @staticmethod
    def old(root: strawberry.Parent[FieldChange]) -> str | None:
        return _shown(root.old)

    @strawberry.field(description="The value after; null when removed (新值)")
    @staticmethod
    def new(root: strawberry.Parent[FieldChange]) -> str | None:
        return _shown(root.new)


@strawberry.type(
    name="LoadRecord",
    description="What a load does, or would do, to one record: CREATED, UPDATED (old → new), "
    "UNCHANGED or REMOVED (a link a corrected file no longer gives) (记录变更)",
)
class RecordChangeType:
    id: strawberry.ID = strawberry.field(description="The record's id (编号)")
    kind: str = strawberry.field(description="Node kind or relationship type (类型)")
    changes: list[FieldChangeType] = strawberry.field(description="Values before and after")

    @strawberry.field(description="created, updated, unchanged or removed (动作)")
    @staticmethod
    def action(root: strawberry.Parent[RecordChange]) -> str:
        return root.action


@strawberry.type(name="LoadSheet", description="A sheet read from the file (工作表)")
class SheetType:
    name: str = strawberry.field(description="Sheet name; empty for CSV and JSON (名称)")
    kind: str | None = strawberry.field(description="Load kind of its rows (导入类型)")
    rows: int = strawberry.field(description="Data rows read (行数)")
    header_rows: list[int] = strawberry.field(description="Rows that held headers (表头行)")


def _counts_type(name: str, fields: list[str], description: str) -> Any:
    """A type of whole-number counts, named after the loader's own fields, plus ``changed``."""
    annotations: dict[str, Any] = {f: int for f in fields}
    namespace: dict[str, Any] = {
        f: strawberry.field(description=f.replace("_", " ").capitalize()) for f in fields
    }

    def changed(root: strawberry.Parent[Any]) -> bool:
        return bool(root.changed)

    namespace["changed"] = strawberry.field(
        resolver=changed, description="Whether anything was created or updated (是否有变化)"
    )
    ns = {"__module__": __name__, "__annotations__": annotations, **namespace}
    cls = pytypes.new_class(name, (), {}, lambda n: n.update(ns))
    return strawberry.type(cls, name=name, description=description)


if TYPE_CHECKING:

    class LoadChanges:
        """Static face: the loader's change counts, read by strawberry by name."""

    class WriteChanges:
        """Static face: an edit's change counts, read by strawberry by name."""

else:
    LoadChanges = _counts_type(
        "LoadChanges",
        list(Changes.model_fields),
        "What a load changed in the graph, or would change in a dry run; the import log entry "
        "itself is not counted (变更统计)",
    )
    WriteChanges = _counts_type(
        "WriteChanges",
        [f.name for f in dataclasses.fields(WriteSummary)],
        "What an edit changed in the graph (变更统计)",
    )


@strawberry.type(
    name="LoadReport",
    description="The answer to a load: the same report `gridgraph load --report` writes (导入报告)",
)
class LoadReportType:
    file: str = strawberry.field(description="The file name, or the mutation for records")
    format: str | None = strawberry.field(description="csv, xlsx, json, jsonl or records")
    encoding: str | None = strawberry.field(description="Text encoding detected (编码)")
    dry_run: bool = strawberry.field(description="Checked only; nothing written (试运行)")
    rows: int = strawberry.field(description="Data rows read (行数)")
    rows_valid: int = strawberry.field(description="Valid rows: written unless rejected or dry")
    rows_invalid: int = strawberry.field(description="Rows with an error (无效行数)")
    rows_skipped: int = strawberry.field(description="Rows left out: on-conflict skip, examples")
    changes: LoadChanges = strawberry.field(description="What changed, or would (变更)")
    loaded_at: str | None = strawberry.field(description="When, UTC ISO time (导入时间)")
    loaded_by: str | None = strawberry.field(description="By whom (导入人)")
    problems: list[ProblemType] = strawberry.field(
        description="Every problem, with file, sheet, row and column (问题)"
    )
    sheets: list[SheetType] = strawberry.field(description="The sheets read (工作表)")
    records: list[RecordChangeType] = strawberry.field(
        description="Per record: every record in a dry run (created, updated with old → new, "
        "unchanged, removed), the updated and removed ones in a load (逐条变更)"
    )
    records_truncated: bool = strawberry.field(
        description="Only the first records are listed; the counts are complete"
    )

    @strawberry.field(description="How the load ended (导入结果)")
    @staticmethod
    def status(root: strawberry.Parent[LoadReport]) -> LoadStatus:
        return LoadStatus(root.status)

    @strawberry.field(description="The on-conflict rule used (冲突处理)")
    @staticmethod
    def on_conflict(root: strawberry.Parent[LoadReport]) -> OnConflict:
        return OnConflict(root.on_conflict)

    @strawberry.field(description="Load kinds of the sheets (导入类型)")
    @staticmethod
    def kinds(root: strawberry.Parent[LoadReport]) -> list[str]:
        return root.kinds

    @strawberry.field(description="True when there is no error (无错误)")
    @staticmethod
    def valid(root: strawberry.Parent[LoadReport]) -> bool:
        return root.valid

    @strawberry.field(
        description="The summary as the CLI prints it: a line in Chinese, then the same in "
        "English; says 'no change: already loaded' when a file is loaded again (摘要)"
    )
    @staticmethod
    def summary(root: strawberry.Parent[LoadReport]) -> str:
        return summary_line(root)

    @strawberry.field(description="Id of the import log entry written, if anything was (导入记录)")
    @staticmethod
    def import_run_id(root: strawberry.Parent[LoadReport]) -> strawberry.ID | None:
        return strawberry.ID(f"import_run:{root.import_run}") if root.import_run else None

    @strawberry.field(description="The import log entry written, if anything was (导入记录)")
    @staticmethod
    async def import_run(root: strawberry.Parent[LoadReport], info: Info) -> ImportRun | None:
        if not root.import_run:
            return None
        ctx: GraphContext = info.context
        node = await ctx.nodes().load(f"import_run:{root.import_run}")
        return wrap(node) if node is not None else None


# -- inputs, from the load kinds' columns --------------------------------------------------
def _record_input(load_kind: str, name: str) -> Any:
    """An input type with one field per column of a load kind (required columns non-null)."""
    columns = LOAD_KINDS[load_kind].columns
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    for col in columns:
        scalar = SCALARS[col.type]
        annotations[col.name] = scalar if col.required else scalar | None
        text = describe(col.description or col.name, col.zh)
        if col.choices:
            text += ". One of: " + ", ".join(col.choices)
        namespace[col.name] = (
            strawberry.field(description=text)
            if col.required
            else strawberry.field(default=None, description=text)
        )
    ns = {"__module__": __name__, "__annotations__": annotations, **namespace}
    cls = pytypes.new_class(name, (), {}, lambda n: n.update(ns))
    kind = LOAD_KINDS[load_kind]
    return strawberry.input(
        cls,
        name=name,
        description=f"One row of the '{kind.name}' load kind ({kind.zh}): the columns of its "
        "spreadsheet template, checked the same way",
    )


if TYPE_CHECKING:

    class AgreementInput:
        """Static face: the agreements load kind's columns, as an input."""

        code: str | None
        name: str | None
        signed_on: date | None
        valid_from: date | None
        valid_to: date | None
        topics: list[str] | None
        contact: str | None
        contact_phone: str | None
        masters_interns: int | None
        undergraduate_interns: int | None
        aliases: list[str] | None
        partner: str | None
        uscc: str | None
        community: str

else:
    AgreementInput = _record_input("agreements", "AgreementInput")


def _record(value: Any) -> dict[str, Any]:
    """An input object as a spreadsheet row: set fields only, dates as ISO text."""
    row: dict[str, Any] = {}
    for key, v in vars(value).items():
        if v is None or v is strawberry.UNSET:
            continue
        row[key] = v.isoformat() if isinstance(v, date) else v
    return row


_PAIRING = {c.name: c for c in LOAD_KINDS["pairings"].columns}


def _help(column: str) -> str:
    col = _PAIRING[column]
    return describe(col.description or col.name, col.zh)


class _Readable(Protocol):
    """What an upload is at run time (starlette's UploadFile; strawberry types it as bytes)."""

    async def read(self, size: int = -1) -> bytes: ...


async def _read_upload(file: _Readable, limit: int) -> bytes | None:
    """The upload's bytes, or None as soon as it is over ``limit``: never read in full."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        return None
    chunks, total = [], 0
    while chunk := await file.read(1 << 20):
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _refused(name: str, loaded_by: str, limit: int) -> LoadReport:
    report = LoadReport(file=name, status="unloadable", loaded_by=loaded_by)
    e = too_big("file", None, limit)
    report.problems.append(Problem.make("over_limit", file=name, zh=e.zh, en=e.en))
    return report


_KINDS_HELP = "Load kind, inferred from the headers when left out; one of: " + ", ".join(LOAD_KINDS)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        graphql_type=LoadReportType,
        description="Load a spreadsheet (Excel xlsx/xlsm/xls/et/ods, an HTML-table .xls, "
        "CSV/TSV, JSON or JSONL), sent as a GraphQL multipart request: checked in full, then "
        "written all or nothing, with provenance and an import log entry; an upload over the "
        "size limit is refused before it is read in full. Needs the admin token (上传导入)",
    )
    async def import_file(
        self,
        info: Info,
        file: Annotated[Upload, strawberry.argument(description="The file (文件)")],
        kind: Annotated[str | None, strawberry.argument(description=_KINDS_HELP)] = None,
        sheet: Annotated[
            str | None,
            strawberry.argument(description="Only this sheet of a workbook (default: all)"),
        ] = None,
        dry_run: Annotated[
            bool, strawberry.argument(description="Check and report only; write nothing")
        ] = False,
        all_sheets: Annotated[
            bool,
            strawberry.argument(
                description="Also read hidden sheets and instruction sheets (填表说明)"
            ),
        ] = False,
        skip_invalid: Annotated[
            bool,
            strawberry.argument(description="Write the valid rows even if some are invalid"),
        ] = False,
        on_conflict: Annotated[
            OnConflict, strawberry.argument(description="What to do with existing records")
        ] = OnConflict.UPDATE,
    ) -> LoadReport:
        ctx: GraphContext = info.context
        name = getattr(file, "filename", None) or "upload"
        limits = ReadLimits.from_settings(ctx.settings)
        data = await _read_upload(cast("_Readable", file), limits.max_file_bytes)
        if data is None:
            return _refused(name, ctx.identity.name, limits.max_file_bytes)
        return await _in_worker(
            load_file, ctx.audited("importFile", name), data, limits=limits,
            all_sheets=all_sheets, filename=name,
            kind=kind, sheet=sheet, dry_run=dry_run, skip_invalid=skip_invalid,
            on_conflict=on_conflict.value, loaded_by=ctx.identity.name,
        )  # fmt: skip

    @strawberry.mutation(
        graphql_type=LoadReportType,
        description="Add (or update, by its code) one co-construction agreement, checked "
        "like a row of an agreements spreadsheet. Needs the admin token (新增共建协议)",
    )
    async def add_agreement(
        self,
        info: Info,
        input: AgreementInput,
        dry_run: Annotated[
            bool, strawberry.argument(description="Check and report only; write nothing")
        ] = False,
    ) -> LoadReport:
        ctx: GraphContext = info.context
        return await _in_worker(
            load_records, ctx.audited("addAgreement", input.code), "agreements",
            [_record(input)], source=f"{SOURCE}:addAgreement", dry_run=dry_run,
            loaded_by=ctx.identity.name,
        )  # fmt: skip

    @strawberry.mutation(
        graphql_type=WriteChanges,
        description="End an agreement: its last day in force becomes `on`, for it and every "
        "party's link; history is kept. Needs the admin token (终止共建协议)",
    )
    async def end_agreement(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="The agreement's code (协议编号)")],
        on: Annotated[date, strawberry.argument(description="Its last day in force (终止日期)")],
    ) -> WriteSummary:
        ctx: GraphContext = info.context
        return await _in_worker(
            end_agreement, ctx.audited("endAgreement", code), code, on,
            source=f"{SOURCE}:endAgreement", loaded_by=ctx.identity.name,
        )  # fmt: skip

    @strawberry.mutation(
        graphql_type=LoadReportType,
        description="Pair a district department with a community (包联), checked like a row "
        "of a pairings spreadsheet. Needs the admin token (新增机关包联)",
    )
    async def add_pairing(
        self,
        info: Info,
        department: Annotated[str, strawberry.argument(description=_help("department"))],
        community: Annotated[str, strawberry.argument(description=_help("community"))],
        valid_from: Annotated[
            date | None, strawberry.argument(description=_help("valid_from"))
        ] = None,
        valid_to: Annotated[date | None, strawberry.argument(description=_help("valid_to"))] = None,
        dry_run: Annotated[
            bool, strawberry.argument(description="Check and report only; write nothing")
        ] = False,
    ) -> LoadReport:
        ctx: GraphContext = info.context
        row: dict[str, Any] = {"department": department, "community": community}
        if valid_from is not None:
            row["valid_from"] = valid_from.isoformat()
        if valid_to is not None:
            row["valid_to"] = valid_to.isoformat()
        return await _in_worker(
            load_records, ctx.audited("addPairing", f"{department} → {community}"), "pairings",
            [row], source=f"{SOURCE}:addPairing", dry_run=dry_run, loaded_by=ctx.identity.name,
        )  # fmt: skip

    @strawberry.mutation(
        graphql_type=WriteChanges,
        description="End a department's pairing with a community: the pairing in force on "
        "`on` gets `on` as its last day. Needs the admin token (终止机关包联)",
    )
    async def end_pairing(
        self,
        info: Info,
        department: Annotated[str, strawberry.argument(description=_help("department"))],
        community: Annotated[str, strawberry.argument(description=_help("community"))],
        on: Annotated[date, strawberry.argument(description="Its last day in force (终止日期)")],
    ) -> WriteSummary:
        ctx: GraphContext = info.context
        return await _in_worker(
            end_pairing, ctx.audited("endPairing", f"{department} → {community}"),
            department, community, on,
            source=f"{SOURCE}:endPairing", loaded_by=ctx.identity.name,
        )  # fmt: skip
