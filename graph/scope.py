"""What an admin with a scope (a subdistrict or a community) may change: only what lies within it.

Why a check on the unit of work and not on each mutation's arguments: loads, the small
mutations and corrections all write through one unit of work, so one rule covers them all, and
it judges what is actually written, not what a request says it is about.

The rule, on the graph as the unit of work would leave it:

- A *place* (a grid: district … building) lies within the scope when it is the scope or lies
  inside it (``PART_OF``, at any depth, counting the ``PART_OF`` links written in the same unit).
- Any other record *belongs* to the places it is linked to directly (an agreement to its
  parties, a post to its grid, a firm to the compounds it manages); a record linked to no place
  belongs to the places its neighbours belong to (a person through their posts, a partner unit
  through its agreements).
- Every place the unit creates, changes or removes must lie within the scope; every link it
  writes or removes must have an end that lies within the scope or belongs only to places within
  it; every existing record it changes or removes must belong to places within it and to no
  other. New records that belong to no place yet (a partner unit loaded from a units sheet) may
  be created; the import log's own record is the log, not the data.

A unit that breaks the rule raises :class:`OutOfScope` before anything is written, naming the
first record outside the scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.contract import GraphStore
from graph.errors import GridGraphError
from graph.model import Direction, Node, Relationship
from schema import ONTOLOGY

#: Records every load writes for itself (the import log), never judged against a scope.
_LOG_KINDS = frozenset({"ImportRun"})


class OutOfScope(GridGraphError):
    """A change by a scoped admin reaches outside the scope."""


@dataclass
class Written:
    """What one unit of work writes: upserted records by id, and the ids it removes."""

    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    deleted_nodes: set[str] = field(default_factory=set)
    deleted_relationships: set[str] = field(default_factory=set)


def _kind(node_id: str) -> str:
    return ONTOLOGY.kind_of_id(node_id).name


def _is_place(node_id: str) -> bool:
    return ONTOLOGY.kind_of_id(node_id).grid_level is not None


class ScopeCheck:
    """The places within ``scope`` and what the records of one unit of work belong to."""

    def __init__(self, store: GraphStore, scope: str, written: Written) -> None:
        self.store, self.scope, self.written = store, scope, written
        self.removed = written.deleted_relationships
        self.within = self._places_within()

    def _places_within(self) -> set[str]:
        """The scope and every place inside it, new ``PART_OF`` links included."""
        inside = {self.scope}
        frontier = [self.scope]
        new_children: dict[str, list[str]] = {}
        for rel in self.written.relationships.values():
            if rel.type == "PART_OF":
                new_children.setdefault(rel.target, []).append(rel.source)
        while frontier:
            hops = self.store.neighbours(frontier, "PART_OF", Direction.IN)
            nxt = []
            for parent in frontier:
                children = [h.node.id for h in hops.get(parent, [])
                            if h.relationship.id not in self.removed]  # fmt: skip
                for child in children + new_children.get(parent, []):
                    if child not in inside:
                        inside.add(child)
                        nxt.append(child)
            frontier = nxt
        return inside

    def _linked(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """Each id's neighbours after the unit: the store's, less removed links, plus new ones."""
        ids = list(ids)
        hops = self.store.neighbours(ids, None, Direction.BOTH)
        linked = {
            i: {h.node.id for h in hops.get(i, []) if h.relationship.id not in self.removed}
            for i in ids
        }
        for rel in self.written.relationships.values():
            if rel.source in linked:
                linked[rel.source].add(rel.target)
            if rel.target in linked:
                linked[rel.target].add(rel.source)
        return linked

    def places_of(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """The places each record belongs to (a place belongs to itself)."""
        ids = set(ids)
        result = {i: {i} for i in ids if _is_place(i)}
        others = ids - result.keys()
        if not others:
            return result
        direct = self._linked(others)
        second: set[str] = set()
        for i in others:
            result[i] = {n for n in direct[i] if _is_place(n)}
            if not result[i]:
                second.update(direct[i])
        if second:
            through = self._linked(second)
            for i in others:
                if not result[i]:
                    result[i] = {p for n in direct[i] for p in through.get(n, ()) if _is_place(p)}
        return result

    def first_outside(self) -> str | None:
        """A description of the first record the unit may not touch, or None."""
        w = self.written
        existing = set(self.store.get_nodes(w.nodes.keys()))
        changed = sorted(
            (existing | w.deleted_nodes) - {i for i in existing if _kind(i) in _LOG_KINDS}
        )
        created_places = sorted(i for i in w.nodes.keys() - existing if _is_place(i))
        old_rels = self.store.get_relationships(w.deleted_relationships)
        rels = sorted([*w.relationships.values(), *old_rels.values()], key=lambda r: r.id)
        ends = {e for r in rels for e in (r.source, r.target)}
        places = self.places_of(set(changed) | set(created_places) | ends)
        for node_id in created_places:
            if node_id not in self.within:
                return f"the new place {node_id} (outside)"
        for node_id in changed:
            where = places[node_id]
            if not where or not where <= self.within:
                return f"{node_id} (belongs to {_list(where - self.within) or 'no place'})"
        for rel in rels:
            if not any(places[e] and places[e] <= self.within for e in (rel.source, rel.target)):
                return f"the link {rel.id} ({rel.source} → {rel.target})"
        return None


def _list(ids: set[str]) -> str:
    shown = sorted(ids)[:3]
    return ", ".join(shown) + (" …" if len(ids) > 3 else "")


def check_scope(store: GraphStore, scope: str, who: str, written: Written) -> None:
    """Raise :class:`OutOfScope` if ``written`` reaches outside ``scope``."""
    if not store.get_nodes([scope]):
        raise OutOfScope(
            f"{who} is an admin for {scope}, which is not a place in this graph: nothing may be "
            f"changed (管理范围 {scope} 不存在)"
        )
    outside = ScopeCheck(store, scope, written).first_outside()
    if outside is not None:
        raise OutOfScope(
            f"{who} is an admin for {scope} only; this change reaches outside it: {outside}. "
            f"Nothing was written (超出管理范围，未写入任何数据)"
        )
