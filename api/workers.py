"""The threads that run requests' GraphQL off the event loop: at most ``size`` at once.

Why not ``anyio.to_thread``: its hop (a capacity limiter, a worker queue, cancel scopes and
checkpoints, then ``asyncio.wait`` on the result) cost about 0.1 ms per request here, a third
of a whole no-op POST, and a compiled answer is only a few times that. Here a request is one
queue put, and its answer one ``call_soon_threadsafe`` back to the loop that waits for it.

Threads start when work waits and none is idle, and end after ``idle`` seconds without work
(an app made for a test leaves none behind for long). They are daemon threads: work a request
abandoned (its time limit passed, its client hung up) must not hold up the process's exit,
and it stops at its next store call anyway (:class:`api.execution.Deadline`).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any

Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.done():  # answered already: the time limit, the client gone, a cancel
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)


class Workers:
    """A pool of up to ``size`` threads, each running one job at a time."""

    def __init__(self, size: int, idle: float = 10.0, name: str = "graphql") -> None:
        if size < 1:
            raise ValueError("a pool needs at least one thread")
        self.size = size
        self.idle = idle
        self.name = name
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0
        self._waiting = 0  # jobs put, not yet taken

    @property
    def threads(self) -> int:
        """How many threads the pool has now."""
        return self._threads

    def submit(
        self, fn: Callable[[], Any], loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any]
    ) -> None:
        """Run ``fn()`` in a worker thread; its result (or exception) settles ``future`` on
        ``loop``, unless the future is done by then."""
        self._jobs.put((fn, loop, future))
        with self._lock:
            self._waiting += 1
            start = self._waiting > self._idle and self._threads < self.size
            if start:
                self._threads += 1
        if start:
            threading.Thread(target=self._work, name=f"{self.name}-worker", daemon=True).start()

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            try:
                fn, loop, future = self._jobs.get(timeout=self.idle)
            except queue.Empty:
                with self._lock:
                    self._idle -= 1
                    if self._waiting == 0:  # nothing came meanwhile: this thread ends
                        self._threads -= 1
                        return
                continue
            with self._lock:
                self._idle -= 1
                self._waiting -= 1
            value, error = None, None
            try:
                value = fn()
            except BaseException as e:  # the awaiting request raises it
                error = e
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits for it
                loop.call_soon_threadsafe(_settle, future, value, error)
            del fn, future, value, error
