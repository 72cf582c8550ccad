"""GraphQL runs off the event loop, within a time limit, and stops when its client hangs up.

Why: resolvers and store reads are plain Python; run on the event loop, one slow request
(a whole-graph report, a deep query) would stall every other request, ``/healthz`` included.
Each request's execution runs in a worker thread with an event loop of its own (DataLoaders
batch as before); the server's loop only waits for it, watching the clock and the client.

The time limit is cooperative: :class:`Deadline` is checked on every store call the request
makes (:class:`GuardedStore`) and in every DataLoader batch, so the work stops within one store
call of the limit or of the client disconnecting; the client gets its answer (an error) at the
limit itself. Mutations are admin work (a 200,000-row load takes longer than any read should)
and are not held to the limit.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from graph.contract import GraphStore
from graph.errors import GridGraphError

T = TypeVar("T")
POLL_SECONDS = 0.05  # how often the server's loop looks at the clock and the client


class RequestStopped(GridGraphError):
    """A request ran past its time limit, or its client went away."""


class Deadline:
    """When a request must stop; ``check`` raises once it has passed or was cancelled."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.armed = True
        self.reason: str | None = None

    def disarm(self) -> None:
        """No limit for this request (mutations)."""
        self.armed = False

    def expired(self) -> bool:
        return self.armed and time.monotonic() > self.at

    def cancel(self, reason: str) -> None:
        self.reason = reason

    def check(self) -> None:
        if self.reason is not None:
            raise RequestStopped(self.reason)
        if self.expired():
            self.reason = self.message()
            raise RequestStopped(self.reason)

    def message(self) -> str:
        return (
            f"the request ran longer than the time limit of {self.seconds:g} s and was stopped: "
            "ask for less (a smaller page, fewer aliases) (请求超时)"
        )


class GuardedStore:
    """The store as one request sees it: every call first checks the request's deadline."""

    def __init__(self, store: GraphStore, deadline: Deadline) -> None:
        self._store = store
        self._deadline = deadline

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value):
            return value
        deadline = self._deadline

        def guarded(*args: Any, **kwargs: Any) -> Any:
            deadline.check()
            return value(*args, **kwargs)

        return guarded


_local = threading.local()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """One event loop per worker thread, reused by the requests that thread runs."""
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = _local.loop = asyncio.new_event_loop()
    return loop


async def run_off_loop(
    make: Callable[[], Awaitable[ExecutionResult]],
    deadline: Deadline,
    limiter: anyio.CapacityLimiter,
    disconnected: Callable[[], Awaitable[bool]] | None,
) -> ExecutionResult:
    """Run the coroutine ``make()`` builds in a worker thread; answer with an error at the
    deadline or when ``disconnected()`` says the client left, and stop the work there."""

    def run() -> ExecutionResult:
        if deadline.reason is not None:  # stopped while it waited for a thread
            return _stopped(deadline.reason)
        loop = _thread_loop()
        result = loop.run_until_complete(make())
        if deadline.reason is not None:
            return _stopped(deadline.reason)
        return result

    task = asyncio.ensure_future(anyio.to_thread.run_sync(run, limiter=limiter,
                                                          abandon_on_cancel=True))  # fmt: skip
    while True:
        done, _ = await asyncio.wait({task}, timeout=POLL_SECONDS)
        if done:
            return task.result()
        if deadline.expired():
            deadline.cancel(deadline.message())
        elif disconnected is not None and await disconnected():
            deadline.cancel("the client disconnected: the request was stopped")
        if deadline.reason is not None:
            task.cancel()
            return _stopped(deadline.reason)


def _stopped(reason: str) -> ExecutionResult:
    return ExecutionResult(
        data=None, errors=[GraphQLError(reason, extensions={"code": "REQUEST_STOPPED"})]
    )
