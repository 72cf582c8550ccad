"""Moving a whole graph between stores: a versioned JSON Lines file, read and written in batches.

Works on any :class:`GraphStore` through the contract, so the same file moves a graph from the
embedded store to Neo4j and back. The format is documented in ``docs/exchange-format.md``:

* line 1, the header: ``{"record": "header", "format": "gridgraph-jsonl", "version": 1, ...}``
  with a summary of the ontology the graph was written under;
* one line per node, ordered by id: ``{"record": "node", "id", "kind", "props"}``;
* one line per relationship, ordered by id:
  ``{"record": "relationship", "id", "type", "source", "target", "props"}``;
* the last line, ``{"record": "end", "nodes": N, "relationships": M}``, so a truncated file is
  recognised.

An import reads the file twice: the first pass checks every line (JSON, record shape, ontology,
endpoints, kinds already in the target store) and the second writes, so a bad file imports
nothing and the error names the file and the line.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph.contract import GraphStore, check_node, check_relationship
from graph.errors import GridGraphError, IntegrityError
from graph.model import Node, Relationship, WriteSummary
from schema import ONTOLOGY

FORMAT = "gridgraph-jsonl"
VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})

Progress = Callable[[int, int], None]
"""Called as ``progress(records_done, records_total)`` while records are read or written."""


class ExchangeError(GridGraphError):
    """A file that is not a gridgraph export, or is damaged; the message names file and line."""


@dataclass
class ExchangeReport:
    """What an export or import moved; ``summary`` is what the target store changed."""

    nodes: int = 0
    relationships: int = 0
    summary: WriteSummary = field(default_factory=WriteSummary)


def ontology_summary() -> dict[str, Any]:
    """The kinds, relationship types and their properties, with a fingerprint of them."""
    kinds = {k.name: sorted(p.name for p in k.all_props) for k in ONTOLOGY.kinds.values()}
    relations = {
        r.name: {
            "sources": sorted(r.sources),
            "targets": sorted(r.targets),
            "props": sorted(p.name for p in r.all_props),
        }
        for r in ONTOLOGY.relations.values()
    }
    body = {"kinds": dict(sorted(kinds.items())), "relationships": dict(sorted(relations.items()))}
    digest = hashlib.sha256(_dumps(body).encode("utf-8")).hexdigest()
    return {**body, "fingerprint": digest}


def _dumps(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def node_record(node: Node) -> dict[str, Any]:
    props = dict(sorted(node.props.items()))
    return {"record": "node", "id": node.id, "kind": node.kind, "props": props}


def relationship_record(rel: Relationship) -> dict[str, Any]:
    return {
        "record": "relationship",
        "id": rel.id,
        "type": rel.type,
        "source": rel.source,
        "target": rel.target,
        "props": dict(sorted(rel.props.items())),
    }


# -- export --------------------------------------------------------------------------------


def export_graph(
    store: GraphStore, destination: str | Path | IO[str], progress: Progress | None = None
) -> ExchangeReport:
    """Write every node and relationship of ``store`` to ``destination`` (a path or a stream).

    A path is written to a temporary file beside it and renamed at the end, so an interrupted
    export never leaves a half-written file under the final name.
    """
    if isinstance(destination, str | Path):
        path = Path(destination)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                report = _export(store, out, progress)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return report
    return _export(store, destination, progress)


def _export(store: GraphStore, out: IO[str], progress: Progress | None) -> ExchangeReport:
    counts = store.counts()
    total = sum(counts.nodes.values()) + sum(counts.relationships.values())
    header = {
        "record": "header",
        "format": FORMAT,
        "version": VERSION,
        "source_store": store.name,
        "ontology": ontology_summary(),
    }
    out.write(_dumps(header) + "\n")
    report = ExchangeReport()
    done = 0
    for node in store.iter_nodes():
        out.write(_dumps(node_record(node)) + "\n")
        report.nodes += 1
        done += 1
        if progress is not None and done % 1000 == 0:
            progress(done, max(total, done))
    for rel in store.iter_relationships():
        out.write(_dumps(relationship_record(rel)) + "\n")
        report.relationships += 1
        done += 1
        if progress is not None and done % 1000 == 0:
            progress(done, max(total, done))
    end = {"record": "end", "nodes": report.nodes, "relationships": report.relationships}
    out.write(_dumps(end) + "\n")
    if progress is not None:
        progress(done, done)
    return report


# -- import --------------------------------------------------------------------------------


@dataclass
class _Checked:
    nodes: int = 0
    relationships: int = 0


def import_graph(
    store: GraphStore,
    path: str | Path,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> ExchangeReport:
    """Upsert every record of the export at ``path`` into ``store``, in batches.

    Raises :class:`ExchangeError` naming the file and line, before writing anything, when the
    file is not a gridgraph export of a supported version, is damaged or truncated, or holds a
    record the ontology or the target store would refuse.
    """
    path = Path(path)
    checked = validate_file(store, path)
    total = checked.nodes + checked.relationships
    report = ExchangeReport()
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    for batch in _batches(_records(path, "node"), batch_size):
        nodes = [Node(r["id"], r["kind"], r["props"]) for r in batch]
        report.summary.add(store.upsert_nodes(nodes))
        report.nodes += len(nodes)
        tick(len(nodes))
    for batch in _batches(_records(path, "relationship"), batch_size):
        rels = [
            Relationship(r["type"], r["source"], r["target"], r["props"], r["id"]) for r in batch
        ]
        report.summary.add(store.upsert_relationships(rels))
        report.relationships += len(rels)
        tick(len(rels))
    if progress is not None and total == 0:
        progress(0, 0)
    return report


def copy_graph(
    source: GraphStore,
    target: GraphStore,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> ExchangeReport:
    """Copy every node, then every relationship, of ``source`` into ``target`` in batches."""
    counts = source.counts()
    total = sum(counts.nodes.values()) + sum(counts.relationships.values())
    report = ExchangeReport()
    for nodes in _batches(source.iter_nodes(), batch_size):
        report.summary.add(target.upsert_nodes(nodes))
        report.nodes += len(nodes)
        if progress is not None:
            progress(report.nodes, max(total, report.nodes))
    for rels in _batches(source.iter_relationships(), batch_size):
        report.summary.add(target.upsert_relationships(rels))
        report.relationships += len(rels)
        if progress is not None:
            done = report.nodes + report.relationships
            progress(done, max(total, done))
    return report


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _records(path: Path, kind: str) -> Iterator[dict[str, Any]]:
    """The already validated records of one kind, in file order."""
    with path.open(encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if i == 0:
                continue
            record = json.loads(line)
            if record["record"] == kind:
                yield record


_NODE_FIELDS: dict[str, type] = {"record": str, "id": str, "kind": str, "props": dict}
_REL_FIELDS: dict[str, type] = {
    "record": str, "id": str, "type": str, "source": str, "target": str, "props": dict,
}  # fmt: skip


def validate_file(store: GraphStore, path: Path, batch_size: int = 5000) -> _Checked:
    """First pass of an import: every check, nothing written. Raises :class:`ExchangeError`."""
    return _Validator(store, path, batch_size).run()


class _Validator:
    """Reads an export line by line and refuses the first thing an import would trip on."""

    def __init__(self, store: GraphStore, path: Path, batch_size: int) -> None:
        self.store, self.path, self.batch_size = store, path, batch_size
        self.kinds: dict[str, str] = {}  # node id -> kind, for the nodes in the file
        self.node_line: dict[str, int] = {}
        self.rel_ids: set[str] = set()
        self.pending: list[tuple[int, Relationship]] = []  # endpoints not in the file
        self.checked = _Checked()
        self.foreign = False  # written under a different ontology
        self.lineno = 0

    def fail(self, message: str, lineno: int | None = None) -> ExchangeError:
        return ExchangeError(f"{self.path}, line {lineno or self.lineno}: {message}")

    def run(self) -> _Checked:
        try:
            handle = self.path.open(encoding="utf-8")
        except OSError as e:
            raise ExchangeError(f"cannot read {self.path}: {e.strerror or e}") from None
        section, end_seen = "header", False
        with handle:
            try:
                for self.lineno, line in enumerate(handle, start=1):
                    if end_seen:
                        raise self.fail("text after the end record")
                    record = self.parse(line)
                    tag = record.get("record")
                    if section == "header":
                        self.header(record)
                        section = "node"
                    elif tag == "node":
                        if section != "node":
                            raise self.fail("a node after the relationships")
                        self.node(record)
                    elif tag == "relationship":
                        section = "relationship"
                        self.relationship(record)
                    elif tag == "end":
                        self.end(record)
                        end_seen = True
                    else:
                        raise self.fail(f"unknown record type {tag!r}")
            except UnicodeDecodeError as e:
                raise self.fail(f"not UTF-8 text ({e.reason})", self.lineno + 1) from None
        if self.lineno == 0:
            raise ExchangeError(f"{self.path}: empty file, not a {FORMAT} export")
        if not end_seen:
            raise self.fail("the file ends before its end record (truncated?)")
        self.against_store()
        return self.checked

    def parse(self, line: str) -> dict[str, Any]:
        if not line.strip():
            raise self.fail("blank line")
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise self.fail(f"not valid JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(record, dict):
            raise self.fail("not a JSON object")
        return record

    def header(self, record: dict[str, Any]) -> None:
        if record.get("record") != "header" or record.get("format") != FORMAT:
            raise self.fail(f"not a {FORMAT} export (the first line must be its header)")
        version = record.get("version")
        if version not in SUPPORTED_VERSIONS:
            supported = ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
            raise self.fail(
                f"{FORMAT} version {version!r} is not supported "
                f"(this gridgraph reads version {supported})"
            )
        theirs = (record.get("ontology") or {}).get("fingerprint")
        self.foreign = theirs != ontology_summary()["fingerprint"]

    def shape(self, record: dict[str, Any], fields: dict[str, type]) -> None:
        for name, kind in fields.items():
            if not isinstance(record.get(name), kind):
                raise self.fail(f"{record['record']} record needs {name!r} ({kind.__name__})")
        extra = set(record) - set(fields)
        if extra:
            raise self.fail(f"unknown field {sorted(extra)[0]!r} in a {record['record']} record")

    def ontology(self, check: Callable[[], None], lineno: int | None = None) -> None:
        try:
            check()
        except IntegrityError as e:
            hint = " (the file was written under a different ontology)" if self.foreign else ""
            raise self.fail(f"{e}{hint}", lineno) from None

    def node(self, record: dict[str, Any]) -> None:
        self.shape(record, _NODE_FIELDS)
        node = Node(record["id"], record["kind"], record["props"])
        self.ontology(functools.partial(check_node, node))
        if node.id in self.kinds:
            raise self.fail(f"node {node.id} also on line {self.node_line[node.id]}")
        self.kinds[node.id] = node.kind
        self.node_line[node.id] = self.lineno
        self.checked.nodes += 1

    def relationship(self, record: dict[str, Any]) -> None:
        self.shape(record, _REL_FIELDS)
        rel = Relationship(
            record["type"], record["source"], record["target"], record["props"], record["id"]
        )
        if rel.id in self.rel_ids:
            raise self.fail(f"relationship {rel.id} appears twice")
        self.rel_ids.add(rel.id)
        if rel.source in self.kinds and rel.target in self.kinds:
            ends = self.kinds[rel.source], self.kinds[rel.target]
            self.ontology(functools.partial(check_relationship, rel, *ends))
        else:
            self.pending.append((self.lineno, rel))
        self.checked.relationships += 1

    def end(self, record: dict[str, Any]) -> None:
        nodes, rels = record.get("nodes"), record.get("relationships")
        if (nodes, rels) != (self.checked.nodes, self.checked.relationships):
            raise self.fail(
                f"end record counts {nodes} nodes and {rels} relationships, the file holds "
                f"{self.checked.nodes} and {self.checked.relationships}"
            )

    def against_store(self) -> None:
        """Ids the store holds as another kind; endpoints that only the store holds."""
        for batch in _batches(sorted(self.kinds), self.batch_size):
            for nid, existing in self.store.get_nodes(batch).items():
                if existing.kind != self.kinds[nid]:
                    raise self.fail(
                        f"{nid} is a {existing.kind} in the store, not a {self.kinds[nid]}",
                        self.node_line[nid],
                    )
        ends = {e for _, r in self.pending for e in (r.source, r.target)}
        missing = sorted(ends - set(self.kinds))
        stored: dict[str, str] = {}
        for batch in _batches(missing, self.batch_size):
            stored.update({nid: n.kind for nid, n in self.store.get_nodes(batch).items()})
        for lineno, rel in self.pending:
            kinds = []
            for end in (rel.source, rel.target):
                kind = self.kinds.get(end) or stored.get(end)
                if kind is None:
                    raise self.fail(
                        f"{rel.type} {rel.id}: no node {end} in the file or the store", lineno
                    )
                kinds.append(kind)
            self.ontology(functools.partial(check_relationship, rel, *kinds), lineno)
