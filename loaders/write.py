"""Writing a checked plan: one unit of work per file, idempotent, with provenance.

Idempotence: a record whose data the store already holds is sent without provenance, so the
store finds it unchanged and keeps the provenance of the load that first wrote it; a record
that is new or changed is sent with this load's provenance (file, sheet, row, time, user).
Loading the same file twice therefore leaves every record as it was and the store reports
``unchanged`` for all of them. Empty cells never erase a value already in the store.
"""

from __future__ import annotations

from typing import Any

from graph.contract import GraphStore, merge_props
from graph.model import Node, Relationship
from loaders.report import Changes
from loaders.validate import Plan


def final_records(
    plan: Plan, file: str, loaded_at: str, loaded_by: str
) -> tuple[list[Node], list[Relationship], Changes]:
    """The records to upsert, merged across the kept rows, and the changes they will make."""
    nodes: dict[str, tuple[Node, dict[str, Any]]] = {}
    rels: dict[str, tuple[Relationship, dict[str, Any]]] = {}
    for row in plan.rows:
        if not row.kept:
            continue
        provenance = {
            "source_file": file,
            "source_sheet": row.sheet or None,
            "source_row": row.number,
            "loaded_at": loaded_at,
            "loaded_by": loaded_by,
        }
        for n in row.nodes:
            if n.id in nodes:
                nodes[n.id][0].props.update(n.props)  # type: ignore[attr-defined]
            else:
                nodes[n.id] = (Node(n.id, n.kind, dict(n.props)), provenance)
        for r in row.rels:
            if r.id in rels:
                rels[r.id][0].props.update(r.props)  # type: ignore[attr-defined]
            else:
                rels[r.id] = (Relationship(r.type, r.source, r.target, dict(r.props), r.id),
                              provenance)  # fmt: skip
    changes = Changes()
    out_nodes = []
    for node, prov in nodes.values():
        old = plan.existing_nodes.get(node.id)
        state = _state(old.props if old else None, node.props)
        setattr(changes, f"nodes_{state}", getattr(changes, f"nodes_{state}") + 1)
        props = node.props if state == "unchanged" else {**node.props, **_present(prov)}
        out_nodes.append(Node(node.id, node.kind, props))
    out_rels = []
    for rel, prov in rels.values():
        old_rel = plan.existing_rels.get(rel.id)
        state = _state(old_rel.props if old_rel else None, rel.props)
        key = f"relationships_{state}"
        setattr(changes, key, getattr(changes, key) + 1)
        props = rel.props if state == "unchanged" else {**rel.props, **_present(prov)}
        out_rels.append(Relationship(rel.type, rel.source, rel.target, props, rel.id))
    return out_nodes, out_rels, changes


def _state(old: dict[str, Any] | Any, new: dict[str, Any]) -> str:
    if old is None:
        return "created"
    return "unchanged" if merge_props(old, new) == old else "updated"


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def commit(
    store: GraphStore, nodes: list[Node], rels: list[Relationship], import_run: Node
) -> Changes:
    """Everything in ONE unit of work: all of it lands, or (error, crash, kill) none of it."""
    with store.transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
        tx.upsert_nodes([import_run])
    s = store.last_summary
    return Changes(
        nodes_created=s.nodes_created - 1,  # the ImportRun is the log, not the data
        nodes_updated=s.nodes_updated,
        nodes_unchanged=s.nodes_unchanged,
        relationships_created=s.relationships_created,
        relationships_updated=s.relationships_updated,
        relationships_unchanged=s.relationships_unchanged,
    )
