"""Two ways for a test to reach an app: in this process, or over real HTTP.

Most API tests ask a question and read the answer; a socket adds nothing to that, so they use
:func:`in_process`: httpx's own ASGI transport, driven from the test's thread. Tests of what
only a real server shows (uploads beside reads, attacks and a client that hangs up, the served
reference graph, Neo4j behind the API, the browser) use :func:`served`: uvicorn on a free
127.0.0.1 port.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import anyio.from_thread
import httpx
import uvicorn
from anyio.from_thread import BlockingPortal
from fastapi import FastAPI


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """Yield the base URL of ``app`` served on loopback; stop the server on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@contextmanager
def in_process(app: FastAPI) -> Iterator[httpx.Client]:
    """Yield a (synchronous) httpx client that calls ``app`` in this process, with no socket.

    A server error comes back as a 500 response, as over HTTP, rather than as the exception.
    """
    with anyio.from_thread.start_blocking_portal() as portal:
        asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        transport = _PortalTransport(asgi, portal)
        with httpx.Client(transport=transport, base_url="http://in-process") as c:
            yield c


class _PortalTransport(httpx.BaseTransport):
    """httpx's ASGI transport is asynchronous; this runs each request on one event loop thread
    (as uvicorn would) and hands the read response back to the synchronous client."""

    def __init__(self, asgi: httpx.ASGITransport, portal: BlockingPortal) -> None:
        self._asgi, self._portal = asgi, portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            body = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=body)

        return self._portal.call(send)
