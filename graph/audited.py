"""A store seen through the audit trail: every committed unit of work becomes one entry with
who made it, what it changed, and each changed record's properties before and after.

Why a wrapper and not a hook inside each store: the trail is the same for the embedded store
and Neo4j, and it records the caller's identity, which only the API and the CLI know. Loaders
and mutations receive this wrapper in place of the store and need no change of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from graph.audit import MAX_DETAIL, AuditTrail
from graph.contract import GraphStore, UnitOfWork, Writes
from graph.model import Node, Relationship, WriteSummary
from graph.scope import Written, check_scope


class _Recording(UnitOfWork):
    """Passes writes on, noting what they write (for the trail, and for a scope check)."""

    def __init__(self, inner: UnitOfWork) -> None:
        self.inner = inner
        self.written = Written()

    @property
    def node_ids(self) -> set[str]:
        return self.written.nodes.keys() | self.written.deleted_nodes

    @property
    def rel_ids(self) -> set[str]:
        return self.written.relationships.keys() | self.written.deleted_relationships

    def upsert_nodes(self, nodes: Iterable[Node]) -> None:
        nodes = list(nodes)
        self.written.nodes.update((n.id, n) for n in nodes)
        self.inner.upsert_nodes(nodes)

    def upsert_relationships(self, relationships: Iterable[Relationship]) -> None:
        rels = list(relationships)
        self.written.relationships.update((r.id, r) for r in rels)
        self.inner.upsert_relationships(rels)

    def delete_nodes(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self.written.deleted_nodes.update(ids)
        self.inner.delete_nodes(ids)

    def delete_relationships(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self.written.deleted_relationships.update(ids)
        self.inner.delete_relationships(ids)


class AuditedStore(Writes):
    """``store`` for one caller and action; reads pass straight through. With a ``scope`` (a
    scoped admin's subdistrict or community), a unit of work that reaches outside it is refused
    before it commits (:mod:`graph.scope`)."""

    def __init__(
        self,
        store: GraphStore,
        trail: AuditTrail,
        who: str,
        role: str | None,
        action: str,
        target: str | None = None,
        scope: str | None = None,
    ) -> None:
        self._store = store
        self.scope = scope
        self.trail = trail
        self.who, self.role, self.action, self.target = who, role, action, target

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    @property
    def last_summary(self) -> WriteSummary:
        return self._store.last_summary

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        store = self._store
        with store.transaction() as tx:
            recording = _Recording(tx)
            yield recording
            if self.scope is not None:  # raising here rolls the unit back: nothing is written
                check_scope(store, self.scope, self.who, recording.written)
            before_nodes = store.get_nodes(recording.node_ids)
            before_rels = store.get_relationships(recording.rel_ids)
        summary = store.last_summary
        if not summary.changed:
            return
        after_nodes = store.get_nodes(recording.node_ids)
        after_rels = store.get_relationships(recording.rel_ids)
        changes: list[dict[str, Any]] = []
        changed = 0
        for ids, before, after in (
            (recording.node_ids, before_nodes, after_nodes),
            (recording.rel_ids, before_rels, after_rels),
        ):
            for rid in sorted(ids):
                old, new = before.get(rid), after.get(rid)
                old_props = dict(old.props) if old is not None else None
                new_props = dict(new.props) if new is not None else None
                if old_props == new_props:
                    continue
                changed += 1
                if len(changes) < MAX_DETAIL:
                    changes.append({"id": rid, "before": old_props, "after": new_props})
        self.trail.append(
            self.who, self.role, self.action, target=self.target,
            summary=_counts(summary), changes=changes,
            truncated=(changed - len(changes)) or None,
        )  # fmt: skip


def _counts(summary: WriteSummary) -> dict[str, int]:
    return {k: v for k, v in vars(summary).items() if isinstance(v, int) and v}
