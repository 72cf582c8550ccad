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
from asyncio import FIRST_COMPLETED
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import anyio
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from graph.contract import GraphStore
from graph.errors import GridGraphError

T = TypeVar("T")


class RequestStopped(GridGraphError):
    """A request ran past its time limit, or its client went away."""


class Deadline:
    """When a request must stop; ``check`` raises once it has passed or was cancelled."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.armed = True
        self.reason: str | None = None
        self.waited_for: str | None = None  # an answer another thread computes (waiting)

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

    def waiting(self, what: str) -> Callable[[], None]:
        """A check for a request waiting for ``what``, an answer another thread computes
        for everyone (a whole-graph report): stop at the deadline, saying what it waited for
        (the computation goes on and keeps its answer for the next ask)."""

        def check() -> None:
            self.waited_for = what
            self.check()

        return check

    def message(self) -> str:
        if self.waited_for is not None:
            return (
                f"the request ran longer than the time limit of {self.seconds:g} s and was "
                f"stopped while it waited for {self.waited_for}, which is being computed and "
                "will be kept: ask again in a moment (请求超时：结果正在计算，请稍后重试)"
            )
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
        # the thread's current loop: a compiled plan's synchronous pass (api.compiled) makes
        # DataLoaders before the loop runs, and they find it here
        asyncio.set_event_loop(loop)
    return loop


async def run_off_loop(
    make: Callable[[], Awaitable[ExecutionResult] | ExecutionResult],
    deadline: Deadline,
    limiter: anyio.CapacityLimiter,
    receive: Callable[[], Awaitable[Mapping[str, Any]]] | None,
) -> ExecutionResult:
    """Run the coroutine ``make()`` builds in a worker thread; answer with an error at the
    deadline or when the client disconnects (``receive`` yields ``http.disconnect``), and
    stop the work there. Nothing polls: the loop sleeps until one of the three happens.
    ``make`` may answer at once (a compiled plan that awaited nothing): then no loop runs."""

    def run() -> ExecutionResult:
        if deadline.reason is not None:  # stopped while it waited for a thread
            return _stopped(deadline.reason)
        loop = _thread_loop()
        made = make()
        result = made if isinstance(made, ExecutionResult) else loop.run_until_complete(made)
        if deadline.reason is not None:
            return _stopped(deadline.reason)
        return result

    async def gone() -> None:
        assert receive is not None
        while (await receive()).get("type") != "http.disconnect":
            pass

    task = asyncio.ensure_future(anyio.to_thread.run_sync(run, limiter=limiter,
                                                          abandon_on_cancel=True))  # fmt: skip
    left = asyncio.ensure_future(gone()) if receive is not None else None
    try:
        while True:
            waits: set[asyncio.Future[Any]] = {task} if left is None else {task, left}
            timeout = max(deadline.at - time.monotonic(), 0) if deadline.armed else None
            done, _ = await asyncio.wait(waits, timeout=timeout, return_when=FIRST_COMPLETED)
            if task in done:
                return task.result()
            if left is not None and left in done:
                deadline.cancel("the client disconnected: the request was stopped")
            elif deadline.expired():
                deadline.cancel(deadline.message())
            if deadline.reason is not None:
                task.cancel()
                return _stopped(deadline.reason)
    finally:
        if left is not None:
            left.cancel()


def _stopped(reason: str) -> ExecutionResult:
    return ExecutionResult(
        data=None, errors=[GraphQLError(reason, extensions={"code": "REQUEST_STOPPED"})]
    )
