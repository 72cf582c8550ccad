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
from typing import Any, Literal

from graph.contract import GraphStore, merge_props
from graph.model import Node, Relationship, relationship_id
from loaders.cells import parse_string, parse_strings, parser_for
from loaders.errors import InvalidCell
from loaders.files import Sheet
from loaders.kinds import Column, LoadKind, infer_kind, load_kind, normalise_header
from loaders.report import Problem, SheetReport
from loaders.resolve import Resolver, kinds_label
from schema import ONTOLOGY

OnConflict = Literal["update", "skip", "fail"]
Progress = Callable[[str, int, int], None]

# Columns admins add for themselves; ignored without a warning.
_IGNORED_HEADERS = frozenset(
    normalise_header(h) for h in ("序号", "备注", "说明", "no", "no.", "remark", "notes")
)
_MISSING: Any = object()


@dataclass
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

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def kept(self) -> bool:
        return not self.errors and not self.skipped


@dataclass
class Plan:
    """Every row of a file, checked, with the problems that are not tied to one row."""

    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    existing_nodes: dict[str, Node] = field(default_factory=dict)
    existing_rels: dict[str, Relationship] = field(default_factory=dict)

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
    ) -> None:
        self.store = store
        self.file = file
        self.kind = load_kind(kind) if kind else None
        self.on_conflict = on_conflict
        self.progress = progress
        self.resolver = Resolver(store)
        self.plan = Plan()
        self._seen_rows: dict[tuple[Any, ...], int] = {}
        self._file_nodes: dict[str, tuple[Mapping[str, Any], int]] = {}
        self._file_rels: dict[str, tuple[Mapping[str, Any], int]] = {}

    def problem(self, code: str, sheet: str, **kw: Any) -> Problem:
        return Problem.make(code, file=self.file, sheet=sheet or None, **kw)

    # -- 1. headers ---------------------------------------------------------------------------
    def check(self, sheets: list[Sheet]) -> Plan:
        for sheet in sheets:
            self._check_sheet(sheet)
        self._compare_with_store()
        self._drop_dangling()
        return self.plan

    def _check_sheet(self, sheet: Sheet) -> None:
        rows = [(n, cells) for n, cells in sheet.rows if any(_filled(c) for c in cells)]
        if not rows:
            return
        start = _header_index(rows, self.kind)
        rows = rows[start:]  # a title row above the headers (e.g. 2024年共建协议台账) is left out
        header_no, header = rows[0]
        kind = self.kind
        if kind is None:
            kind, tied = infer_kind(header)
            if kind is None:
                code = "ambiguous_kind" if tied else "unknown_kind"
                from loaders.kinds import LOAD_KINDS

                choices = ", ".join(tied or LOAD_KINDS)
                self.plan.problems.append(
                    self.problem(code, sheet.name, row=header_no, choices=choices)
                )
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
            for r in rows_plans:  # every row is incomplete; say so once per row, not per cell
                r.errors.append(self.problem("missing_column", sheet.name, row=r.number,
                                             label=label))  # fmt: skip
            self.plan.rows.extend(rows_plans)
            return
        self._resolve_refs(kind, rows_plans)
        self.plan.rows.extend(rows_plans)

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
        names_key = tuple(names)
        list_columns = any(c.type.value == "strings" for c, _, _ in columns)
        parsed_columns = [parsers[c.name].column(body, i) for c, i, _ in columns]
        # the rows the cell checks below can find fault with, found column by column; the
        # others (nearly all, in a real file) skip those checks
        must_fill = {c.name for c in required} | {g for group in groups for g in group}
        suspects = {
            j
            for (c, _, _), parsed_column in zip(columns, parsed_columns, strict=True)
            for j, v in enumerate(parsed_column)
            if v.__class__ is InvalidCell or (v is None and c.name in must_fill)
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
            if list_columns:
                parsed = tuple(tuple(v) if v.__class__ is list else v for v in parsed)
            signature = (kind.name, names_key, parsed)
            first_row = self._seen_rows.get(signature)
            if first_row is not None:
                row.errors.append(self.problem("duplicate_row", sheet, row=number,
                                               first_row=first_row))  # fmt: skip
            else:
                self._seen_rows[signature] = number
            plans.append(row)
        return plans

    def _check_cells(self, row: RowPlan, required: list[Column], groups: list[Any]) -> None:
        """Bad cells, and empty cells the row needs: each an error of the row."""
        values, headers, sheet, number = row.values, row.headers, row.sheet, row.number
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
                if e.code == "unknown_ref" and ":" in e.params.get("value", ""):
                    e = InvalidCell(
                        "unknown_ref",
                        value=e.params["value"].split(":", 1)[1],
                        kinds_zh=e.params["kinds_zh"],
                        kinds_en=e.params["kinds_en"],
                    )
                self._ref_error(row, column, e)
        if kind.derive is not None:
            kind.derive(values, resolved)
        ends = resolved
        for slot, nkind, pairs in kind.slot_plans:
            props = {prop: v for prop, col in pairs if (v := values.get(col)) is not None}
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
            for s in sources if sources.__class__ is list else (sources,):
                for t in targets if targets.__class__ is list else (targets,):
                    props = {**base, **spec.extra(s, t)} if spec.extra is not None else dict(base)
                    rid = "" if spec.per_period else relationship_id(spec.type, s.id, t.id)
                    row.rels.append(Relationship(spec.type, s.id, t.id, props, rid))
        self._register(row)

    def _register(self, row: RowPlan) -> None:
        """Refuse a row that disagrees with an earlier row about a record; else remember it."""
        file_nodes, file_rels = self._file_nodes, self._file_rels
        for record, seen in _records(row, file_nodes, file_rels):
            before = seen.get(record.id)
            if before is None:
                continue
            props, first = before
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
        rel_ids = {x.id for r in rows for x in r.rels}
        self.plan.existing_nodes = self.store.get_nodes(node_ids) if node_ids else {}
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
                    label = kinds_label([ONTOLOGY.kind_of_id(gone).name])
                    r.errors.append(Problem.make(
                        "unknown_ref", file=self.file, sheet=r.sheet or None, row=r.number,
                        value=gone.split(":", 1)[1], kinds_zh=label["kinds_zh"],
                        kinds_en=label["kinds_en"]))  # fmt: skip
                    producers.subtract({n.id for n in r.nodes})
                    changed = True
                    break


def _records(row: RowPlan, nodes: Any, rels: Any) -> list[tuple[Any, Any]]:
    return [(n, nodes) for n in row.nodes] + [(r, rels) for r in row.rels]


def _header_index(rows: list[tuple[int, list[Any]]], kind: LoadKind | None) -> int:
    """Which of the first rows holds the headers: the first naming two known columns."""
    from loaders.kinds import LOAD_KINDS

    kinds = [kind] if kind else list(LOAD_KINDS.values())
    for index, (_, cells) in enumerate(rows[:10]):
        texts = {normalise_header(c) for c in cells if _filled(c)}
        if any(len(texts & k.header_index.keys()) >= 2 for k in kinds):
            return index
    return 0


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _parser(col: Column) -> Callable[[Any], Any]:
    if col.prop is not None:
        return parser_for(col.prop, col.division_lengths)
    return parse_strings if col.type.value == "strings" else parse_string


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


def merge_for_store(old: Node | None, new: dict[str, Any]) -> dict[str, Any]:
    return merge_props(old.props if old else None, new)
