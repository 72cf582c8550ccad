"""The planner's to-do list: every grid whose responsibility chain has a missing link on a date.

Computed over the whole district in a fixed number of store calls (one listing per grid kind,
one ``neighbours`` call for the parents, the three of
:func:`~graph.queries.grid_links.collect_links`, two for the event catalogue) with the very rules
the chain uses, so the report lists exactly the gaps that the chains of its buildings show.
Owner-managed compounds (an OwnersCommittee MANAGES them) are not gaps.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import IO, Any, Generic, TypeVar

from graph.contract import GraphStore
from graph.csvexport import ExcelCsv
from graph.model import Direction, Hop, Node
from graph.queries.chain import as_day, event_facts
from graph.queries.grid_links import (
    INCOMING_TYPES,
    Gap,
    LinkMaterial,
    assemble_links,
    gap_sort_key,
    gather_links,
    group_order,
    parent_gap,
)
from schema import ONTOLOGY
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER

__all__ = [
    "CSV_COLUMNS",
    "GAP_RELATION_TYPES",
    "ChangeDays",
    "GapMaterial",
    "GapReport",
    "GapRow",
    "KeptGaps",
    "assemble_gaps",
    "change_days",
    "find_gaps",
    "gather_gaps",
    "relabel_gap",
]

T = TypeVar("T")

#: Columns of the CSV export, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "kind_of_gap",
    "level",
    "node_id",
    "name",
    "parent_community",
    "reason",
)


@dataclass(frozen=True, slots=True)
class GapRow:
    """One missing link: the gap, the grid (or event type) lacking it, and its community."""

    gap: Gap
    node: Node
    community: Node | None = None


@dataclass(frozen=True)
class GapReport:
    """Every gap in the district on ``as_of``; ``checked`` counts the nodes examined per level."""

    as_of: date
    rows: tuple[GapRow, ...]
    checked: dict[str, int]

    def counts(self) -> dict[tuple[str, str], int]:
        """Gaps per ``(level, kind of gap)``, building level first."""
        counted = Counter((r.gap.level, r.gap.what.value) for r in self.rows)
        return dict(sorted(counted.items(), key=lambda kv: group_order(*kv[0])))

    def by_kind(self) -> dict[tuple[str, str], list[GapRow]]:
        """Rows grouped by ``(level, kind of gap)``, in the order of :meth:`counts`."""
        groups: dict[tuple[str, str], list[GapRow]] = {k: [] for k in self.counts()}
        for row in self.rows:
            groups[(row.gap.level, row.gap.what.value)].append(row)
        return groups

    def nodes_with_gaps(self, level: str | GridLevel | None = None) -> set[str]:
        return {r.node.id for r in self.rows if level is None or r.gap.level == level}

    def csv_rows(self) -> Iterator[dict[str, Any]]:
        for group in self.by_kind().values():
            for r in group:
                yield {
                    "kind_of_gap": r.gap.what.value,
                    "level": r.gap.level,
                    "node_id": r.node.id,
                    "name": r.node.name or "",
                    "parent_community": _community_label(r.community),
                    "reason": r.gap.reason,
                }

    def on(self, day: date) -> GapReport:
        """The same report for another day with the same links in force (the same interval of
        :class:`ChangeDays`): only the day in the reasons differs, so no store is asked."""
        if day == self.as_of:
            return self
        rows = tuple(
            GapRow(relabel_gap(r.gap, self.as_of, day), r.node, r.community) for r in self.rows
        )
        return GapReport(day, rows, dict(self.checked))

    def write_csv(self, out: IO[str], bom: bool = False) -> int:
        """Write the report as CSV for people (header row first; cells that Excel would run
        as formulas neutralised; the UTF-8 BOM first if ``bom``); the number of data rows."""
        return ExcelCsv(out, bom=bom).dicts(CSV_COLUMNS, self.csv_rows())


def _community_label(node: Node | None) -> str:
    if node is None:
        return ""
    return f"{node.name} ({node.id})" if node.name else node.id


def find_gaps(store: GraphStore, as_of: date | str | None = None) -> GapReport:
    """Every building, compound, community, subdistrict and district grid (and event type)
    with a missing link in its responsibility chain on ``as_of`` (today by default).

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> k = new_node("Compound", community_code="410611001001", compound_no="1", name="桃园小区")
    >>> oc = new_node("OwnersCommittee", community_code="410611001001", compound_no="1")
    >>> _ = s.upsert_nodes([k, oc])
    >>> _ = s.upsert_relationships([Relationship("MANAGES", oc.id, k.id)])
    >>> sorted(find_gaps(s, "2024-01-01").counts().items())
    [(('compound', 'no_parent_grid'), 1), (('compound', 'no_party_organization'), 1), \
(('compound', 'no_person_in_charge'), 1)]
    """
    day = as_day(as_of)
    native = store.native_query("find_gaps")
    if native is not None:
        return native(as_of=day)

    return assemble_gaps(gather_gaps(store, day), day)


@dataclass(frozen=True)
class GapMaterial:
    """The raw records :func:`assemble_gaps` reads, as the store hands them back.

    Gathered by :func:`gather_gaps` with contract calls, or by a store in one round trip
    (:mod:`graph.neo4j.flagship`); mappings may hold more keys than the assembly reads.
    """

    grids: Mapping[GridLevel, list[Node]]
    """Every grid node of each level, ordered by id."""
    up: Mapping[str, list[Hop]]
    """Per grid below the district: its ``PART_OF`` hops out."""
    links: LinkMaterial
    """The hops of every grid inside the grid system (``gather_links``)."""
    events: list[Node]
    """Every event type, ordered by id."""
    event_hops: Mapping[str, list[Hop]]
    """Per event type: its ``HANDLED_BY`` hops out."""


def gather_gaps(store: GraphStore, day: date) -> GapMaterial:
    """The contract calls behind :func:`find_gaps`: exactly what it reads."""
    grids: dict[GridLevel, list[Node]] = {
        level: store.nodes_of_kind(ONTOLOGY.grid_kind(level).name) for level in CHAIN_ORDER
    }
    children = _children(grids)
    up = store.neighbours([g.id for g in children], "PART_OF", Direction.OUT, day)
    everything, _, _ = _scope(grids, up)
    links = gather_links(store, everything, day)
    events = store.nodes_of_kind("EventType")
    hops = store.neighbours([e.id for e in events], "HANDLED_BY", Direction.OUT, day)
    return GapMaterial(grids, up, links, events, hops)


def _children(grids: Mapping[GridLevel, list[Node]]) -> list[Node]:
    district = ONTOLOGY.grid_kind(GridLevel.DISTRICT).name
    return [g for level in CHAIN_ORDER for g in grids[level] if g.kind != district]


def _scope(
    grids: Mapping[GridLevel, list[Node]], up: Mapping[str, list[Hop]]
) -> tuple[list[Node], dict[str, Node | None], set[str]]:
    """The grids to check, each child's parent grid, and the subdistricts outside the system."""
    parent: dict[str, Node | None] = {}
    for grid in _children(grids):
        level = ONTOLOGY.kind(grid.kind).grid_level
        assert level is not None
        want = ONTOLOGY.grid_kind(CHAIN_ORDER[CHAIN_ORDER.index(level) + 1]).name
        parent[grid.id] = next((h.node for h in up.get(grid.id, ()) if h.node.kind == want), None)

    # A town or subdistrict with no community grid under it lies outside the grid system
    # (the seed's towns): no chain passes through it, so it has nothing to report.
    subdistrict_kind = ONTOLOGY.grid_kind(GridLevel.SUBDISTRICT).name
    with_communities = {
        p.id for p in parent.values() if p is not None and p.kind == subdistrict_kind
    }
    outside = {g.id for g in grids[GridLevel.SUBDISTRICT] if g.id not in with_communities}
    everything = [g for level in CHAIN_ORDER for g in grids[level] if g.id not in outside]
    return everything, parent, outside


def assemble_gaps(material: GapMaterial, day: date) -> GapReport:
    """The report from gathered records; pure, shared by every store."""
    grids = material.grids
    everything, parent, outside = _scope(grids, material.up)
    links = assemble_links(everything, material.links, day)

    rows: list[GapRow] = []
    for grid in everything:
        community = _community_of(grid, parent)
        gaps = list(links[grid.id].gaps)
        if grid.id in parent and parent[grid.id] is None:
            gaps.append(parent_gap(links[grid.id].level, grid, day))
        rows.extend(GapRow(g, grid, community) for g in gaps)

    events = material.events
    for event in events:
        hops = material.event_hops.get(event.id, [])
        rows.extend(GapRow(g, event) for g in event_facts(event, hops, day).gaps)

    rows.sort(key=lambda r: (gap_sort_key(r.gap), r.node.id))
    checked = {level.value: len(grids[level]) for level in CHAIN_ORDER}
    checked[GridLevel.SUBDISTRICT.value] -= len(outside)
    checked["event"] = len(events)
    return GapReport(day, tuple(rows), checked)


def _community_of(grid: Node, parent: dict[str, Node | None]) -> Node | None:
    """The community a grid lies in (itself for a community), following PART_OF up."""
    community_kind = ONTOLOGY.grid_kind(GridLevel.COMMUNITY).name
    node: Node | None = grid
    for _ in CHAIN_ORDER:
        if node is None or node.kind == community_kind:
            return node
        node = parent.get(node.id)
    return None


def relabel_gap(gap: Gap, was: date, day: date) -> Gap:
    """A gap's reason as it reads on ``day`` rather than ``was``: every reason that names its
    day ends with " on <day>" (:mod:`graph.queries.grid_links`, :func:`event_facts`)."""
    if was == day:
        return gap
    suffix = f" on {was.isoformat()}"
    if not gap.reason.endswith(suffix):
        return gap
    return replace(gap, reason=f"{gap.reason[: -len(suffix)]} on {day.isoformat()}")


#: Every relationship type the report reads (:func:`gather_gaps`): only their dates matter.
GAP_RELATION_TYPES: frozenset[str] = frozenset(("PART_OF", *INCOMING_TYPES, "HOLDS", "HANDLED_BY"))


@dataclass(frozen=True)
class ChangeDays:
    """The days on which a link the report reads begins or ends, for one version of the data.

    A link is in force on ``d`` when ``valid_from <= d <= valid_to`` (:func:`graph.model.
    holds_on`), so the links in force change only on a ``valid_from`` or on the day after a
    ``valid_to``. Two days with no change day between them see the same links, hence the same
    report but for the day named in its reasons (:meth:`GapReport.on`): a new day is a look-up.
    """

    starts: tuple[str, ...]
    """Every ``valid_from`` (ISO day), sorted, with repeats."""
    ends: tuple[str, ...]
    """Every ``valid_to`` (ISO day), sorted, with repeats."""

    def interval(self, day: date) -> tuple[int, int]:
        """Which interval ``day`` lies in: the links begun by it and those ended before it.

        Equal for two days exactly when no link of the report begins or ends between them."""
        iso = day.isoformat()
        return (bisect.bisect_right(self.starts, iso), bisect.bisect_left(self.ends, iso))

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
    starts: list[str] = []
    ends: list[str] = []
    for rel in store.iter_relationships():
        if rel.type not in GAP_RELATION_TYPES:
            continue
        start, end = rel.props.get("valid_from"), rel.props.get("valid_to")
        if start is not None:
            starts.append(str(start))
        if end is not None:
            ends.append(str(end))
    starts.sort()
    ends.sort()
    return ChangeDays(tuple(starts), tuple(ends))


class KeptGaps(Generic[T]):
    """Gap reports of one version of the store, one per interval of its :class:`ChangeDays`,
    each kept as ``keep(report)`` (the API keeps a paging index); what a reader keeps per
    store version so that a new day costs a bisection, not a pass over the district.

    Nothing computed while the store changed is kept: the change days are read between two
    looks at :meth:`~graph.contract.GraphStore.version`, and so is every report."""

    def __init__(self, store: GraphStore, keep: Callable[[GapReport], T]) -> None:
        self.store = store
        self.keep = keep
        self.version = store.version()
        # a store that cannot tell its version gets a fresh report every time: no index
        self.days = change_days(store) if self.version is not None else None
        self.current = self.version is not None and store.version() == self.version
        self._lock = threading.Lock()
        self._kept: dict[tuple[int, int], T] = {}

    def get(self, day: date) -> T:
        """What is kept for ``day``'s interval (its report may be of another day of it)."""
        if self.days is None:
            return self.keep(find_gaps(self.store, day))
        key = self.days.interval(day)
        with self._lock:
            found = self._kept.get(key)
        if found is not None:
            return found
        value = self.keep(find_gaps(self.store, day))
        if self.current and self.store.version() == self.version:
            with self._lock:
                value = self._kept.setdefault(key, value)
        return value
