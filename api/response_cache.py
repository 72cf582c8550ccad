"""A response cache in front of GraphQL: the same query, variables and day, against the same
version of the data, gets the same bytes back without running GraphQL again.

Why: planners and apps ask the same questions over and over (a building's coverage, the
agreements that lapse this month), and executing a large GraphQL answer costs milliseconds of
pure Python; a cached answer costs about what any POST costs. Correct because the key holds
everything an answer depends on: the request body, the caller's identity as the gate
(:mod:`api.gate`) resolved it (role, name, scope: never a raw header), today's
date (``asOf`` defaults to it) and ``store.version()``, which changes on every write. Stores
that cannot tell their version are never cached; neither are mutations, errors or non-JSON
requests. A plain ASGI middleware, so a hit skips routing and strawberry altogether.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.gate import identity_of
from graph.contract import GraphStore


def _uncacheable(scope: Scope) -> bool:
    """Whether the request asked not to be cached (it read personal data, which is logged
    on every read)."""
    return bool((scope.get("state") or {}).get("no_cache"))


_NOT_CACHED = re.compile(rb"\b(mutation|subscription)\b")
MAX_ENTRIES = 2048
MAX_BODY = 64 * 1024
MAX_RESPONSE = 1024 * 1024

Key = tuple[bytes, bytes, str]


class ResponseCache:
    """ASGI middleware caching successful JSON GraphQL responses per store version."""

    def __init__(
        self,
        app: ASGIApp,
        store: GraphStore,
        path: str = "/graphql",
        today: Callable[[], date] = date.today,
    ) -> None:
        self.app = app
        self.store = store
        self.today = today  # the governed place's day (Settings.today), which asOf defaults to
        self.path = path
        self._lock = threading.Lock()
        self._version: int | None = None
        self._entries: OrderedDict[Key, tuple[int, list[tuple[bytes, bytes]], bytes]] = (
            OrderedDict()
        )
        self.hits = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"].rstrip("/") != self.path
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if not headers.get(b"content-type", b"").startswith(b"application/json"):
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        version = self.store.version() if complete else None
        cacheable = version is not None and not _NOT_CACHED.search(body)
        identity = identity_of(scope)
        cacheable = cacheable and identity is not None
        key: Key = (body, identity.key if identity else b"", self.today().isoformat())
        if cacheable:
            hit = self._get(key, version)
            if hit is not None:
                status, response_headers, payload = hit
                self.hits += 1
                await send({"type": "http.response.start", "status": status,
                            "headers": response_headers})  # fmt: skip
                await send({"type": "http.response.body", "body": payload})
                return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": not complete}
            return await receive()

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replay, capture if cacheable else send)
        if not cacheable or start.get("status") != 200 or _uncacheable(scope):
            return
        payload = b"".join(chunks)
        if len(payload) <= MAX_RESPONSE and b'"errors"' not in payload:
            self._put(key, version, (200, list(start.get("headers", [])), payload))

    def _get(self, key: Key, version: int | None) -> tuple[int, list[Any], bytes] | None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def _put(self, key: Key, version: int | None, entry: tuple[int, list[Any], bytes]) -> None:
        with self._lock:
            if version != self._version:
                return
            self._entries[key] = entry
            if len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request body; ``False`` when it is too large to be worth a cache entry (the part
    read so far is still replayed to the app, which reads the rest)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        parts.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(parts), True
        if size > MAX_BODY:
            return b"".join(parts), False
