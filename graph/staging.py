"""Working out what a unit of work does, apart from any one store.

Every store buffers a unit of work in a :class:`WriteBuffer` and calls :func:`stage` with a way to
read the committed state: the embedded store reads its graph in memory, Neo4j first fetches every
record the unit of work touches. :func:`stage` replays the buffered writes in order with one set
of rules and counting for every store:
upserts merge (``None`` removes a property), deleting a node deletes its relationships,
relationships need both endpoints and endpoint kinds the ontology allows. The result is the
final state of every touched record and the :class:`WriteSummary`, so a store only has to
write the difference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.contract import UnitOfWork, check_node, check_relationship, merge_props
from graph.errors import IntegrityError
from graph.model import Node, Relationship, WriteSummary

UPSERT_NODES = "upsert_nodes"
UPSERT_RELATIONSHIPS = "upsert_relationships"
DELETE_NODES = "delete_nodes"
DELETE_RELATIONSHIPS = "delete_relationships"


class WriteBuffer(UnitOfWork):
    """Buffers the writes of one unit of work, in the order they were asked for."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, list[Any]]] = []

    def upsert_nodes(self, nodes: Iterable[Node]) -> None:
        self.ops.append((UPSERT_NODES, [_plain_node(n) for n in nodes]))

    def upsert_relationships(self, relationships: Iterable[Relationship]) -> None:
        self.ops.append((UPSERT_RELATIONSHIPS, [_plain_rel(r) for r in relationships]))

    def delete_nodes(self, ids: Iterable[str]) -> None:
        self.ops.append((DELETE_NODES, list(ids)))

    def delete_relationships(self, ids: Iterable[str]) -> None:
        self.ops.append((DELETE_RELATIONSHIPS, list(ids)))

    def node_ids(self) -> set[str]:
        """Every node id the unit of work may read: written, deleted, or an endpoint."""
        ids: set[str] = set()
        for op, items in self.ops:
            if op == UPSERT_NODES:
                ids.update(n.id for n in items)
            elif op == UPSERT_RELATIONSHIPS:
                for r in items:
                    ids.update((r.source, r.target))
            elif op == DELETE_NODES:
                ids.update(items)
        return ids

    def relationship_ids(self) -> set[str]:
        ids: set[str] = set()
        for op, items in self.ops:
            if op == UPSERT_RELATIONSHIPS:
                ids.update(r.id for r in items)
            elif op == DELETE_RELATIONSHIPS:
                ids.update(items)
        return ids

    def deleted_node_ids(self) -> set[str]:
        return {nid for op, items in self.ops if op == DELETE_NODES for nid in items}


@dataclass
class Staged:
    """Final state of every touched record (``None``: deleted or absent) and what changed."""

    nodes: dict[str, Node | None] = field(default_factory=dict)
    relationships: dict[str, Relationship | None] = field(default_factory=dict)
    summary: WriteSummary = field(default_factory=WriteSummary)


def stage(
    ops: Sequence[tuple[str, list[Any]]],
    stored_node: Callable[[str], Node | None],
    stored_relationship: Callable[[str], Relationship | None],
    stored_touching: Callable[[str], Iterable[str]],
) -> Staged:
    """Replay ``ops`` over the stored state; raise :class:`IntegrityError` on a violation.

    ``stored_node`` / ``stored_relationship`` give the committed record or None;
    ``stored_touching(node_id)`` gives the ids of committed relationships at that node.
    """
    staged = Staged()
    nodes, rels, s = staged.nodes, staged.relationships, staged.summary

    def current_node(nid: str) -> Node | None:
        return nodes[nid] if nid in nodes else stored_node(nid)

    def current_rel(rid: str) -> Relationship | None:
        return rels[rid] if rid in rels else stored_relationship(rid)

    for op, items in ops:
        if op == UPSERT_NODES:
            created = 0
            for node in items:
                check_node(node)
                nid = node.id
                old = nodes[nid] if nid in nodes else stored_node(nid)
                if old is None:  # new: nothing to merge with or compare to
                    created += 1
                    nodes[nid] = Node(nid, node.kind, given_props(node.props))
                    continue
                if old.kind != node.kind:
                    raise IntegrityError(f"{nid} is a {old.kind}, not a {node.kind}")
                merged = merge_props(old.props, node.props)
                if merged == old.props:
                    s.nodes_unchanged += 1
                else:
                    s.nodes_updated += 1
                nodes[nid] = Node(nid, node.kind, merged)
            s.nodes_created += created
        elif op == UPSERT_RELATIONSHIPS:
            created = 0
            for rel in items:
                end = rel.source
                src = nodes[end] if end in nodes else stored_node(end)
                end = rel.target
                tgt = nodes[end] if end in nodes else stored_node(end)
                if src is None or tgt is None:
                    missing = rel.source if src is None else rel.target
                    raise IntegrityError(f"{rel.type} {rel.id}: no node {missing}")
                check_relationship(rel, src.kind, tgt.kind)
                rid = rel.id
                old_rel = rels[rid] if rid in rels else stored_relationship(rid)
                if old_rel is None:
                    created += 1
                    merged = given_props(rel.props)
                else:
                    merged = merge_props(old_rel.props, rel.props)
                    if merged == old_rel.props:
                        s.relationships_unchanged += 1
                    else:
                        s.relationships_updated += 1
                rels[rid] = Relationship(rel.type, rel.source, rel.target, merged, rid)
            s.relationships_created += created
        elif op == DELETE_NODES:
            for nid in items:
                if current_node(nid) is None:
                    continue
                nodes[nid] = None
                s.nodes_deleted += 1
                touching = set(stored_touching(nid))
                touching |= {rid for rid, r in rels.items() if r and nid in (r.source, r.target)}
                for rid in sorted(touching):
                    if current_rel(rid) is not None:
                        rels[rid] = None
                        s.relationships_deleted += 1
        elif op == DELETE_RELATIONSHIPS:
            for rid in items:
                if current_rel(rid) is not None:
                    rels[rid] = None
                    s.relationships_deleted += 1
        else:  # pragma: no cover - WriteBuffer only records the four operations
            raise ValueError(f"unknown write operation {op!r}")
    return staged


def given_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """A new record's own copy of its properties: merge_props with nothing to merge into."""
    if None in props.values():
        return {k: v for k, v in props.items() if v is not None}
    return dict(props)


def _plain(value: Any) -> Any:
    """Tuples become lists, as they come back from JSON or a database, so equality is fair."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _has_sequences(props: Mapping[str, Any]) -> bool:
    """Whether any value holds a tuple (a list of plain values is already as stored)."""
    for v in props.values():
        if v is None or v.__class__ is str:  # nearly every value, skipped at once
            continue
        if isinstance(v, tuple) or (
            isinstance(v, list) and any(isinstance(x, (list, tuple)) for x in v)
        ):
            return True
    return False


def _plain_node(node: Node) -> Node:
    if not _has_sequences(node.props):  # the common case in bulk loads: nothing to convert
        return node
    return Node(node.id, node.kind, {k: _plain(v) for k, v in node.props.items()})


def _plain_rel(rel: Relationship) -> Relationship:
    if not _has_sequences(rel.props):
        return rel
    props = {k: _plain(v) for k, v in rel.props.items()}
    return Relationship(rel.type, rel.source, rel.target, props, rel.id)
