"""Which grids and event types a set of changed records can change the gap rows of, so that a
kept report is brought to another day or another version of the data by recomputing only them.

A grid's rows read (:mod:`graph.queries.grid_links`, :func:`~graph.queries.gaps.find_gaps`):
the grid itself; the posts, party organisations, groups, departments and managers linked into
it, with the posts of those organisations and the holders of every such post; its ``PART_OF``
out (the parent gap); the grids up to its community (the community named in its rows); and for
a subdistrict, whether a community is part of it (outside the grid system otherwise). An event
type's rows read the event type and its ``HANDLED_BY`` links. So a changed record touches:

- a link: its ends as :func:`touched_by_links` says, for each version of it (between two
  days of one version, only if :func:`effective` keeps it: its presence changes);
- a grid: itself, the grids part of it (their parent gap, their community) and, for a
  community, the buildings of its compounds and the subdistricts it is part of;
- an event type: itself;
- any other node (a post, a unit, a person): the grids it reaches along the links above.

Reaches are read from the store as it is now, over links of every date: a superset is safe,
and a path that a write broke leaves its last changed record, which touches what lies beyond.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from graph.contract import GraphStore
from graph.model import Direction, Node, Relationship, holds_on
from graph.queries.grid_links.query import INCOMING_TYPES
from schema import ONTOLOGY
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER

#: Grid kind -> level.
GRID_KINDS: dict[str, GridLevel] = {ONTOLOGY.grid_kind(lv).name: lv for lv in CHAIN_ORDER}
EVENT_KIND = "EventType"
#: Links out of a person, post or unit towards the grids whose rows read it (a person HOLDS a
#: post, which is POST_IN a grid or in an organisation that COVERS or is PAIRED_WITH a grid).
_TOWARDS_GRIDS = ("POST_IN", "COVERS", "MANAGES", "PAIRED_WITH", "HOLDS")
_STEPS_TO_A_GRID = 3  # person -> post -> organisation -> grid
_COMPOUND = ONTOLOGY.grid_kind(GridLevel.COMPOUND).name
_BUILDING = ONTOLOGY.grid_kind(GridLevel.BUILDING).name


@dataclass
class Touched:
    """The grids and event types whose rows are to be recomputed (some may no longer exist)."""

    grids: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.grids) + len(self.events)

    @property
    def ids(self) -> set[str]:
        return self.grids | self.events


def touched_by_links(
    store: GraphStore, rels: Iterable[Relationship], kinds: Mapping[str, str] | None = None
) -> Touched:
    """What the links ``rels`` (each version of each changed link, or the links that begin or
    end between two days) touch. ``kinds`` names the kinds of ends the store may no longer
    hold (deleted nodes, as they were)."""
    rels = list(rels)
    touched = Touched()
    known = dict(kinds or {})
    ends = {r.target for r in rels if r.type in INCOMING_TYPES} - known.keys()
    known |= {nid: n.kind for nid, n in store.get_nodes(sorted(ends)).items()}
    units: set[str] = set()  # not grids: the grids they reach are touched
    parts: set[str] = set()  # the sources of PART_OF links
    for rel in rels:
        if rel.type == "PART_OF":
            touched.grids |= {rel.source, rel.target}
            parts.add(rel.source)
        elif rel.type in INCOMING_TYPES:
            (touched.grids if known.get(rel.target) in GRID_KINDS else units).add(rel.target)
        elif rel.type == "HOLDS":
            units.add(rel.target)
        elif rel.type == "HANDLED_BY":
            touched.events.add(rel.source)
    touched.grids |= reach_grids(store, units)
    touched.grids |= _moved(store, parts)
    return touched


#: Link types a report reads only as "some node of this kind at the source": whether a
#: person holds a post, whether a firm or the owners manage a compound (no row names who).
_ANY_SOURCE = frozenset(("HOLDS", "MANAGES"))

Presence = tuple[str, str, str]
"""What a report reads of a link: its type, its target, and its source (the source's kind
for :data:`_ANY_SOURCE`); a report is the same on two days with the same presences."""


def effective(
    store: GraphStore, rels: Iterable[Relationship], before: date, after: date
) -> list[Relationship]:
    """The links among ``rels`` (those beginning or ending between ``before`` and ``after``)
    whose change a report can see, for :func:`touched_by_links`: a report reads a link only
    through its :data:`Presence` (its gaps depend on whether something is linked, never on a
    link's dates or id), so a post whose holder changes on a day, or a compound whose contract
    is renewed, touches nothing. A presence the changed links give on one day only may still
    hold on the other by links that did not change: that day is asked of the store."""
    rels = list(rels)
    sources = store.get_nodes(sorted({r.source for r in rels if r.type in _ANY_SOURCE}))
    keys: list[Presence] = []
    groups: dict[Presence, list[Relationship]] = {}
    for rel in rels:
        if rel.type in _ANY_SOURCE:
            node = sources.get(rel.source)
            key = (rel.type, rel.target, node.kind if node is not None else "")
        else:
            key = (rel.type, rel.target, rel.source)
        keys.append(key)
        groups.setdefault(key, []).append(rel)
    # where the changed links give a presence on one day only, the other day is asked
    b, a = before.isoformat(), after.isoformat()
    lacking: dict[date, list[Presence]] = {before: [], after: []}
    for key, group in groups.items():
        on_b = any(holds_on(r.props, b) for r in group)
        if on_b != any(holds_on(r.props, a) for r in group):
            lacking[after if on_b else before].append(key)
    seen = {key for day, asked in lacking.items() for key in _absent(store, asked, day)}
    return [rel for rel, key in zip(rels, keys, strict=True) if key in seen]


def _absent(store: GraphStore, keys: Collection[Presence], day: date) -> set[Presence]:
    """The ``keys`` that no link in force on ``day`` gives: a target asked whether it has a
    link of a type from a kind (:meth:`~graph.contract.GraphStore.linked`), a link from one
    node to another looked for among the source's links (few; the target may have thousands)."""
    if not keys:
        return set()
    found: set[Presence] = set()
    by_kind: dict[tuple[str, str], list[str]] = {}
    exact: set[str] = set()
    for type_, target, source in keys:
        if type_ in _ANY_SOURCE:
            by_kind.setdefault((type_, source), []).append(target)
        else:
            exact.add(source)
    for (type_, kind), targets in by_kind.items():
        linked = store.linked(sorted(targets), type_, Direction.IN, day, kind)
        found |= {(type_, target, kind) for target in linked}
    if exact:
        types = sorted({key[0] for key in keys if key[0] not in _ANY_SOURCE})
        hops = store.neighbours(sorted(exact), types, Direction.OUT, day)
        found |= {(h.relationship.type, h.node.id, s) for s, hs in hops.items() for h in hs}
    return set(keys) - found


def touched_by_nodes(
    store: GraphStore, nodes: Mapping[str, tuple[Node | None, Node | None]]
) -> Touched:
    """What the nodes changed touch (``nodes``: id -> (as it was, as it is), None where
    absent)."""
    touched = Touched()
    others: set[str] = set()
    for nid, (before, after) in nodes.items():
        if before == after:
            continue
        kinds = {n.kind for n in (before, after) if n is not None}
        if kinds & GRID_KINDS.keys():
            touched.grids.add(nid)
        if EVENT_KIND in kinds:
            touched.events.add(nid)
        if kinds - GRID_KINDS.keys() - {EVENT_KIND}:
            others.add(nid)
    grids = sorted(touched.grids)
    touched.grids |= reach_grids(store, others)
    if grids:
        below = store.neighbours(grids, "PART_OF", Direction.IN)
        children = {h.node.id for hs in below.values() for h in hs}
        up = store.neighbours(grids, "PART_OF", Direction.OUT)
        touched.grids |= children | _buildings_of(store, children)
        touched.grids |= {h.node.id for hs in up.values() for h in hs}
    return touched


def reach_grids(store: GraphStore, starts: Collection[str]) -> set[str]:
    """The grids reached from ``starts`` (persons, posts, units) along the links a grid's rows
    read, on any day."""
    found: set[str] = set()
    seen = set(starts)
    frontier = sorted(starts)
    for _ in range(_STEPS_TO_A_GRID):
        if not frontier:
            break
        step: set[str] = set()
        for hops in store.neighbours(frontier, _TOWARDS_GRIDS, Direction.OUT).values():
            for hop in hops:
                if hop.node.kind in GRID_KINDS:
                    found.add(hop.node.id)
                elif hop.node.id not in seen:
                    step.add(hop.node.id)
        seen |= step
        frontier = sorted(step)
    return found


def _moved(store: GraphStore, sources: Collection[str]) -> set[str]:
    """The grids whose rows a ``PART_OF`` link out of ``sources`` changing may change beyond
    the link's ends: what ``sources`` are part of now (of a community's subdistricts, the one
    it comes to first keeps it inside the grid system), and the buildings of the compounds
    among them (their community is found through them)."""
    if not sources:
        return set()
    up = store.neighbours(sorted(sources), "PART_OF", Direction.OUT)
    return {h.node.id for hs in up.values() for h in hs} | _buildings_of(store, sources)


def _buildings_of(store: GraphStore, ids: Collection[str]) -> set[str]:
    """The buildings part of the compounds among ``ids``, on any day."""
    if not ids:
        return set()
    nodes = store.get_nodes(sorted(ids))
    compounds = sorted(nid for nid, n in nodes.items() if n.kind == _COMPOUND)
    if not compounds:
        return set()
    below = store.neighbours(compounds, "PART_OF", Direction.IN, None, _BUILDING)
    return {h.node.id for hs in below.values() for h in hs}
