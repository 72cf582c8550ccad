"""What changed between two versions of a store, so that an answer kept for the older version
(a gap report, a search index) is brought forward by the records that changed instead of being
computed again over the whole graph.

Why the records *before*: a reader holding an answer needs to know what each changed record
was (a deleted link's ends and dates are gone from the store) as well as what it is now (which
it reads from the store itself).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from graph.model import Node, Relationship


@dataclass(frozen=True)
class Changes:
    """Every record put or deleted after version :attr:`since` up to :attr:`until`, each with
    what it was at :attr:`since` (None: it did not exist then). What it is now, the store says."""

    since: int
    until: int
    nodes: Mapping[str, Node | None]
    relationships: Mapping[str, Relationship | None]

    def __len__(self) -> int:
        return len(self.nodes) + len(self.relationships)


class ChangeJournal:
    """The last versions' changes, oldest dropped first, within a budget of records.

    A store records each version it moves to (:meth:`record`) with the records it replaced;
    a reload from scratch (:meth:`forget`) leaves nothing known before it."""

    #: Records kept at most over all versions: a bulk load larger than this is not kept at all
    #: (readers compute their answers again, which a bulk load's size makes cheaper anyway).
    KEEP_RECORDS = 100_000
    #: Versions kept at most.
    KEEP_VERSIONS = 64

    def __init__(self, version: int = 0) -> None:
        self._entries: deque[
            tuple[int, Mapping[str, Node | None], Mapping[str, Relationship | None]]
        ] = deque()
        self._records = 0
        self._oldest = version  # the oldest version changes can be told from

    def fits(self, records: int) -> bool:
        """Whether a change of ``records`` records is worth keeping (ask before copying them)."""
        return records <= self.KEEP_RECORDS

    def record(
        self,
        version: int,
        nodes: Mapping[str, Node | None],
        relationships: Mapping[str, Relationship | None],
    ) -> None:
        """The store moved to ``version``, replacing ``nodes`` and ``relationships`` (as they
        were before; None: new). A change that does not :meth:`fit` leaves nothing known
        before ``version``."""
        size = len(nodes) + len(relationships)
        if not self.fits(size):
            self.forget(version)
            return
        self._entries.append((version, nodes, relationships))
        self._records += size
        while self._entries and (
            self._records > self.KEEP_RECORDS or len(self._entries) > self.KEEP_VERSIONS
        ):
            dropped, n, r = self._entries.popleft()
            self._records -= len(n) + len(r)
            self._oldest = dropped

    def forget(self, version: int) -> None:
        """Nothing is known before ``version`` (the graph was read again whole)."""
        self._entries.clear()
        self._records = 0
        self._oldest = version

    def since(self, version: int, now: int) -> Changes | None:
        """The changes from ``version`` up to ``now`` (the store's current version), or None
        when they are not known (too old, or a version this store never had)."""
        if version < self._oldest or version > now:
            return None
        nodes: dict[str, Node | None] = {}
        rels: dict[str, Relationship | None] = {}
        for at, before_nodes, before_rels in self._entries:
            if at <= version:
                continue
            for nid, node in before_nodes.items():
                nodes.setdefault(nid, node)  # the earliest record is the one at ``version``
            for rid, rel in before_rels.items():
                rels.setdefault(rid, rel)
        return Changes(version, now, nodes, rels)
