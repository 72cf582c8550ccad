"""Keeping Python's cyclic garbage collector from pausing a serving process.

Why: the loaded graph is millions of long-lived objects (nodes, relationships, their property
dicts, networkx's adjacency dicts). A full collection walks every one of them: about 12 s per
pass at province scale (15 M objects), and whole-graph work (a day's first gaps report)
allocates enough to trigger such passes again and again. Nothing in the loaded graph ever needs
the collector — reference counting frees it when a reload replaces it — so the serving process
moves it into the collector's permanent generation (:func:`gc.freeze`) once it is loaded, and
again after every reload; only each request's own short-lived objects are ever scanned.

Bulk work in such a process (a load, a whole-graph report) runs with the collector paused and
freezes what it leaves alive when the pause ends, for the same reason: the first collection
after a pause would otherwise walk every object the work allocated and kept.

Only for serving processes (``gridgraph serve`` and each of its workers): a frozen object that
later becomes cyclic garbage is not collected until the next unfreeze, which is what a reload
does first (:func:`refreeze`).
"""

from __future__ import annotations

import gc
from typing import Any

from graph.bulk import freeze_survivors_of_pauses


def refreeze() -> None:
    """Collect what the last freeze kept (an old graph a reload replaced), then freeze the rest."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def settle_for_serving(store: Any) -> None:
    """Freeze the loaded store for the collector now and after each reload of it, and what
    each paused stretch of bulk work leaves alive (:func:`graph.bulk.gc_paused`)."""
    refreeze()
    freeze_survivors_of_pauses()
    hooks = getattr(store, "after_reload", None)
    if isinstance(hooks, list) and refreeze not in hooks:
        hooks.append(refreeze)
