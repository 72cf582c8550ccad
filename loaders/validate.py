"""Validation before any write: headers, cells, references, duplicates, conflicts.

A file is checked in full and turned into a :class:`Plan` — the nodes and relationships each
valid row would write — before the store is touched; every problem found on the way is kept
with its file, sheet, row and column. The steps, each batched over a sheet:

1. map headers to columns (either language, either header row) and pick the load kind;
2. parse every cell (:mod:`loaders.cells`), check required cells, date order, duplicate rows;
3. resolve reference cells in batch (:mod:`loaders.resolve`);
4. build each row's nodes and relationships; rows that disagree about a record are refused;
5. compare with what the store holds (``--on-conflict``), and drop rows whose references lead
   only to rows that were refused.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.contract import GraphStore
from graph.model import Direction, Node, Relationship
from loaders.cells import CLEARED, clearable, parse_string, parse_strings, parser_for
from loaders.errors import InvalidCell
from loaders.files import Sheet
from loaders.kinds import LOAD_KINDS, Column, LoadKind, infer_kind, load_kind, normalise_header
from loaders.report import OnConflict, Problem, SheetReport
from loaders.resolve import Resolver, english, kinds_label
from schema import ONTOLOGY

Progress = Callable[[str, int, int], None]

# Columns admins add for themselves; ignored without a warning.
_IGNORED_HEADERS = frozenset(
    normalise_header(h) for h in ("序号", "备注", "说明", "no", "no.", "remark", "notes")
)
_MISSING: Any = object()


@dataclass(slots=True)
class RowPlan:
    """One data row: its parsed values, problems, and what it would write."""

    kind: LoadKind
    sheet: str
    number: int
    headers: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    rels: list[Relationship] = field(default_factory=list)
    skipped: bool = False
    blocked: bool = False  # the sheet lacks a column every row needs (one problem, not per row)
    cleared: set[str] = field(default_factory=set)  # columns cleared on purpose (<清空>)
    replaces: list[tuple[str, str, Direction, tuple[str, ...], bool]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.blocked

    @property
    def kept(self) -> bool:
        return self.ok and not self.skipped


@dataclass
class Plan:
    """Every row of a file, checked, with the problems that are not tied to one row."""

    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    existing_nodes: dict[str, Node] = field(default_factory=dict)
    existing_rels: dict[str, Relationship] = field(default_factory=dict)
    stale_rels: dict[str, Relationship] = field(default_factory=dict)  # replaced by the file

    @property
    def all_problems(self) -> list[Problem]:
        out = list(self.problems)
        for r in self.rows:
            out.extend(r.errors)
            out.extend(r.notes)
        return out


class Checker:
    """Checks the sheets of one file against one store."""

    def __init__(
        self,
        store: GraphStore,
        file: str,
        kind: str | None = None,
        on_conflict: OnConflict = "update",
        progress: Progress | None = None,
        all_sheets: bool = False,
    ) -> None:
        self.store = store
        self.file = file
        self.all_sheets = all_sheets
        self.kind = load_kind(kind) if kind else None
        self.on_conflict = on_conflict
        self.progress = progress
        self.resolver = Resolver(store)
        self.plan = Plan()
        self._seen_rows: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], int]] = {}
        self._file_nodes: dict[str, tuple[Mapping[str, Any], int]] = {}
        self._file_rels: dict[str, tuple[Mapping[str, Any], int]] = {}

    def problem(self, code: str, sheet: str, **kw: Any) -> Problem:
        return Problem.make(code, file=self.file, sheet=sheet or None, **kw)

    # -- 1. headers ---------------------------------------------------------------------------
    def check(self, sheets: list[Sheet]) -> Plan:
        for sheet in sheets:
            if sheet.skip_reason and not self.all_sheets:
                self.plan.problems.append(self.problem(
                    "sheet_skipped", sheet.name, severity="info", sheet_name=sheet.name,
                    **SKIP_REASONS[sheet.skip_reason]))  # fmt: skip
                continue
            self._check_sheet(sheet)
        self._compare_with_store()
        if self.on_conflict == "update":
            self._find_replaced()
        self._drop_dangling()
        return self.plan

    def _check_sheet(self, sheet: Sheet) -> None:
        rows = [(n, cells) for n, cells in sheet.rows if _any_filled(cells)]
        if not rows:
            return
        start = _header_index(rows, self.kind)
        if start is None:  # no row names two known columns: an instruction or notes sheet
            if self.kind is None and _is_notes(rows):
                self.plan.problems.append(self.problem(
                    "sheet_skipped", sheet.name, severity="info", sheet_name=sheet.name,
                    **SKIP_REASONS["instructions"]))  # fmt: skip
                return
            start = 0
        rows = rows[start:]  # a title row above the headers (e.g. 2024年共建协议台账) is left out
        header_no, header = rows[0]
        kind = self.kind
        if kind is None:
            kind, tied = infer_kind(header)
            if kind is None:
                self.plan.problems.append(self._kind_problem(sheet.name, header_no, header, tied))
                self.plan.sheets.append(SheetReport(name=sheet.name, kind=None, rows=len(rows) - 1))
                return
        mapping, problems = self._map_headers(kind, sheet.name, header_no, header)
        header_rows = [header_no]
        body = rows[1:]
        if body and not sheet.records and _is_header_row(kind, body[0][1]):
            second_no, second = body[0]
            header_rows.append(second_no)
            extra, _ = self._map_headers(kind, sheet.name, second_no, second, quiet=True)
            for col, where in extra.items():
                mapping.setdefault(col, where)
            body = body[1:]
            problems = [p for p in problems if p.code != "unknown_column" or
                        not _is_header_cell(kind, second, p.column, header)]  # fmt: skip
        self.plan.problems.extend(problems)
        body = self._drop_summary_rows(sheet.name, body)
        self.plan.sheets.append(
            SheetReport(name=sheet.name, kind=kind.name, rows=len(body), header_rows=header_rows)
        )
        missing = [c for c in kind.columns if c.required and c.name not in mapping]
        for c in missing:
            self.plan.problems.append(
                self.problem(
                    "missing_column", sheet.name, row=header_no, column=c.label, label=c.label
                )
            )
        for group in kind.one_of:
            if not set(group) & mapping.keys():
                labels = " / ".join(kind.column_map[g].label for g in group)
                self.plan.problems.append(
                    self.problem("missing_one_of", sheet.name, row=header_no, columns=labels)
                )
        rows_plans = self._parse_rows(kind, sheet.name, mapping, body)
        if missing or any(not set(g) & mapping.keys() for g in kind.one_of):
            unmet = [g for g in kind.one_of if not set(g) & mapping.keys()]
            label = (
                missing[0].label
                if missing
                else " / ".join(kind.column_map[g].label for g in unmet[0])
            )
            del label  # said once above, for the sheet: every row is incomplete
            for r in rows_plans:
                r.blocked = True
            self.plan.rows.extend(rows_plans)
            return
        self._resolve_refs(kind, rows_plans)
        self.plan.rows.extend(rows_plans)

    def _kind_problem(self, sheet: str, number: int, header: list[Any], tied: list[str]) -> Problem:
        """Which kinds the headers come closest to, which columns they expect, which are missing."""
        if tied:
            return self.problem("ambiguous_kind", sheet, row=number, choices=", ".join(tied))
        best = closest_kinds(header)
        if not best:
            from loaders.kinds import LOAD_KINDS

            return self.problem("unknown_kind", sheet, row=number, choices=", ".join(LOAD_KINDS))
        near, missing = best[0]
        expected = [c.label for c in near.columns if c.required]
        expected += [" / ".join(near.column_map[g].label for g in grp) for grp in near.one_of]
        return self.problem(
            "kind_missing_columns", sheet, row=number, kind_zh=near.zh, kind=near.name,
            expected="、".join(expected), missing="、".join(missing),
            others=", ".join(k.name for k, _ in best[1:]) or "—",
        )  # fmt: skip

    def _drop_summary_rows(
        self, sheet: str, body: list[tuple[int, list[Any]]]
    ) -> list[tuple[int, list[Any]]]:
        """Totals and signature rows (合计, 制表人：张三) are not data: left out with a note."""
        kept = []
        starts = _SUMMARY_STARTS
        for number, cells in body:
            word, looked = None, 0
            for c in cells:  # the first two filled cells; a word is only looked for in a cell
                if c is None:  # that starts with the first character of one (rare)
                    continue
                text = (c if isinstance(c, str) else str(c)).lstrip()
                if not text:
                    continue
                if text[0] in starts and (word := _summary_word(c)):
                    break
                looked += 1
                if looked == 2:
                    break
            if word is None:
                kept.append((number, cells))
                continue
            self.plan.problems.append(
                self.problem("summary_row", sheet, row=number, severity="info", word=word)
            )
        return kept

    def _map_headers(
        self, kind: LoadKind, sheet: str, number: int, header: list[Any], quiet: bool = False
    ) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
        mapping: dict[str, tuple[int, str]] = {}
        problems = []
        for index, cell in enumerate(header):
            if not _filled(cell):
                continue
            text = " ".join(str(cell).split())[:200]  # a header is shown as written
            norm = normalise_header(text)
            col = kind.header_index.get(norm)
            if col is None:
                if norm not in _IGNORED_HEADERS and not quiet:
                    problems.append(
                        self.problem(
                            "unknown_column",
                            sheet,
                            row=number,
                            column=text,
                            severity="warning",
                            header=text,
                        )
                    )
                continue
            mapping.setdefault(col, (index, text))
        return mapping, problems

    # -- 2. cells -----------------------------------------------------------------------------
    def _parse_rows(
        self,
        kind: LoadKind,
        sheet: str,
        mapping: dict[str, tuple[int, str]],
        body: list[tuple[int, list[Any]]],
    ) -> list[RowPlan]:
        columns = [(kind.column_map[c], i, h) for c, (i, h) in mapping.items()]
        parsers = {c.name: _Memo(_parser(c)) for c, _, _ in columns}
        headers = {c.name: h for c, _, h in columns}
        example = self._example_values(kind, parsers)
        required = [c for c, _, _ in columns if c.required]
        groups = [g for g in kind.one_of if set(g) & mapping.keys()]
        plans = []
        total = len(body)
        # column by column: each distinct cell of a column is parsed once (see _Memo)
        names = [c.name for c, _, _ in columns]
        # rows seen before with the same kind and columns, by their parsed cells (a sheet's
        # rows share kind and columns: the per-row key is the cells alone)
        seen = self._seen_rows.setdefault((kind.name, tuple(names)), {})
        list_columns = [j for j, (c, _, _) in enumerate(columns) if c.type.value == "strings"]
        parsed_columns = [parsers[c.name].column(body, i) for c, i, _ in columns]
        # the rows the cell checks below can find fault with, found column by column; the
        # others (nearly all, in a real file) skip those checks
        must_fill = {c.name for c in required} | {g for group in groups for g in group}
        suspects = {
            j
            for (c, _, _), parsed_column in zip(columns, parsed_columns, strict=True)
            for j, v in enumerate(parsed_column)
            if v.__class__ is InvalidCell or v is CLEARED or (v is None and c.name in must_fill)
        }
        parsed_rows = zip(*parsed_columns, strict=True) if parsed_columns else (() for _ in body)
        for j, ((number, _), parsed) in enumerate(zip(body, parsed_rows, strict=True)):
            if self.progress and (j + 1) % 5000 == 0:
                self.progress("check", j + 1, total)
            row = RowPlan(kind, sheet, number, headers)
            values = row.values = dict(zip(names, parsed, strict=True))
            if j in suspects:
                self._check_cells(row, required, groups)
            start, end = values.get("valid_from"), values.get("valid_to")
            if start and end and start > end:
                row.errors.append(
                    self.problem(
                        "dates_reversed",
                        sheet,
                        row=number,
                        column=headers["valid_to"],
                        start=start,
                        end=end,
                    )
                )
            if example is not None and values == example:
                row.skipped = True
                row.notes.append(self.problem("example_row", sheet, row=number, severity="info"))
                plans.append(row)
                continue
            if list_columns:  # lists as tuples, to be hashed: only the list columns looked at
                cells = list(parsed)
                for i in list_columns:
                    if cells[i].__class__ is list:
                        cells[i] = tuple(cells[i])
                parsed = tuple(cells)
            first_row = seen.get(parsed)
            if first_row is not None:
                row.errors.append(self.problem("duplicate_row", sheet, row=number,
                                               first_row=first_row))  # fmt: skip
            else:
                seen[parsed] = number
            plans.append(row)
        return plans

    def _check_cells(self, row: RowPlan, required: list[Column], groups: list[Any]) -> None:
        """Bad cells, and empty cells the row needs: each an error of the row."""
        values, headers, sheet, number = row.values, row.headers, row.sheet, row.number
        for name in [n for n, v in values.items() if v is CLEARED]:
            values[name] = None
            col = row.kind.column_map[name]
            if col.required or col.prop is None or _is_key(row.kind, name):
                row.errors.append(self.problem("cannot_clear", sheet, row=number,
                                               column=headers[name]))  # fmt: skip
            else:
                row.cleared.add(name)
        bad = [n for n, v in values.items() if v.__class__ is InvalidCell]
        for name in bad:
            row.errors.append(self._cell_problem(values[name], sheet, number, headers[name]))
            values[name] = None
        for col in required:
            if values[col.name] is None and col.name not in bad:
                row.errors.append(self.problem("required", sheet, row=number,
                                               column=headers[col.name]))  # fmt: skip
        for group in groups:
            if all(values.get(g) is None for g in group) and not set(group) & set(bad):
                first = next(g for g in group if g in headers)
                row.errors.append(self.problem("required", sheet, row=number,
                                               column=headers[first]))  # fmt: skip

    def _cell_problem(self, e: InvalidCell, sheet: str, row: int, column: str) -> Problem:
        return Problem(
            file=self.file, sheet=sheet or None, row=row, column=column, code=e.code,
            message_zh=e.zh, message_en=e.en,
        )  # fmt: skip

    @staticmethod
    def _example_values(kind: LoadKind, parsers: Mapping[str, Callable[[Any], Any]]) -> Any:
        example = {c: parsers[c](kind.example.get(c)) for c in parsers}
        if any(isinstance(v, InvalidCell) for v in example.values()):
            return None
        return example

    # -- 3. references and 4. records ---------------------------------------------------------
    def _resolve_refs(self, kind: LoadKind, rows: list[RowPlan]) -> None:
        for ref in kind.refs:
            values: set[str] = set()
            codes: set[str] = set()
            target = ONTOLOGY.kind(ref.kinds[0])
            for r in rows:
                v = r.values.get(ref.name)
                if isinstance(v, list):
                    values.update(v)
                elif v:
                    values.add(v)
                if ref.code and r.values.get(ref.code[1]):
                    codes.add(r.values[ref.code[1]])
                if ref.fill and not v and all(r.values.get(c) for c in ref.fill):
                    with contextlib.suppress(ValueError):
                        codes.add(target.node_id({t: r.values[c] for c, t in ref.fill.items()}))
            self.resolver.prefetch(codes, ref.kinds, names=False)
            self.resolver.prefetch(values, ref.kinds)
        for slot, nkind, _ in kind.slot_plans:  # records known by name: look the names up once
            if not slot.by_name:
                continue
            keys = [slot.column_name(k) for k in nkind.key]
            names = {
                n
                for r in rows
                if (n := r.values.get(slot.column_name("name")))
                and any(r.values.get(k) is None for k in keys)
            }
            self.resolver.prefetch(names, (nkind.name,))
        total = len(rows)
        for done, row in enumerate(rows, start=1):
            if self.progress and done % 2000 == 0:
                self.progress("resolve", done, total)
            if row.skipped:
                continue
            self._build_row(kind, row)

    def _ref_error(self, row: RowPlan, column: str | None, e: InvalidCell) -> None:
        row.errors.append(self._cell_problem(e, row.sheet, row.number, column or ""))

    def _build_row(self, kind: LoadKind, row: RowPlan) -> None:
        values, headers = row.values, row.headers
        slot_names = kind.slot_names
        resolved: dict[str, Any] = {}
        for ref in kind.refs:
            value = values.get(ref.name)
            code_column = ref.code[1] if ref.code else None
            code = values.get(code_column) if code_column else None
            try:
                if code:
                    node = self.resolver.resolve(code, ref.kinds, by_name=False)
                    if value and not self.resolver.named(node, value):
                        raise InvalidCell(
                            "ref_mismatch",
                            value=value,
                            other_column=headers.get(code_column or "", ""),
                            other=code,
                        )
                    resolved[ref.name] = node
                elif value and ref.many:
                    resolved[ref.name] = [self.resolver.resolve(v, ref.kinds) for v in value]
                elif value:
                    node = self.resolver.resolve(value, ref.kinds)
                    resolved[ref.name] = node
                    for col, prop in ref.fill.items():
                        given, found = values.get(col), node.props.get(prop)
                        if given is None:
                            values[col] = found
                        elif given != found:
                            self._ref_error(row, headers.get(ref.name), InvalidCell(
                                "ref_mismatch", value=value, other_column=headers.get(col, col),
                                other=given))  # fmt: skip
                elif ref.fill and all(values.get(c) for c in ref.fill):
                    target = ONTOLOGY.kind(ref.kinds[0])
                    nid = target.node_id({t: values[c] for c, t in ref.fill.items()})
                    resolved[ref.name] = self.resolver.resolve(nid, ref.kinds, by_name=False)
            except InvalidCell as e:
                column = headers.get(code_column) if code and code_column else headers.get(ref.name)
                if column is None and ref.fill:
                    column = next((headers[c] for c in ref.fill if c in headers), None)
                if e.code == "unknown_ref" and (":" in e.params.get("value", "") or ref.load_first):
                    params = {**e.params, "value": e.params["value"].split(":", 1)[-1]}
                    if ref.load_first:  # the partner: 找不到共建单位“X”，请先导入共建单位
                        first = LOAD_KINDS[ref.load_first]
                        params.update(
                            kinds_zh=ref.zh,
                            kinds_en=english(first.slots[0].kind),
                            load_zh=f"，请先导入{first.zh}",
                            load_en=f"; load the {first.name} ({first.zh}) first",
                        )
                    e = InvalidCell("unknown_ref", **params)
                self._ref_error(row, column, e)
        if kind.derive is not None:
            kind.derive(values, resolved)
        if row.ok:
            self._natural_keys(kind, row, resolved)
        ends = resolved
        cleared = row.cleared
        for slot, nkind, pairs in kind.slot_plans:
            props = {prop: v for prop, col in pairs if (v := values.get(col)) is not None}
            if cleared:
                props.update({prop: None for prop, col in pairs if col in cleared})
            try:
                node = Node(nkind.node_id(props), nkind.name, props)
            except ValueError:
                if row.ok:  # a key cell is empty; the required check has said so unless derived
                    missing = next(k for k in nkind.key if props.get(k) is None)
                    col = slot.column_name(missing)
                    row.errors.append(self.problem(
                        "required", row.sheet, row=row.number,
                        column=headers.get(col, kind.column_map[col].label)))  # fmt: skip
                continue
            row.nodes.append(node)
            ends[slot.name] = node
        if row.errors:
            return
        for spec in kind.rels:
            sources, targets = ends.get(spec.source), ends.get(spec.target)
            if sources is None or targets is None:
                continue
            base = {p: v for p in spec.props if (v := values.get(p)) is not None}
            if cleared:
                base.update({p: None for p in spec.props if p in cleared})
            for s in sources if sources.__class__ is list else (sources,):
                for t in targets if targets.__class__ is list else (targets,):
                    props = {**base, **spec.extra(s, t)} if spec.extra is not None else dict(base)
                    # the id every writer derives (type, ends, first day): the reference
                    # generator's links and the loader's are the same records
                    row.rels.append(Relationship(spec.type, s.id, t.id, props))
            if spec.replace and spec.source in slot_names and spec.target not in slot_names:
                node = ends[spec.source]
                row.replaces.append((node.id, spec.type, Direction.OUT,
                                     kind.ref_kinds[spec.target], spec.per_period))  # fmt: skip
            elif spec.replace and spec.target in slot_names and spec.source not in slot_names:
                node = ends[spec.target]
                row.replaces.append((node.id, spec.type, Direction.IN,
                                     kind.ref_kinds[spec.source], spec.per_period))  # fmt: skip
        self._register(row)

    def _natural_keys(self, kind: LoadKind, row: RowPlan, refs: Mapping[str, Any]) -> None:
        """Fill a record's key when the row gives none: an existing record of that name, else
        the key the kind derives (partner and day for an agreement, post and name for a
        person)."""
        values = row.values
        for slot, nkind, keys, natural in kind.natural_slots:
            if all(values.get(c) is not None for c in keys.values()):
                continue
            try:
                found = self._existing_by_name(slot, nkind.name, keys, values)
                if found is not None:
                    for k, c in keys.items():
                        values[c] = found.props.get(k)
                else:
                    values.update(natural(values, refs))
            except InvalidCell as e:
                column = e.params.get("column")
                header = row.headers.get(column or "") or (
                    kind.column_map[column].label if column in kind.column_map else None
                )
                self._ref_error(row, header, e)

    def _existing_by_name(
        self, slot: Any, kind: str, keys: dict[str, str], values: dict[str, Any]
    ) -> Node | None:
        name = values.get(slot.column_name("name"))
        if not slot.by_name or not name:
            return None
        try:
            node = self.resolver.resolve(name, (kind,))
        except InvalidCell as e:
            if e.code == "ambiguous_ref":
                raise
            return None
        given = {k: values[c] for k, c in keys.items() if values.get(c) is not None}
        if any(node.props.get(k) != v for k, v in given.items()):
            return None  # the same name inside another parent: another record
        return node

    def _register(self, row: RowPlan) -> None:
        """Refuse a row that disagrees with an earlier row about a record; else remember it."""
        file_nodes, file_rels = self._file_nodes, self._file_rels
        # the records an earlier row wrote too (rare: one agreement signed by several parties)
        earlier = [
            (record, before)
            for records, seen in ((row.nodes, file_nodes), (row.rels, file_rels))
            for record in records
            if (before := seen.get(record.id)) is not None
        ]
        for record, (props, first) in earlier:
            for k, v in record.props.items():
                if k in props and props[k] != v:
                    row.errors.append(Problem.make(
                        "row_conflict", file=self.file, sheet=row.sheet or None, row=row.number,
                        column=_header_of(row, k), what=record.id, field=k, first=_show(props[k]),
                        second=_show(v), first_row=first))  # fmt: skip
                    break
        if row.errors:
            return
        number = row.number
        for node in row.nodes:
            before = file_nodes.get(node.id)
            file_nodes[node.id] = (
                ({**before[0], **node.props}, before[1]) if before else (node.props, number)
            )
            self.resolver.add(node)
        for rel in row.rels:
            before = file_rels.get(rel.id)
            file_rels[rel.id] = (
                ({**before[0], **rel.props}, before[1]) if before else (rel.props, number)
            )

    # -- 5. the store -------------------------------------------------------------------------
    def _compare_with_store(self) -> None:
        rows = [r for r in self.plan.rows if r.kept]
        node_ids = {n.id for r in rows for n in r.nodes}
        existing = self.plan.existing_nodes = self.store.get_nodes(node_ids) if node_ids else {}
        # a link can be stored only if both its ends are: one ending at a record this file
        # writes and the store was just found not to hold is new, without asking (in a first
        # load, every link of every new agreement)
        absent = node_ids - existing.keys()
        rel_ids = {
            x.id for r in rows for x in r.rels if x.source not in absent and x.target not in absent
        }
        self.plan.existing_rels = self.store.get_relationships(rel_ids) if rel_ids else {}
        if self.on_conflict == "update":
            return
        for row in rows:
            records: list[Node | Relationship] = [*row.nodes, *row.rels]
            for record in records:
                old = (self.plan.existing_nodes if isinstance(record, Node)
                       else self.plan.existing_rels).get(record.id)  # fmt: skip
                if old is None:
                    continue
                diff = next((k for k, v in record.props.items() if old.props.get(k) != v), None)
                if diff is None:
                    continue
                if self.on_conflict == "skip":
                    row.skipped = True
                    row.notes.append(Problem.make(
                        "skipped_conflict", file=self.file, sheet=row.sheet or None,
                        row=row.number, column=_header_of(row, diff), severity="info",
                        what=record.id))  # fmt: skip
                else:
                    row.errors.append(Problem.make(
                        "exists_different", file=self.file, sheet=row.sheet or None,
                        row=row.number, column=_header_of(row, diff), what=record.id,
                        field=diff, old=_show(old.props.get(diff)),
                        new=_show(record.props[diff])))  # fmt: skip
                break

    def _find_replaced(self) -> None:
        """Links a corrected file replaces: a record's links of a type, to the kinds a column
        names, that the file no longer gives. A dated link stays when the file gives the
        record links of that type from other days only (a dated change is a new link)."""
        # per record, link type and direction: the links the file gives it (their ids and
        # first days) and the kinds of ends each column replaces; only for stored records,
        # since a new record has no links to replace (so a first load skips all of this)
        stored = self.plan.existing_nodes
        groups: dict[tuple[str, str, Direction], tuple[set[str], set[Any], set[Any]]] = {}
        for row in self.plan.rows:
            replaces = row.replaces
            if not replaces or not row.kept:
                continue
            last = None
            for node_id, rtype, direction, kinds, per_period in replaces:
                if node_id not in stored:
                    continue
                triple = (node_id, rtype, direction)
                group = groups.get(triple)
                if group is None:
                    group = groups[triple] = (set(), set(), set())
                group[2].add((kinds, per_period))
                if triple == last:  # the same record's links, already noted for this row
                    continue
                last = triple
                ids, days = group[0], group[1]
                out = direction is Direction.OUT
                for rel in row.rels:
                    if rel.type == rtype and (rel.source if out else rel.target) == node_id:
                        ids.add(rel.id)
                        days.add(rel.props.get("valid_from"))
        by_query: dict[tuple[str, Direction], list[str]] = {}
        for node_id, rtype, direction in groups:
            by_query.setdefault((rtype, direction), []).append(node_id)
        stale = self.plan.stale_rels
        for (rtype, direction), node_ids in by_query.items():
            hops = self.store.neighbours(node_ids, rtype, direction=direction)
            for node_id in node_ids:
                ids, days, specs = groups[node_id, rtype, direction]
                for hop in hops.get(node_id, ()):
                    rel = hop.relationship
                    if rel.id in ids:
                        continue
                    kind = hop.node.kind
                    for kinds, per_period in specs:
                        if kind not in kinds:
                            continue
                        if per_period and rel.props.get("valid_from") not in days:
                            continue  # history from another day: kept
                        stale[rel.id] = rel
                        break

    def _drop_dangling(self) -> None:
        """Refuse rows whose relationships end at a record that only a refused row would write."""
        kept = [r for r in self.plan.rows if r.kept]
        stored = self.resolver.store_nodes.keys() | self.plan.existing_nodes.keys()
        ends = {e for r in kept for rel in r.rels for e in (rel.source, rel.target)} - stored
        if ends <= {n.id for r in kept for n in r.nodes}:
            return  # every end is stored or written by a kept row: nothing dangles (common case)
        producers: Counter[str] = Counter()
        for r in kept:
            producers.update({n.id for n in r.nodes})
        changed = True
        while changed:
            changed = False
            for r in self.plan.rows:
                if not r.kept:
                    continue
                for rel in r.rels:
                    gone = next((e for e in (rel.source, rel.target)
                                 if producers[e] == 0 and e not in stored), None)  # fmt: skip
                    if gone is None:
                        continue
                    label: dict[str, Any] = kinds_label([ONTOLOGY.kind_of_id(gone).name])
                    r.errors.append(Problem.make(
                        "unknown_ref", file=self.file, sheet=r.sheet or None, row=r.number,
                        value=gone.split(":", 1)[1], **label))  # fmt: skip
                    producers.subtract({n.id for n in r.nodes})
                    changed = True
                    break


SKIP_REASONS: dict[str, dict[str, str]] = {
    "hidden": {"reason_zh": "隐藏的工作表", "reason_en": "a hidden sheet"},
    "instructions": {"reason_zh": "填表说明", "reason_en": "an instructions sheet"},
}
_SUMMARY_WORDS = ("合计", "小计", "总计", "共计", "制表人", "填表人", "审核人", "制表", "填表",
                  "审核", "负责人签字", "签字", "盖章")  # fmt: skip


_SUMMARY_STARTS = frozenset(w[0] for w in _SUMMARY_WORDS)


def _summary_word(cell: Any) -> str | None:
    text = "".join(str(cell).split())
    return next((w for w in _SUMMARY_WORDS if text.startswith(w)), None)


def _is_notes(rows: list[tuple[int, list[Any]]]) -> bool:
    """An instructions sheet: it says so in its first cells (填表说明, 说明, 注:)."""
    for _, cells in rows[:3]:
        for c in cells:
            if _filled(c):
                text = "".join(str(c).split())
                if text.startswith(("填表说明", "说明", "注", "备注", "使用说明")):
                    return True
                break
    return False


def _is_key(kind: LoadKind, column: str) -> bool:
    return any(
        slot.column_name(k) == column for slot, nkind, _ in kind.slot_plans for k in nkind.key
    )


def closest_kinds(headers: list[Any]) -> list[tuple[LoadKind, list[str]]]:
    """The kinds the headers match best, each with the required columns they lack."""
    from loaders.kinds import LOAD_KINDS

    normal = [normalise_header(h) for h in headers if normalise_header(h)]
    scored = []
    for kind in LOAD_KINDS.values():
        matched = {kind.header_index[h] for h in normal if h in kind.header_index}
        if not matched:
            continue
        missing = [c.label for c in kind.columns if c.required and c.name not in matched]
        missing += [
            " / ".join(kind.column_map[g].label for g in grp)
            for grp in kind.one_of
            if not set(grp) & matched
        ]
        scored.append((-len(matched), len(missing), kind, missing))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [(k, m) for _, _, k, m in scored[:3]]


def _header_index(rows: list[tuple[int, list[Any]]], kind: LoadKind | None) -> int | None:
    """Which of the first rows holds the headers: the first naming two known columns."""
    from loaders.kinds import LOAD_KINDS

    kinds = [kind] if kind else list(LOAD_KINDS.values())
    for index, (_, cells) in enumerate(rows[:10]):
        texts = {normalise_header(c) for c in cells if _filled(c)}
        if any(len(texts & k.header_index.keys()) >= 2 for k in kinds):
            return index
    return None


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _any_filled(cells: list[Any]) -> bool:
    """``any(_filled(c) for c in cells)``, inlined: it runs for every row of every sheet."""
    for c in cells:  # noqa: SIM110 - a loop, not any() over a generator: twice as fast
        if c is not None and (not isinstance(c, str) or (c and not c.isspace())):
            return True
    return False


def _parser(col: Column) -> Callable[[Any], Any]:
    if col.prop is not None:
        return clearable(parser_for(col.prop, col.division_lengths))
    return clearable(parse_strings if col.type.value == "strings" else parse_string)


class _Memo:
    """Parse each distinct cell once: spreadsheets repeat names, dates and codes a lot.

    Gives the value, or the :class:`InvalidCell` (not raised: a column is parsed in one go,
    and its errors are picked out afterwards).
    """

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        self.parse = parse
        # text cells are their own keys; other cells are keyed with their type, since
        # 1 == 1.0 == True would otherwise share an entry (a tuple key never equals a str one)
        self.cache: dict[Any, Any] = {}

    def __call__(self, raw: Any) -> Any:
        if raw.__class__ is str:
            hit = self.cache.get(raw, _MISSING)
            if hit is _MISSING:
                hit = self._parse(raw, raw)
        else:
            try:
                key: Any = (raw.__class__, raw)
                hit = self.cache.get(key, _MISSING)
            except TypeError:  # lists from JSON are not hashable
                hit, key = _MISSING, None
            if hit is _MISSING:
                hit = self._parse(raw, key)
        return list(hit) if hit.__class__ is list else hit

    def column(self, body: list[tuple[int, list[Any]]], index: int) -> list[Any]:
        """The parsed cells of one column: ``__call__`` for each row, with the text-cell case
        inlined (it is nearly every cell of a CSV file)."""
        cache, out = self.cache, []
        for _, cells in body:
            raw = cells[index] if index < len(cells) else None
            if raw.__class__ is str:
                hit = cache.get(raw, _MISSING)
                if hit is _MISSING:
                    hit = self._parse(raw, raw)
                out.append(list(hit) if hit.__class__ is list else hit)
            else:
                out.append(self(raw))
        return out

    def _parse(self, raw: Any, key: Any) -> Any:
        try:
            hit = self.parse(raw)
        except InvalidCell as e:
            hit = e
        if key is not None and len(self.cache) < 200_000:
            self.cache[key] = hit
        return hit


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def _is_header_row(kind: LoadKind, cells: list[Any]) -> bool:
    """A second header row: every filled cell is a header of the kind (the English row)."""
    texts = [normalise_header(c) for c in cells if _filled(c)]
    return bool(texts) and all(t in kind.header_index or t in _IGNORED_HEADERS for t in texts)


def _is_header_cell(
    kind: LoadKind, second: list[Any], header: str | None, first: list[Any]
) -> bool:
    for index, cell in enumerate(first):
        if _filled(cell) and str(cell).strip() == header and index < len(second):
            return normalise_header(second[index]) in kind.header_index
    return False


def _header_of(row: RowPlan, prop: str) -> str | None:
    return row.headers.get(prop) or next(
        (h for c, h in row.headers.items() if c.endswith("_" + prop)), None
    )
