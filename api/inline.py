"""Answers already at hand are given on the event loop itself; anything more runs in a worker.

Why: handing a request to a worker thread and back (:mod:`api.execution`) costs a queue put, a
thread woken on another core with cold caches, and a wake-up of the loop: on this machine as
much again as a compiled plan walking a kept answer (a building's coverage, a chain), which is
what apps ask over and over. A root field whose resolver is marked :func:`inline_when_kept`
answers a repeat from what is kept per store version, in microseconds; a compiled plan whose
every root field is marked (:mod:`api.compiled`) is first tried right on the loop.

While a request runs inline, anything that could take long raises :class:`Offload` instead:
a store call (:class:`api.execution.GuardedStore`), a DataLoader (:class:`api.context.
GraphContext`), computing a kept answer or waiting for another request's
(:class:`api.state.VersionedCache`), and a resolver that awaits, a plan past :data:`BUDGET` or
a list longer than :data:`MAX_ITEMS` (:mod:`api.compiled`). The request then runs again from
its start in a worker thread, with a new context, exactly as it would have: nothing a request
does is written anywhere before its answer (the audit trail is written at the end), so a run
given up leaves nothing behind but what it found in caches.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: the longest an inline run may take before it is given to a worker thread (seconds)
BUDGET = 0.002
#: the longest list an inline run completes (a longer one is a report: a worker thread's job)
MAX_ITEMS = 500
MARK = "_gridgraph_inline"

_inline: ContextVar[bool] = ContextVar("gridgraph_inline", default=False)


class Offload(Exception):
    """This request needs more than is at hand: run it again in a worker thread."""


def running_inline() -> bool:
    return _inline.get()


def offload_if_inline(what: str) -> None:
    """Raise :class:`Offload` when the request runs on the event loop."""
    if _inline.get():
        raise Offload(what)


def enter() -> Any:
    """Mark the current context as running inline; returns the token :func:`leave` takes."""
    return _inline.set(True)


def leave(token: Any) -> None:
    _inline.reset(token)


def inline_when_kept(resolver: F) -> F:
    """Mark a root resolver whose repeated answer is a look-up of what is kept per store
    version, and whose first answer reaches the store only through the request's context (so
    that an inline run of it offloads rather than computes). What it returns is that kept
    value itself, never changed once kept: a compiled plan may keep its JSON with it
    (:func:`api.compiled._kept`)."""
    setattr(resolver, MARK, True)
    return resolver


def marked(resolver: Any) -> bool:
    return bool(getattr(resolver, MARK, False))
