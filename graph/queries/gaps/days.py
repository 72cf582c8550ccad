"""The days on which the gap report's links begin or end (:class:`ChangeDays`), read once by a
scan and then kept up to date by the links each write changes (:meth:`ChangeDays.updated`)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from graph.contract import GraphStore
from graph.model import Relationship
from graph.queries.grid_links.query import INCOMING_TYPES

#: Every relationship type the report reads (:func:`gather_gaps`): only their dates matter.
GAP_RELATION_TYPES: frozenset[str] = frozenset(("PART_OF", *INCOMING_TYPES, "HOLDS", "HANDLED_BY"))

Entry = tuple[str, str]
"""A day (ISO) and the relationship that begins or ends on it."""


@dataclass(frozen=True)
class _Edits:
    """Entries taken out of a sorted base (``gone``) and put in (``new``), each sorted: what
    writes changed, without copying a base of millions of entries (scale 100). Never changed
    once made: :meth:`with_changes` makes another, in time linear in the edits (list copies
    and insertions, done in C), not the base."""

    gone: list[Entry] = field(default_factory=list)
    new: list[Entry] = field(default_factory=list)
    gone_days: list[str] = field(default_factory=list)
    new_days: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.gone) + len(self.new)

    def count_right(self, iso: str) -> int:
        """How many more entries than the base's fall on or before ``iso``."""
        return bisect.bisect_right(self.new_days, iso) - bisect.bisect_right(self.gone_days, iso)

    def count_left(self, iso: str) -> int:
        """How many more entries than the base's fall before ``iso``."""
        return bisect.bisect_left(self.new_days, iso) - bisect.bisect_left(self.gone_days, iso)

    def with_changes(self, out: Iterable[Entry], into: Iterable[Entry]) -> _Edits:
        """These edits and then ``out`` taken out (each present), ``into`` put in."""
        edits = _Edits(list(self.gone), list(self.new), list(self.gone_days), list(self.new_days))
        for entry in out:  # out of the new ones if it is one, else out of the base
            if not edits._drop(edits.new, edits.new_days, entry):
                edits._add(edits.gone, edits.gone_days, entry)
        for entry in into:  # back into the base if it was taken out of it, else new
            if not edits._drop(edits.gone, edits.gone_days, entry):
                edits._add(edits.new, edits.new_days, entry)
        return edits

    @staticmethod
    def _drop(entries: list[Entry], days: list[str], entry: Entry) -> bool:
        at = bisect.bisect_left(entries, entry)
        if at < len(entries) and entries[at] == entry:
            del entries[at], days[at]
            return True
        return False

    @staticmethod
    def _add(entries: list[Entry], days: list[str], entry: Entry) -> None:
        at = bisect.bisect_left(entries, entry)
        if at == len(entries) or entries[at] != entry:  # told twice: once is enough
            entries.insert(at, entry)
            days.insert(at, entry[0])


@dataclass(frozen=True)
class _Side:
    """The ``valid_from`` (or ``valid_to``) of every link: a sorted base and its edits."""

    days: tuple[str, ...]
    ids: tuple[str, ...]
    edits: _Edits = field(default_factory=_Edits)

    @classmethod
    def of(cls, entries: list[Entry]) -> _Side:
        entries.sort()
        return cls(tuple(d for d, _ in entries), tuple(r for _, r in entries))

    def right(self, iso: str) -> int:
        """How many entries fall on or before ``iso``."""
        return bisect.bisect_right(self.days, iso) + self.edits.count_right(iso)

    def left(self, iso: str) -> int:
        """How many entries fall before ``iso``."""
        return bisect.bisect_left(self.days, iso) + self.edits.count_left(iso)

    def ids_in(self, low: str, high: str, right: bool) -> set[str]:
        """The links of the entries after ``low`` up to ``high`` (``right``), or from ``low``
        up to before ``high``."""
        cut = bisect.bisect_right if right else bisect.bisect_left
        found = set(self.ids[cut(self.days, low) : cut(self.days, high)])
        for entries, days, keep in (
            (self.edits.gone, self.edits.gone_days, False),
            (self.edits.new, self.edits.new_days, True),
        ):
            for _, rid in entries[cut(days, low) : cut(days, high)]:
                if keep:
                    found.add(rid)
                else:
                    found.discard(rid)
        return found

    def entries(self) -> list[Entry]:
        """Every entry, sorted."""
        gone = set(self.edits.gone)
        kept = [e for e in zip(self.days, self.ids, strict=True) if not gone or e not in gone]
        return sorted(kept + self.edits.new)  # two sorted runs: a merge

    def updated(self, out: Iterable[Entry], into: Iterable[Entry]) -> _Side:
        """With the entries ``out`` taken out (each present) and ``into`` put in."""
        side = _Side(self.days, self.ids, self.edits.with_changes(out, into))
        if len(side.edits) > max(ChangeDays.EDITS, len(self.days) // 16):
            return _Side.of(side.entries())  # a new base: edits stay small beside it
        return side


@dataclass(frozen=True)
class ChangeDays:
    """The days on which a link the report reads begins or ends, for one version of the data.

    A link is in force on ``d`` when ``valid_from <= d <= valid_to`` (:func:`graph.model.
    holds_on`), so the links in force change only on a ``valid_from`` or on the day after a
    ``valid_to``. Two days with no change day between them see the same links, hence the same
    report but for the day named in its reasons (:meth:`GapReport.on`): a new day is a look-up.
    Between two other days, :meth:`between` names the links whose standing may differ.

    Immutable: a write makes a new one (:meth:`updated`) that shares the sorted base of this
    one and holds the entries the write took out and put in, so readers of the old version are
    not disturbed and a write costs its own size, not the graph's.
    """

    start: _Side
    """Every ``valid_from`` (ISO day) and its link."""
    end: _Side
    """Every ``valid_to`` (ISO day) and its link."""

    #: Edits held beside the base before a new base is sorted (or a sixteenth of the base).
    EDITS = 4096

    def interval(self, day: date) -> tuple[int, int]:
        """Which interval ``day`` lies in: the links begun by it and those ended before it.

        Equal for two days exactly when no link of the report begins or ends between them."""
        iso = day.isoformat()
        return (self.start.right(iso), self.end.left(iso))

    def between(self, a: date, b: date) -> set[str]:
        """The links that begin or end between ``a`` and ``b``: every link in force on one of
        the two days and not on the other is among them."""
        low, high = sorted((a.isoformat(), b.isoformat()))
        return self.start.ids_in(low, high, right=True) | self.end.ids_in(low, high, right=False)

    def distance(self, a: date, b: date) -> int:
        """How many link starts and ends lie between ``a`` and ``b``."""
        (sa, ea), (sb, eb) = self.interval(a), self.interval(b)
        return abs(sa - sb) + abs(ea - eb)

    @property
    def days(self) -> tuple[date, ...]:
        """The change days, sorted: each ``valid_from`` and each day after a ``valid_to``."""
        found: set[date] = set()
        for entries, after in ((self.start.entries(), 0), (self.end.entries(), 1)):
            for iso, _ in entries:
                try:  # the shape is checked on write (YYYY-MM-DD), not the calendar: 2024-02-30
                    day = date.fromisoformat(iso)
                except ValueError:
                    continue
                if day < date.max or not after:
                    found.add(day + timedelta(days=after))
        return tuple(sorted(found))

    def updated(self, before: Iterable[Relationship], after: Iterable[Relationship]) -> ChangeDays:
        """These change days once the links ``before`` (as they were) are replaced by the
        links ``after`` (as they are): a deleted link is in ``before`` only, a new one in
        ``after`` only."""
        out_starts, out_ends = _entries(before)
        in_starts, in_ends = _entries(after)
        return ChangeDays(
            self.start.updated(out_starts, in_starts), self.end.updated(out_ends, in_ends)
        )


def _entries(rels: Iterable[Relationship]) -> tuple[list[Entry], list[Entry]]:
    starts: list[Entry] = []
    ends: list[Entry] = []
    for rel in rels:
        if rel.type not in GAP_RELATION_TYPES:
            continue
        start, end = rel.props.get("valid_from"), rel.props.get("valid_to")
        if start is not None:
            starts.append((str(start), rel.id))
        if end is not None:
            ends.append((str(end), rel.id))
    return starts, ends


def change_days(store: GraphStore) -> ChangeDays:
    """The :class:`ChangeDays` of the store as it is now, in one pass over its relationships."""
    starts, ends = _entries(store.iter_relationships())
    return ChangeDays(_Side.of(starts), _Side.of(ends))
