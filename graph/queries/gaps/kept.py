"""Gap reports kept across days: which days see the same links (:class:`ChangeDays`), and a
store version's reports kept so that a new day costs a bisection, not a pass over the district
(:class:`KeptGaps`, what the API pages from)."""

from __future__ import annotations

import bisect
import itertools
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from graph.bulk import gc_paused
from graph.contract import GraphStore
from graph.model import Direction, Hop, Node
from graph.queries.chain.query import event_facts
from graph.queries.gaps.answer import GapReport, GapRow
from graph.queries.gaps.query import find_gaps
from graph.queries.grid_links.query import (
    INCOMING_TYPES,
    GapKind,
    assemble_links,
    gather_links,
    group_order,
)
from schema import ONTOLOGY
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER

T = TypeVar("T")


#: Every relationship type the report reads (:func:`gather_gaps`): only their dates matter.
GAP_RELATION_TYPES: frozenset[str] = frozenset(("PART_OF", *INCOMING_TYPES, "HOLDS", "HANDLED_BY"))


@dataclass(frozen=True)
class ChangeDays:
    """The days on which a link the report reads begins or ends, for one version of the data.

    A link is in force on ``d`` when ``valid_from <= d <= valid_to`` (:func:`graph.model.
    holds_on`), so the links in force change only on a ``valid_from`` or on the day after a
    ``valid_to``. Two days with no change day between them see the same links, hence the same
    report but for the day named in its reasons (:meth:`GapReport.on`): a new day is a look-up.
    Between two other days, :meth:`between` names the links whose standing may differ.
    """

    starts: tuple[str, ...]
    """Every ``valid_from`` (ISO day), sorted, with repeats."""
    start_ids: tuple[str, ...]
    """The relationship of each of :attr:`starts`."""
    ends: tuple[str, ...]
    """Every ``valid_to`` (ISO day), sorted, with repeats."""
    end_ids: tuple[str, ...]
    """The relationship of each of :attr:`ends`."""

    def interval(self, day: date) -> tuple[int, int]:
        """Which interval ``day`` lies in: the links begun by it and those ended before it.

        Equal for two days exactly when no link of the report begins or ends between them."""
        iso = day.isoformat()
        return (bisect.bisect_right(self.starts, iso), bisect.bisect_left(self.ends, iso))

    def between(self, a: date, b: date) -> set[str]:
        """The links that begin or end between ``a`` and ``b``: every link in force on one of
        the two days and not on the other is among them."""
        (sa, ea), (sb, eb) = sorted((self.interval(a), self.interval(b)))
        return {*self.start_ids[sa:sb], *self.end_ids[min(ea, eb) : max(ea, eb)]}

    def distance(self, a: date, b: date) -> int:
        """How many link starts and ends lie between ``a`` and ``b``."""
        (sa, ea), (sb, eb) = self.interval(a), self.interval(b)
        return abs(sa - sb) + abs(ea - eb)

    @property
    def days(self) -> tuple[date, ...]:
        """The change days, sorted: each ``valid_from`` and each day after a ``valid_to``."""
        found: set[date] = set()
        for iso, after in [(s, 0) for s in self.starts] + [(e, 1) for e in self.ends]:
            try:  # the shape is checked on write (YYYY-MM-DD), not the calendar: 2024-02-30
                day = date.fromisoformat(iso)
            except ValueError:
                continue
            if day < date.max or not after:
                found.add(day + timedelta(days=after))
        return tuple(sorted(found))


def change_days(store: GraphStore) -> ChangeDays:
    """The :class:`ChangeDays` of the store as it is now, in one pass over its relationships."""
    starts: list[tuple[str, str]] = []
    ends: list[tuple[str, str]] = []
    for rel in store.iter_relationships():
        if rel.type not in GAP_RELATION_TYPES:
            continue
        start, end = rel.props.get("valid_from"), rel.props.get("valid_to")
        if start is not None:
            starts.append((str(start), rel.id))
        if end is not None:
            ends.append((str(end), rel.id))
    starts.sort()
    ends.sort()
    return ChangeDays(
        tuple(d for d, _ in starts),
        tuple(r for _, r in starts),
        tuple(d for d, _ in ends),
        tuple(r for _, r in ends),
    )


@dataclass
class _Kept:
    """A report as kept: per ``(level, kind)`` group its rows and their node ids, by node id
    (the report's order within a group), so the rows of a few grids are replaced in place."""

    as_of: date
    groups: dict[tuple[str, str], tuple[list[str], list[GapRow]]]
    checked: dict[str, int]

    @classmethod
    def of(cls, report: GapReport) -> _Kept:
        groups: dict[tuple[str, str], tuple[list[str], list[GapRow]]] = {}
        for r in report.rows:
            ids, rows = groups.setdefault((r.gap.level, r.gap.what.value), ([], []))
            ids.append(r.node.id)
            rows.append(r)
        return cls(report.as_of, groups, report.checked)

    def report(self) -> GapReport:
        """The report; its rows may name other days of the same links (see :meth:`GapReport.on`)."""
        order = sorted(
            (k for k, (ids, _) in self.groups.items() if ids), key=lambda k: group_order(*k)
        )
        rows = tuple(itertools.chain.from_iterable(self.groups[k][1] for k in order))
        tally = {k: len(self.groups[k][0]) for k in order}
        return GapReport(self.as_of, rows, dict(self.checked), tally)

    def replaced(self, day: date, nodes: set[str], fresh: list[GapRow]) -> _Kept:
        """A copy with every row of ``nodes`` (but their parent gaps, which no link of the day
        changes) replaced by ``fresh``; groups left alone are shared, not copied."""
        groups = dict(self.groups)
        for key, (ids, rows) in self.groups.items():
            if key[1] == GapKind.NO_PARENT_GRID.value:
                continue
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
        return _Kept(day, groups, self.checked)


def _index(ids: list[str], nid: str) -> int | None:
    at = bisect.bisect_left(ids, nid)
    return at if at < len(ids) and ids[at] == nid else None


class KeptGaps(Generic[T]):
    """Gap reports of one version of the store, one per interval of its :class:`ChangeDays`,
    each kept as ``keep(report)`` (the API keeps a paging index); what a reader keeps per
    store version so that a new day costs a bisection, not a pass over the district.

    A day of a new interval starts from the nearest kept report and recomputes only the grids
    (and event types) that the links beginning or ending in between can touch; a link of the
    grid hierarchy itself (``PART_OF``) changing, or too many links, means a whole report.
    Nothing computed while the store changed is kept: the change days are read between two
    looks at :meth:`~graph.contract.GraphStore.version`, and so is every report."""

    #: Above this share of the district's grids touched (and 100 grids), a whole report is
    #: cheaper; so are more than four times as many links changed.
    WHOLE_ABOVE = 0.25
    #: Intervals kept at most, the least recently asked dropped first: each holds its rows and
    #: the groups of rows it changed (some 10 MB at province scale, 400,000 rows).
    KEEP = 16

    def __init__(self, store: GraphStore, keep: Callable[[GapReport], T]) -> None:
        self.store = store
        self.keep = keep
        self.version = store.version()
        # a store that cannot tell its version gets a fresh report every time: no index
        self.days = change_days(store) if self.version is not None else None
        self.current = self.version is not None and store.version() == self.version
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[int, int], tuple[_Kept, T]] = OrderedDict()
        self.recomputed = Counter[str]()
        """How each new interval was answered: ``whole`` or ``touched`` (for tests and bench)."""

    def get(self, day: date) -> T:
        """What is kept for ``day``'s interval (its report may name other days of it).

        Computed with the cyclic collector paused, as every whole-graph answer is
        (:func:`graph.bulk.gc_paused`): a report allocates hundreds of thousands of objects,
        which would otherwise set off full collections over everything alive, and what it
        keeps is frozen after it when the serving policy is on."""
        with gc_paused():
            return self._get(day)

    def _get(self, day: date) -> T:
        if self.days is None:
            return self.keep(find_gaps(self.store, day))
        key = self.days.interval(day)
        with self._lock:
            found = self._kept.get(key)
            nearest = min(
                (k for k, _ in self._kept.values()),
                key=lambda k: self.days.distance(k.as_of, day) if self.days else 0,
                default=None,
            )
        if found is not None:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
            return found[1]
        kept = self._derive(nearest, day) if nearest is not None else None
        if kept is None:
            self.recomputed["whole"] += 1
            kept = _Kept.of(find_gaps(self.store, day))
        else:
            self.recomputed["touched"] += 1
        value = (kept, self.keep(kept.report()))
        if self.current and self.store.version() == self.version:
            with self._lock:
                value = self._kept.setdefault(key, value)
                while len(self._kept) > self.KEEP:
                    self._kept.popitem(last=False)
        return value[1]

    def _derive(self, base: _Kept, day: date) -> _Kept | None:
        """``base`` moved to ``day``: the rows of the touched grids recomputed; None when a
        whole report is the better answer."""
        assert self.days is not None
        store = self.store
        changed = self.days.between(base.as_of, day)
        limit = max(self.WHOLE_ABOVE * sum(base.checked.values()), 100)
        if len(changed) > limit * 4:
            return None
        rels = store.get_relationships(sorted(changed)).values()
        if any(r.type == "PART_OF" for r in rels):
            return None
        grid_kinds = {ONTOLOGY.grid_kind(level).name for level in CHAIN_ORDER}
        ends = store.get_nodes(sorted({i for r in rels for i in (r.source, r.target)}))

        def is_grid(nid: str) -> bool:
            node = ends.get(nid)
            return node is not None and node.kind in grid_kinds

        events = {r.source for r in rels if r.type == "HANDLED_BY"}
        touched = {r.target for r in rels if r.type in INCOMING_TYPES and is_grid(r.target)}
        units = {r.target for r in rels if r.type == "POST_IN" and not is_grid(r.target)}
        posts = sorted({r.target for r in rels if r.type == "HOLDS"})
        # every date, not the day's: a link that could carry the change is enough to recheck
        for hops in (store.neighbours(posts, "POST_IN", Direction.OUT) if posts else {}).values():
            for hop in hops:
                (touched if hop.node.kind in grid_kinds else units).add(hop.node.id)
        if units:
            covered = store.neighbours(sorted(units), ("COVERS", "PAIRED_WITH", "MANAGES"))
            touched |= {
                h.node.id for hs in covered.values() for h in hs if h.node.kind in grid_kinds
            }
        if len(touched) > limit:
            return None
        grids = list(store.get_nodes(sorted(touched)).values())
        grids = [g for g in grids if g.kind in grid_kinds and not self._outside(g, day)]
        fresh: list[GapRow] = []
        communities = _communities(store, grids, day)
        links = assemble_links(grids, gather_links(store, grids, day), day)
        for grid in grids:
            fresh.extend(GapRow(g, grid, communities.get(grid.id)) for g in links[grid.id].gaps)
        if events:
            nodes = store.get_nodes(sorted(events))
            handled = store.neighbours(sorted(nodes), "HANDLED_BY", Direction.OUT, day)
            for event in nodes.values():
                facts = event_facts(event, handled[event.id], day)
                fresh.extend(GapRow(g, event) for g in facts.gaps)
        return base.replaced(day, {g.id for g in grids} | events, fresh)

    def _outside(self, grid: Node, day: date) -> bool:
        """A subdistrict with no community grid under it: outside the grid system, no rows."""
        if grid.kind != ONTOLOGY.grid_kind(GridLevel.SUBDISTRICT).name:
            return False
        community = ONTOLOGY.grid_kind(GridLevel.COMMUNITY).name
        below = self.store.neighbours([grid.id], "PART_OF", Direction.IN, day, community)
        return not below[grid.id]


def _communities(store: GraphStore, grids: list[Node], day: date) -> dict[str, Node]:
    """The community each grid lies in (itself for a community), following PART_OF up."""
    community = ONTOLOGY.grid_kind(GridLevel.COMMUNITY).name
    found: dict[str, Node] = {}
    at = {g.id: g for g in grids}  # grid id -> the node reached so far
    for _ in CHAIN_ORDER:
        for gid, node in list(at.items()):
            if node.kind == community:
                found[gid] = node
                del at[gid]
        if not at:
            break
        up = store.neighbours(sorted({n.id for n in at.values()}), "PART_OF", Direction.OUT, day)
        nxt: dict[str, Node] = {}
        for gid, node in at.items():
            parent = _parent_of(node, up.get(node.id, []))
            if parent is not None:
                nxt[gid] = parent
        at = nxt
    return found


def _parent_of(grid: Node, hops: list[Hop]) -> Node | None:
    """The grid one level up, as :func:`_scope` picks it."""
    level = ONTOLOGY.kind(grid.kind).grid_level
    if level is None or level is CHAIN_ORDER[-1]:
        return None
    want = ONTOLOGY.grid_kind(CHAIN_ORDER[CHAIN_ORDER.index(level) + 1]).name
    return next((h.node for h in hops if h.node.kind == want), None)
