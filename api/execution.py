"""GraphQL runs off the event loop, within a time limit, and stops when its client hangs up.

Why: resolvers and store reads are plain Python; run on the event loop, one slow request
(a whole-graph report, a deep query) would stall every other request, ``/healthz`` included.
Each request's execution runs in a worker thread (:mod:`api.workers`) with an event loop of
its own (DataLoaders batch as before); the server's loop only waits for it, watching the clock
and the client. The one exception is a compiled plan over answers already kept, which runs on
the loop itself and gives way to a worker as soon as it needs more (:mod:`api.inline`).

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
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from graphql import GraphQLError
from strawberry.types import ExecutionResult

from api.inline import Offload, running_inline
from api.workers import Workers
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
            if running_inline():  # the event loop makes no store call (api.inline)
                raise Offload(name)
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
    workers: Workers,
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

    loop = asyncio.get_running_loop()
    answer: asyncio.Future[ExecutionResult] = loop.create_future()

    def stop(reason: str) -> None:
        deadline.cancel(reason)
        if not answer.done():
            answer.set_result(_stopped(reason))

    def at_limit() -> None:
        if not deadline.armed:  # a mutation: no limit after all
            return
        if deadline.expired():
            stop(deadline.message())
        else:  # the loop's clock ran ahead of the deadline's: wait the rest
            timers.append(loop.call_later(max(deadline.at - time.monotonic(), 0), at_limit))

    async def gone() -> None:
        assert receive is not None
        while (await receive()).get("type") != "http.disconnect":
            pass
        stop("the client disconnected: the request was stopped")

    workers.submit(run, loop, answer)
    timers = [loop.call_later(max(deadline.at - time.monotonic(), 0), at_limit)]
    left = loop.create_task(gone()) if receive is not None else None
    try:
        return await answer
    except asyncio.CancelledError:  # the server stops this request: so does the work
        deadline.cancel("the request was cancelled")
        raise
    finally:
        for timer in timers:
            timer.cancel()
        if left is not None:
            left.cancel()


def _stopped(reason: str) -> ExecutionResult:
    return ExecutionResult(
        data=None, errors=[GraphQLError(reason, extensions={"code": "REQUEST_STOPPED"})]
    )
