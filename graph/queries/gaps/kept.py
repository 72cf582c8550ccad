"""Gap reports kept across days and writes (:class:`KeptGaps`, what the API pages from): one
version of the data's reports, one per interval of its :class:`ChangeDays`, so that a new day
costs a bisection and the rows of a few grids, not a pass over the district; and the next
version's, brought forward by what a write changed (:meth:`KeptGaps.carried`)."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Generic, TypeVar

from graph.bulk import gc_paused
from graph.changes import Changes
from graph.contract import GraphStore
from graph.model import Relationship
from graph.queries.gaps.answer import GapReport
from graph.queries.gaps.days import ChangeDays, change_days
from graph.queries.gaps.query import find_gaps
from graph.queries.gaps.rows import KeptRows, outside_of, recompute
from graph.queries.gaps.touch import (
    EVENT_KIND,
    GRID_KINDS,
    Touched,
    effective,
    touched_by_links,
    touched_by_nodes,
)
from graph.queries.grid_links.query import EVENT_LEVEL
from schema import ONTOLOGY
from schema.ontology import GridLevel

T = TypeVar("T")
Interval = tuple[int, int]


class KeptGaps(Generic[T]):
    """Gap reports of one version of the store, one per interval of its :class:`ChangeDays`,
    each kept as ``keep(report)`` (the API keeps a paging index); what a reader keeps per
    store version so that a new day costs a bisection, not a pass over the district.

    A day of a new interval starts from the nearest kept report and recomputes only the grids
    (and event types) that the links beginning or ending in between can touch, of those whose
    presence a report sees change (:func:`~graph.queries.gaps.touch.effective`: a holder
    replaced on a day touches nothing); too many of them means a whole report. A new version of
    the data starts from this one (:meth:`carried`). Nothing computed while the store changed
    is kept: the change days are read between two looks at
    :meth:`~graph.contract.GraphStore.version`, and so is every report. One report of an
    interval is computed at a time: a reader asking for one being computed waits for it."""

    #: Above this share of the district's grids touched (and 100 grids), a whole report is
    #: cheaper; so are more than four times as many links changed.
    WHOLE_ABOVE = 0.25
    #: Intervals kept at most, the least recently asked dropped first: each holds its rows and
    #: the groups of rows it changed (some 10 MB at province scale, 400,000 rows).
    KEEP = 16
    #: Intervals brought to a new version of the data, the most recently asked; the others
    #: are dropped (a day of theirs is derived again from the nearest one carried).
    CARRY = 4
    #: Looks at the store a carry takes at most when writes keep landing while it works.
    TRIES = 3
    #: Seconds between two calls of a waiting reader's ``waiting`` (its deadline's check).
    WAIT = 0.05

    def __init__(
        self,
        store: GraphStore,
        keep: Callable[[GapReport], T],
        *,
        known: tuple[int, ChangeDays] | None = None,
    ) -> None:
        """Kept reports of the store as it is now (its change days read by a scan), or of
        version ``known[0]``, whose change days ``known[1]`` are."""
        self.store = store
        self.keep = keep
        self.version: int | None
        self.days: ChangeDays | None
        if known is not None:
            (self.version, self.days), self.current = known, True
        else:
            self.version = store.version()
            # a store that cannot tell its version gets a fresh report every time: no index
            self.days = change_days(store) if self.version is not None else None
            self.current = self.version is not None and store.version() == self.version
        self._lock = threading.Lock()
        self._kept: OrderedDict[Interval, tuple[KeptRows, T | None]] = OrderedDict()
        self._running: dict[Interval, threading.Event] = {}
        self.recomputed = Counter[str]()
        """How each interval was answered: ``whole`` or ``touched`` (a new day), ``carried``
        (to this version, from the one before) or ``dropped`` (for tests and bench)."""

    def get(self, day: date, waiting: Callable[[], None] | None = None) -> T:
        """What is kept for ``day``'s interval (its report may name other days of it).

        ``waiting`` is called now and then while another reader computes the report this one
        needs; it may raise to stop waiting (a request's deadline).

        Computed with the cyclic collector paused, as every whole-graph answer is
        (:func:`graph.bulk.gc_paused`): a report allocates hundreds of thousands of objects,
        which would otherwise set off full collections over everything alive, and what it
        keeps is frozen after it when the serving policy is on."""
        with gc_paused():
            return self._get(day, waiting)

    def _get(self, day: date, waiting: Callable[[], None] | None) -> T:
        if self.days is None:
            return self.keep(find_gaps(self.store, day))
        days = self.days
        key = days.interval(day)
        while True:
            with self._lock:
                found = self._kept.get(key)
                if found is not None:
                    self._kept.move_to_end(key)
                    running = None
                else:
                    # the first report of all is whole: wait for one under way, whatever its day
                    running = self._running.get(key) or next(
                        iter(self._running.values() if not self._kept else ()), None
                    )
                    if running is None:
                        nearest = min(
                            self._kept.values(),
                            key=lambda kept: days.distance(kept[0].as_of, day),
                            default=None,
                        )
                        mine = self._running[key] = threading.Event()
                        break
            if found is not None:
                return self._value(key, found)
            assert running is not None
            while not running.wait(self.WAIT if waiting is not None else None):
                assert waiting is not None
                waiting()
        try:
            rows = self._derive(nearest[0], day) if nearest is not None else None
            if rows is None:
                self.recomputed["whole"] += 1
                rows = self._whole(day)
            else:
                self.recomputed["touched"] += 1
            if nearest is not None and rows.groups is nearest[0].groups and nearest[1] is not None:
                made: tuple[KeptRows, T | None] = (rows, nearest[1])  # no grid touched: shared
            else:
                made = (rows, self.keep(rows.report()))
            if self.current and self.store.version() == self.version:
                with self._lock:
                    made = self._kept.setdefault(key, made)
                    while len(self._kept) > self.KEEP:
                        self._kept.popitem(last=False)
        finally:
            with self._lock:
                del self._running[key]
            mine.set()
        return self._value(key, made)

    def _value(self, key: Interval, found: tuple[KeptRows, T | None]) -> T:
        """The kept value of an interval, made now from its rows if it was carried."""
        rows, value = found
        if value is not None:
            return value
        value = self.keep(rows.report())
        with self._lock:
            if self._kept.get(key, (None,))[0] is rows:
                self._kept[key] = (rows, value)
        return value

    def _whole(self, day: date) -> KeptRows:
        report = find_gaps(self.store, day)
        subdistricts = self.store.nodes_of_kind(ONTOLOGY.grid_kind(GridLevel.SUBDISTRICT).name)
        return KeptRows.of(report, outside_of(self.store, [s.id for s in subdistricts], day))

    def _limit(self, base: KeptRows) -> float:
        return max(self.WHOLE_ABOVE * sum(base.checked.values()), 100)

    def _derive(self, base: KeptRows, day: date) -> KeptRows | None:
        """``base`` moved to ``day``: the rows of the touched grids recomputed; None when a
        whole report is the better answer."""
        assert self.days is not None
        changed = self.days.between(base.as_of, day)
        limit = self._limit(base)
        if len(changed) > limit * 4:
            return None
        rels = self.store.get_relationships(sorted(changed)).values()
        touched = touched_by_links(self.store, effective(self.store, rels, base.as_of, day))
        if len(touched) > limit:
            return None
        if not touched:  # the same rows (naming the base's day, as untouched rows do)
            return replace(base, as_of=day)
        return recompute(self.store, base, day, touched)

    def carried(self) -> KeptGaps[T] | None:
        """These reports brought to the store's version by the records changed since this
        one's (:meth:`~graph.contract.GraphStore.changes_since`): the change days edited, and
        in the :attr:`CARRY` intervals asked last, the rows of the grids the changes touch
        recomputed (all of an interval's rows dropped when they touch too many). None when
        the store cannot tell what changed, or this one is not of one version: compute anew.

        Safe against writes landing meanwhile: only an answer made while the store stayed
        at one version is given, read again from this one up to :attr:`TRIES` times."""
        if self.days is None or self.version is None or not self.current:
            return None
        for _ in range(self.TRIES):
            now = self.store.version()
            if now == self.version:
                return self
            changes = self.store.changes_since(self.version)
            if changes is None or now is None:
                return None
            if changes.until != now:
                continue
            with gc_paused():
                carried = self._carried(changes)
            if self.store.version() == now:
                return carried
        return None

    def _carried(self, changes: Changes) -> KeptGaps[T]:
        assert self.days is not None
        store = self.store
        before = [r for r in changes.relationships.values() if r is not None]
        after = list(store.get_relationships(sorted(changes.relationships)).values())
        days = self.days.updated(before, after)
        carried: KeptGaps[T] = KeptGaps(store, self.keep, known=(changes.until, days))
        with self._lock:
            recent = [rows for rows, _ in self._kept.values()][-self.CARRY :]
        touched = self._touched(changes, before, after, recent[-1]) if recent else None
        if touched is None:
            carried.recomputed["dropped"] += len(recent)
            return carried
        totals = {lv.value: store.count_nodes(kind) for kind, lv in GRID_KINDS.items()}
        totals[EVENT_LEVEL] = store.count_nodes(EVENT_KIND)
        for rows in recent:  # least recently asked first: the order they are kept in
            moved = recompute(store, rows, rows.as_of, touched, totals)
            key = days.interval(rows.as_of)
            carried._kept.pop(key, None)
            carried._kept[key] = (moved, None)
        carried.recomputed["carried"] += len(recent)
        return carried

    def _touched(
        self,
        changes: Changes,
        before: list[Relationship],
        after: list[Relationship],
        base: KeptRows,
    ) -> Touched | None:
        """What ``changes`` touch, or None when too many to recompute rather than a whole."""
        limit = self._limit(base)
        if len(changes) > limit * 4:
            return None
        store = self.store
        was = {nid: n.kind for nid, n in changes.nodes.items() if n is not None}
        touched = touched_by_links(store, [*before, *after], was)
        now = store.get_nodes(sorted(changes.nodes))
        by_nodes = touched_by_nodes(
            store, {nid: (node, now.get(nid)) for nid, node in changes.nodes.items()}
        )
        touched.grids |= by_nodes.grids
        touched.events |= by_nodes.events
        return touched if len(touched) <= limit else None
