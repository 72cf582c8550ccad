"""A gap report as kept (:class:`KeptRows`): its rows by group and node, so that the rows of a
few grids are replaced in place (:func:`recompute`) when a new day or a write touches them."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from graph.contract import GraphStore
from graph.model import Direction, Hop, Node
from graph.queries.chain.query import event_facts
from graph.queries.gaps.answer import GapReport, GapRow
from graph.queries.gaps.blocks import Chunks, SortedBlocks
from graph.queries.gaps.touch import EVENT_KIND, GRID_KINDS, Touched
from graph.queries.grid_links.query import (
    EVENT_LEVEL,
    assemble_links,
    gather_links,
    group_order,
    parent_gap,
)
from schema import ONTOLOGY
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER

_SUBDISTRICT = ONTOLOGY.grid_kind(GridLevel.SUBDISTRICT).name
_COMMUNITY = ONTOLOGY.grid_kind(GridLevel.COMMUNITY).name


@dataclass
class KeptRows:
    """A report as kept: per ``(level, kind)`` group its rows by node id (the report's order
    within a group) in shared blocks, so the rows of a few grids are replaced in a copy that
    shares the rest; with the subdistricts left out of it (outside the grid system on its
    day)."""

    as_of: date
    groups: dict[tuple[str, str], SortedBlocks[GapRow]]
    checked: dict[str, int]
    outside: frozenset[str]

    @classmethod
    def of(cls, report: GapReport, outside: frozenset[str]) -> KeptRows:
        lists: dict[tuple[str, str], list[GapRow]] = {}
        for r in report.rows:
            lists.setdefault((r.gap.level, r.gap.what.value), []).append(r)
        groups = {k: SortedBlocks.of(rows, _node_id) for k, rows in lists.items()}
        return cls(report.as_of, groups, report.checked, outside)

    def report(self) -> GapReport:
        """The report; its rows may name other days of the same links (see :meth:`GapReport.on`).
        Its rows are the kept blocks themselves, end to end (:class:`Chunks`), not a copy."""
        order = sorted(
            (k for k, rows in self.groups.items() if rows), key=lambda k: group_order(*k)
        )
        rows = Chunks([block for k in order for block in self.groups[k].blocks])
        tally = {k: len(self.groups[k]) for k in order}
        return GapReport(self.as_of, rows, dict(self.checked), tally)

    def totals(self) -> dict[str, int]:
        """The grids of each level and the event types, whether checked or outside."""
        totals = dict(self.checked)
        totals[GridLevel.SUBDISTRICT.value] += len(self.outside)
        return totals

    def replaced(
        self,
        day: date,
        nodes: Mapping[str | None, Collection[str]],
        fresh: list[GapRow],
        checked: dict[str, int],
        outside: frozenset[str],
    ) -> KeptRows:
        """A copy on ``day`` with every row of ``nodes`` replaced by ``fresh``; the blocks left
        alone, and the groups, are shared, not copied. ``nodes`` are by the level their rows
        are at (a row's level is its node's); those under None are looked for at every
        level."""
        added: dict[tuple[str, str], list[GapRow]] = {}
        for row in fresh:
            added.setdefault((row.gap.level, row.gap.what.value), []).append(row)
        anywhere = set(nodes.get(None, ()))
        at_level = {lv: anywhere | set(ids) for lv, ids in nodes.items() if lv is not None}
        groups = dict(self.groups)
        for key in self.groups.keys() | added.keys():
            rows = self.groups.get(key) or _NO_ROWS
            changed = rows.replaced(at_level.get(key[0], anywhere), added.get(key, ()))
            if changed is not rows:
                groups[key] = changed
        return KeptRows(day, groups, checked, outside)


def _node_id(row: GapRow) -> str:
    return row.node.id


_NO_ROWS: SortedBlocks[GapRow] = SortedBlocks((), _node_id)


def recompute(
    store: GraphStore,
    base: KeptRows,
    day: date,
    touched: Touched,
    totals: Mapping[str, int] | None = None,
) -> KeptRows:
    """``base`` brought to ``day`` (and to the store as it is) by recomputing the rows of the
    ``touched`` grids and event types, exactly as :func:`~graph.queries.gaps.find_gaps` would;
    ``totals`` counts the grids of each level and the event types (default: as ``base``)."""
    found = store.get_nodes(sorted(touched.grids))
    grids = [g for g in found.values() if g.kind in GRID_KINDS]
    subdistricts = [g.id for g in grids if g.kind == _SUBDISTRICT]
    outside = (base.outside - touched.grids) | outside_of(store, subdistricts, day)
    grids = [g for g in grids if g.id not in outside]

    fresh: list[GapRow] = []
    children = [g for g in grids if GRID_KINDS[g.kind] is not CHAIN_ORDER[-1]]
    up = store.neighbours([g.id for g in children], "PART_OF", Direction.OUT, day)
    communities = _communities(store, grids, day, up)
    links = assemble_links(grids, gather_links(store, grids, day), day)
    for grid in grids:
        gaps = list(links[grid.id].gaps)
        if grid.id in up and parent_of(grid, up[grid.id]) is None:
            gaps.append(parent_gap(GRID_KINDS[grid.kind], grid, day))
        fresh.extend(GapRow(g, grid, communities.get(grid.id)) for g in gaps)
    events: dict[str, Node] = {}
    if touched.events:
        events = store.get_nodes(sorted(touched.events))
        events = {eid: e for eid, e in events.items() if e.kind == EVENT_KIND}
        handled = store.neighbours(sorted(events), "HANDLED_BY", Direction.OUT, day)
        for event in events.values():
            fresh.extend(GapRow(g, event) for g in event_facts(event, handled[event.id], day).gaps)

    checked = dict(totals if totals is not None else base.totals())
    checked[GridLevel.SUBDISTRICT.value] -= len(outside)
    return base.replaced(day, _by_level(touched, found, events), fresh, checked, outside)


def _by_level(
    touched: Touched, found: Mapping[str, Node], events: Mapping[str, Node]
) -> dict[str | None, set[str]]:
    """The touched ids by the level of their rows (a grid's level, or the event level), so a
    group is searched only for the nodes that can be in it; None: not a grid or event type now
    (deleted: its old rows may be at any level)."""
    levels: dict[str | None, set[str]] = {}
    for nid in touched.grids:
        node = found.get(nid)
        level = (
            GRID_KINDS[node.kind].value if node is not None and node.kind in GRID_KINDS else None
        )
        levels.setdefault(level, set()).add(nid)
    for nid in touched.events:
        levels.setdefault(EVENT_LEVEL if nid in events else None, set()).add(nid)
    return levels


def outside_of(store: GraphStore, subdistricts: Collection[str], day: date) -> frozenset[str]:
    """The ``subdistricts`` outside the grid system on ``day``: no community comes to one of
    them first on its way up (the report's scope, :func:`graph.queries.gaps.query._scope`)."""
    if not subdistricts:
        return frozenset()
    below = store.neighbours(sorted(subdistricts), "PART_OF", Direction.IN, day, _COMMUNITY)
    communities = {h.node.id: h.node for hs in below.values() for h in hs}
    up = store.neighbours(sorted(communities), "PART_OF", Direction.OUT, day)
    inside = {p.id for c in communities.values() if (p := parent_of(c, up[c.id])) is not None}
    return frozenset(subdistricts) - inside


def _communities(
    store: GraphStore, grids: list[Node], day: date, up: Mapping[str, list[Hop]]
) -> dict[str, Node]:
    """The community each grid lies in (itself for a community), following PART_OF up (the
    first step's hops are ``up``)."""
    found: dict[str, Node] = {}
    at = {g.id: g for g in grids}  # grid id -> the node reached so far
    for _ in CHAIN_ORDER:
        for gid, node in list(at.items()):
            if node.kind == _COMMUNITY:
                found[gid] = node
                del at[gid]
        if not at:
            break
        asked = sorted({n.id for n in at.values()} - up.keys())
        if asked:
            up = {**up, **store.neighbours(asked, "PART_OF", Direction.OUT, day)}
        nxt: dict[str, Node] = {}
        for gid, node in at.items():
            parent = parent_of(node, up.get(node.id, []))
            if parent is not None:
                nxt[gid] = parent
        at = nxt
    return found


def parent_of(grid: Node, hops: list[Hop]) -> Node | None:
    """The grid one level up, as the report's scope picks it: the first of the right kind."""
    want = _PARENT_KIND.get(grid.kind)
    if want is None:
        return None
    return next((h.node for h in hops if h.node.kind == want), None)


#: Grid kind -> the kind of the grid one level up (none for the top level).
_PARENT_KIND = {
    ONTOLOGY.grid_kind(lower).name: ONTOLOGY.grid_kind(upper).name
    for lower, upper in itertools.pairwise(CHAIN_ORDER)
}
