"""Pausing Python's cyclic garbage collector around bulk work, safely across threads."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"holders": 0, "was_enabled": True, "freeze_survivors": False}


def freeze_survivors_of_pauses(on: bool = True) -> None:
    """In a serving process (:mod:`graph.collector`): when the last pause ends, move what it
    left alive (a load's new records, a cached whole-graph answer) into the collector's
    permanent generation, so that the first collection after the pause does not scan it all."""
    with _lock:
        _state["freeze_survivors"] = on


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while bulk work runs.

    Loading and committing allocate hundreds of thousands of small, long-lived, acyclic objects
    (rows, nodes, relationships); the collector would rescan them again and again, a third of
    the time of a large load. Reference counting still frees everything. Pauses nest and may
    overlap across threads: the last one to finish puts the collector back as it found it.
    """
    with _lock:
        if _state["holders"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["holders"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["holders"] -= 1
            if _state["holders"] == 0:
                if _state["freeze_survivors"]:
                    gc.freeze()
                if _state["was_enabled"]:
                    gc.enable()
