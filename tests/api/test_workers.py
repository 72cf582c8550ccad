"""The worker threads GraphQL runs in: each job's answer (or error) reaches the loop that
waits for it, no more jobs run at once than the pool has threads, and idle threads end."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from api.workers import Workers


def test_answers_and_errors_reach_the_waiting_loop() -> None:
    workers = Workers(2)

    def fails() -> None:
        raise ValueError("no")

    async def main() -> tuple[object, str]:
        loop = asyncio.get_running_loop()
        ok, bad = loop.create_future(), loop.create_future()
        workers.submit(lambda: threading.current_thread().name, loop, ok)
        workers.submit(fails, loop, bad)
        with pytest.raises(ValueError, match="no"):
            await bad
        return await ok, threading.current_thread().name

    worker, here = asyncio.run(main())
    assert worker == "graphql-worker" and worker != here


def test_no_more_jobs_run_at_once_than_the_pool_has_threads() -> None:
    workers = Workers(2)
    running, most = 0, 0
    lock = threading.Lock()

    def job() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    async def main() -> None:
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in range(6)]
        for f in futures:
            workers.submit(job, loop, f)
        await asyncio.gather(*futures)

    asyncio.run(main())
    assert most == 2 and workers.threads == 2


def test_idle_threads_end_and_new_work_starts_one_again() -> None:
    workers = Workers(3, idle=0.05)

    async def one() -> int:
        loop = asyncio.get_running_loop()
        f = loop.create_future()
        workers.submit(lambda: 7, loop, f)
        return int(await f)

    assert asyncio.run(one()) == 7
    deadline = time.monotonic() + 5
    while workers.threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert workers.threads == 0
    assert asyncio.run(one()) == 7


def test_an_answer_the_request_no_longer_waits_for_is_dropped() -> None:
    """A request stopped at its time limit has its answer set already; the late one is not
    an error."""
    workers = Workers(1)

    async def main() -> object:
        loop = asyncio.get_running_loop()
        f = loop.create_future()
        f.set_result("stopped")
        done = threading.Event()
        workers.submit(lambda: done.set(), loop, f)
        await asyncio.to_thread(done.wait, 5)
        await asyncio.sleep(0.05)  # the worker's call_soon_threadsafe has run
        return f.result()

    assert asyncio.run(main()) == "stopped"
