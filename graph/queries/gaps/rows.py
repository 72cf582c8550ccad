"""A gap report as kept (:class:`KeptRows`): its rows by group and node, so that the rows of a
few grids are replaced in place (:func:`recompute`) when a new day or a write touches them."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from graph.contract import GraphStore
from graph.model import Direction, Hop, Node
from graph.queries.chain.query import event_facts
from graph.queries.gaps.answer import GapReport, GapRow
from graph.queries.gaps.touch import EVENT_KIND, GRID_KINDS, Touched
from graph.queries.grid_links.query import (
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
    """A report as kept: per ``(level, kind)`` group its rows and their node ids, by node id
    (the report's order within a group), so the rows of a few grids are replaced in place;
    with the subdistricts left out of it (outside the grid system on its day)."""

    as_of: date
    groups: dict[tuple[str, str], tuple[list[str], list[GapRow]]]
    checked: dict[str, int]
    outside: frozenset[str]

    @classmethod
    def of(cls, report: GapReport, outside: frozenset[str]) -> KeptRows:
        groups: dict[tuple[str, str], tuple[list[str], list[GapRow]]] = {}
        for r in report.rows:
            ids, rows = groups.setdefault((r.gap.level, r.gap.what.value), ([], []))
            ids.append(r.node.id)
            rows.append(r)
        return cls(report.as_of, groups, report.checked, outside)

    def report(self) -> GapReport:
        """The report; its rows may name other days of the same links (see :meth:`GapReport.on`)."""
        order = sorted(
            (k for k, (ids, _) in self.groups.items() if ids), key=lambda k: group_order(*k)
        )
        rows = tuple(itertools.chain.from_iterable(self.groups[k][1] for k in order))
        tally = {k: len(self.groups[k][0]) for k in order}
        return GapReport(self.as_of, rows, dict(self.checked), tally)

    def totals(self) -> dict[str, int]:
        """The grids of each level and the event types, whether checked or outside."""
        totals = dict(self.checked)
        totals[GridLevel.SUBDISTRICT.value] += len(self.outside)
        return totals

    def replaced(
        self,
        day: date,
        nodes: Collection[str],
        fresh: list[GapRow],
        checked: dict[str, int],
        outside: frozenset[str],
    ) -> KeptRows:
        """A copy on ``day`` with every row of ``nodes`` replaced by ``fresh``; groups left
        alone are shared, not copied."""
        groups = dict(self.groups)
        for key, (ids, rows) in self.groups.items():
            if len(nodes) * 8 > len(ids):  # many: one pass over the group
                keep = [i for i, nid in enumerate(ids) if nid not in nodes]
                if len(keep) < len(ids):
                    groups[key] = ([ids[i] for i in keep], [rows[i] for i in keep])
                continue
            drop = sorted(i for nid in nodes if (i := _index(ids, nid)) is not None)
            if drop:  # few: found by bisection, deleted from a copy
                ids, rows = list(ids), list(rows)
                for i in reversed(drop):
                    del ids[i], rows[i]
                groups[key] = (ids, rows)
        for row in fresh:
            key = (row.gap.level, row.gap.what.value)
            ids, rows = groups.get(key, ([], []))
            if key not in groups or groups[key] is self.groups.get(key):
                ids, rows = list(ids), list(rows)
                groups[key] = (ids, rows)
            at = bisect.bisect_left(ids, row.node.id)
            ids.insert(at, row.node.id)
            rows.insert(at, row)
        return KeptRows(day, groups, checked, outside)


def _index(ids: list[str], nid: str) -> int | None:
    at = bisect.bisect_left(ids, nid)
    return at if at < len(ids) and ids[at] == nid else None


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
    if touched.events:
        events = store.get_nodes(sorted(touched.events))
        events = {eid: e for eid, e in events.items() if e.kind == EVENT_KIND}
        handled = store.neighbours(sorted(events), "HANDLED_BY", Direction.OUT, day)
        for event in events.values():
            fresh.extend(GapRow(g, event) for g in event_facts(event, handled[event.id], day).gaps)

    checked = dict(totals if totals is not None else base.totals())
    checked[GridLevel.SUBDISTRICT.value] -= len(outside)
    return base.replaced(day, touched.ids, fresh, checked, outside)


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
