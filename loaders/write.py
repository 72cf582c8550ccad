"""Writing a checked plan: one unit of work per file, idempotent, with provenance.

Idempotence: a record whose data the store already holds is not sent at all, so it keeps the
provenance of the load that first wrote it; a record that is new or changed is sent with this
load's provenance (file, sheet, row, time, user).
Loading the same file twice therefore leaves every record as it was and the store reports
``unchanged`` for all of them. Empty cells never erase a value already in the store; a cell
saying ``<清空>`` does. Links a corrected file no longer gives are removed
(:meth:`loaders.validate.Checker._find_replaced`), each listed with its values before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from graph.contract import GraphStore, merge_props
from graph.model import Node, Relationship
from loaders.report import Changes, FieldChange, RecordChange
from loaders.validate import Plan

_PROVENANCE = frozenset({"source_file", "source_sheet", "source_row", "loaded_at", "loaded_by"})
MAX_LISTED = 20_000  # records listed one by one in a report; the counts are always complete


def final_records(
    plan: Plan, file: str, loaded_at: str, loaded_by: str, every_record: bool = False
) -> tuple[list[Node], list[Relationship], Changes, list[RecordChange]]:
    """The records to upsert, merged across the kept rows, the changes they will make, and
    the records one by one: updated and removed ones always, all of them if ``every_record``.

    Records the store already holds as given are counted as unchanged and not sent at all:
    a second load of the same file rewrites nothing.
    """
    # the rows' own records are reused, not copied: a record written by one row only (the
    # common case) is taken as it is; one written by several rows is merged into a new record
    nodes: dict[str, tuple[Node, dict[str, Any]]] = {}
    rels: dict[str, tuple[Relationship, dict[str, Any]]] = {}
    for row in plan.rows:
        if not row.kept:
            continue
        provenance = {"source_file": file, "source_row": row.number, "loaded_at": loaded_at,
                      "loaded_by": loaded_by}  # fmt: skip
        if row.sheet:
            provenance["source_sheet"] = row.sheet
        for n in row.nodes:
            seen = nodes.get(n.id)
            if seen is None:
                nodes[n.id] = (n, provenance)
            else:
                nodes[n.id] = (Node(n.id, n.kind, {**seen[0].props, **n.props}), seen[1])
        for r in row.rels:
            seen_rel = rels.get(r.id)
            if seen_rel is None:
                rels[r.id] = (r, provenance)
            else:
                merged = {**seen_rel[0].props, **r.props}
                rels[r.id] = (Relationship(r.type, r.source, r.target, merged, r.id), seen_rel[1])
    counts: Counter[str] = Counter()
    listed: list[RecordChange] = []
    out_nodes = _to_send(nodes, plan.existing_nodes, counts, "nodes_", listed, every_record)
    out_rels = _to_send(rels, plan.existing_rels, counts, "relationships_", listed, every_record)
    stale = [r for rid, r in plan.stale_rels.items() if rid not in rels]
    counts["relationships_removed"] = len(stale)
    for r in stale:
        listed.append(RecordChange(id=r.id, kind=r.type, action="removed", changes=[
            FieldChange(field=k, old=v) for k, v in sorted(r.props.items())]))  # fmt: skip
    return out_nodes, out_rels, Changes(**counts), listed


def _to_send(
    records: dict[str, tuple[Any, dict[str, Any]]],
    existing: Mapping[str, Any],
    counts: Counter[str],
    prefix: str,
    listed: list[RecordChange],
    every_record: bool,
) -> list[Any]:
    """The new and changed records, stamped with their provenance; counts every state."""
    out = []
    created = unchanged = 0
    for rid, (record, provenance) in records.items():
        old = existing.get(rid)
        if old is None:
            created += 1
            if every_record and len(listed) < MAX_LISTED:
                listed.append(RecordChange(id=rid, kind=_kind(record), action="created",
                    changes=[FieldChange(field=k, new=v) for k, v in record.props.items()
                             if v is not None]))  # fmt: skip
        else:
            if _changes_nothing(old.props, record.props):
                unchanged += 1
                if every_record and len(listed) < MAX_LISTED:
                    listed.append(RecordChange(id=rid, kind=_kind(record), action="unchanged"))
                continue
            merged = merge_props(old.props, record.props)
            kind = _kind(record)
            counts[prefix + "updated"] += 1
            if len(listed) < MAX_LISTED:
                listed.append(RecordChange(id=rid, kind=kind, action="updated", changes=[
                    FieldChange(field=k, old=old.props.get(k), new=merged.get(k))
                    for k in sorted(old.props.keys() | merged.keys())
                    if k not in _PROVENANCE and old.props.get(k) != merged.get(k)
                ]))  # fmt: skip
        record.props.update(provenance)  # our own dict: the row's, or a merge of rows'
        out.append(record)
    if created:
        counts[prefix + "created"] += created
    if unchanged:
        counts[prefix + "unchanged"] += unchanged
    return out


def _kind(record: Node | Relationship) -> str:
    return record.kind if isinstance(record, Node) else record.type


def _changes_nothing(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """``merge_props(old, new) == old``, without building the merge: a reload of an unchanged
    file asks this of every one of its records."""
    for k, v in new.items():
        if v is None:
            if k in old:
                return False
        elif k not in old:
            return False
        else:
            was = old[k]
            if was is not v and was != v:  # as dict equality compares: identity first
                return False
    return True


def commit(
    store: GraphStore,
    nodes: list[Node],
    rels: list[Relationship],
    stale: list[str],
    import_run: Node,
    planned: Changes,
) -> Changes:
    """Everything in ONE unit of work: all of it lands, or (error, crash, kill) none of it.

    The counts are the store's own :class:`WriteSummary`, plus the records the check found
    unchanged and did not send (``planned``).
    """
    with store.transaction() as tx:
        if stale:
            tx.delete_relationships(stale)
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
        tx.upsert_nodes([import_run])
    s = store.last_summary
    return Changes(
        nodes_created=s.nodes_created - 1,  # the ImportRun is the log, not the data
        nodes_updated=s.nodes_updated,
        nodes_unchanged=s.nodes_unchanged + planned.nodes_unchanged,
        relationships_created=s.relationships_created,
        relationships_updated=s.relationships_updated,
        relationships_unchanged=s.relationships_unchanged + planned.relationships_unchanged,
        relationships_removed=s.relationships_deleted,
    )
