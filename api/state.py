"""State shared by every request of one app: the store, the settings, caches per store version.

Why caches here and not in the store: answers such as a building's coverage or the pinyin
search index are derived from many store calls; keyed by ``store.version()`` they stay correct
after any write (a store that cannot tell its version gets no caching).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from api.inline import offload_if_inline
from graph.audit import trail_for
from graph.bulk import gc_paused
from graph.changes import Changes
from graph.contract import GraphStore
from graph.settings import Settings

T = TypeVar("T")


class VersionedCache:
    """A small LRU of derived answers, emptied whenever the store's data version changes.

    Answers are computed with the cyclic collector paused (:func:`graph.bulk.gc_paused`): a
    whole-graph report allocates millions of objects, each of which would otherwise trigger
    collection passes over everything alive; reference counting frees them all the same.

    One computation per key at a time: requests asking for an answer another request is
    computing wait for it instead of computing it again (two planners opening the gaps page of
    a province-scale graph cost one report, not two); if that computation fails, the next of
    them computes it."""

    #: Seconds between two calls of a waiting reader's ``waiting`` (:meth:`get_or_compute`).
    WAIT = 0.05

    def __init__(self, store: GraphStore, maxsize: int = 4096) -> None:
        self.store = store
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._version: int | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, tuple[threading.Event, int]] = {}
        # answers that can be brought forward to a new version (get_or_compute's ``carry``):
        # the last one made of each, with its version, kept when the version moves on
        self._carried: dict[Hashable, tuple[int, Any]] = {}
        self.carries = Counter[str]()
        """How answers asked with ``carry`` were made: ``carried`` or ``computed`` (tests)."""

    def _move_to(self, version: int) -> None:
        """Inside the lock: answers are only ever read back at their own version."""
        if version != self._version:
            self._items.clear()
            self._version = version

    def known(self, keys: Iterable[Hashable], version: int | None) -> dict[Hashable, Any]:
        """The answers kept for ``keys`` at store version ``version`` (read before asking):
        for callers that compute the rest in one batch and :meth:`keep` them."""
        with self._lock:
            if version is None or version != self._version:
                return {}
            found = {k: self._items[k] for k in keys if k in self._items}
            for key in found:
                self._items.move_to_end(key)
            return found

    def keep(self, answers: Mapping[Hashable, Any], version: int | None) -> None:
        """Keep ``answers`` computed at store version ``version``."""
        with self._lock:
            if version is None:
                return
            self._move_to(version)
            self._items.update(answers)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def get_or_compute(
        self,
        key: Hashable,
        compute: Callable[[], T],
        carry: Callable[[T, Changes], T | None] | None = None,
        waiting: Callable[[], None] | None = None,
    ) -> T:
        """The answer for ``key`` at the store's version, computed once.

        With ``carry``, the answer an earlier version had is brought forward instead, when the
        store can tell what changed since (:meth:`~graph.contract.GraphStore.changes_since`):
        ``carry(earlier, changes)`` gives the answer now, or None to compute it after all. It
        must read what changed from the store as it is (a change may be told twice).

        ``waiting`` is called every :attr:`WAIT` seconds while another thread computes the
        answer; it may raise to stop waiting (a request past its deadline: the computation
        goes on for the next reader)."""
        while True:
            version = self.store.version()
            if version is None:  # nothing is kept: computed every time, never on the loop
                offload_if_inline("an answer to compute")
                return compute()
            with self._lock:
                self._move_to(version)
                if key in self._items:
                    self._items.move_to_end(key)
                    value: T = self._items[key]
                    return value
                offload_if_inline("a kept answer to compute")  # nor wait for one
                running = self._running.get(key)
                if running is None or running[1] == threading.get_ident():
                    mine = threading.Event()
                    self._running[key] = (mine, threading.get_ident())
                    earlier = self._carried.get(key) if carry is not None else None
                    break
            # another request computes it: then look again
            while not running[0].wait(self.WAIT if waiting is not None else None):
                assert waiting is not None
                waiting()
        try:
            with gc_paused():  # whole-graph answers allocate a lot: no collection pass meanwhile
                carried = self._carry(carry, earlier) if carry is not None else None
                value = compute() if carried is None else carried
                if carry is not None:
                    self.carries["computed" if carried is None else "carried"] += 1
            with self._lock:
                if carry is not None:
                    self._carried[key] = (version, value)
                if self._version == version:
                    self._items[key] = value
                    if len(self._items) > self.maxsize:
                        self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                if self._running.get(key, (None,))[0] is mine:
                    del self._running[key]
            mine.set()

    def _carry(
        self, carry: Callable[[T, Changes], T | None], earlier: tuple[int, T] | None
    ) -> T | None:
        if earlier is None:
            return None
        changes = self.store.changes_since(earlier[0])
        return carry(earlier[1], changes) if changes is not None else None


class ApiState:
    """One per app: what outlives a request."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.reads_open = True  # set by create_app from the tokens it accepts
        self.audit = trail_for(settings, store)  # changes and personal reads (graph.audit)
        self.cache = VersionedCache(store)  # answers: coverage, shared agreements
        self.indexes = VersionedCache(store, maxsize=8)  # whole-graph indexes: pinyin
