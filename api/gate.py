"""The gate in front of GraphQL: who is asking, and how much they send, before anything parses.

An ASGI middleware, outermost, so that a refused request costs almost nothing: the failure
allowance (429), the caller's identity from the ``Authorization`` headers (400/401/403,
:mod:`api.identity`), whether anonymous reads are open (401), who may upload (multipart
requests are admin work: refused before the body is read), and the size of the query text and
variables (413 before the body is read whole). The identity goes into the request's state for
access control, the response cache and the audit trail to read.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.identity import (
    AccessDenied,
    FailureLimiter,
    Identity,
    TokenBook,
    check_access,
    resolve,
)
from graph.settings import Settings


def identity_of(scope: Scope) -> Identity | None:
    """The identity the gate resolved for this request (None if it did not run)."""
    state = scope.get("state") or {}
    found = state.get("identity")
    return found if isinstance(found, Identity) else None


def role_names(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())


class Gate:
    def __init__(
        self,
        app: ASGIApp,
        book: TokenBook,
        settings: Settings,
        failures: FailureLimiter,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.book = book
        self.settings = settings
        self.failures = failures
        self.path = path
        self.graphiql_roles = role_names(settings.graphiql_roles)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.failures.blocked(client)
        if wait is not None:
            await _refuse(send, AccessDenied(
                f"too many refused tokens from {client}: try again in {wait:.0f} s", 429
            ), {"retry-after": str(max(int(wait), 1))})  # fmt: skip
            return
        headers = scope["headers"]
        try:
            identity = resolve(
                self.book, [v.decode("latin-1") for k, v in headers if k == b"authorization"]
            )
        except AccessDenied as e:
            if e.status == 403:
                self.failures.failed(client)
            await _refuse(send, e)
            return
        try:
            self.check(scope, identity, dict(headers))
        except AccessDenied as e:
            await _refuse(send, e)
            return
        scope.setdefault("state", {})["identity"] = identity
        if scope["method"] == "POST" and not _is_multipart(dict(headers)):
            body, too_large = await _read_bounded(receive, self.settings.max_query_bytes)
            if too_large:
                await _refuse(send, _too_large(self.settings.max_query_bytes), status=413)
                return
            await self.app(scope, replay_body(body, receive), send)
            return
        await self.app(scope, receive, send)

    def check(self, scope: Scope, identity: Identity, headers: dict[bytes, bytes]) -> None:
        if identity.role is None and not self.book.reads_open:
            raise AccessDenied("this API needs a token: send 'Authorization: Bearer <token>'", 401)
        method = scope["method"]
        if method == "GET":
            query_string: bytes = scope.get("query_string", b"")
            if len(query_string) > self.settings.max_query_bytes:
                raise AccessDenied(_too_large(self.settings.max_query_bytes).args[0], 413)
            role = identity.role or "anonymous"
            browser = not query_string and b"text/html" in headers.get(b"accept", b"")
            if browser and role not in self.graphiql_roles:
                raise AccessDenied(
                    f"GraphiQL is not open to the {role} role on this server "
                    "(GRIDGRAPH_GRAPHIQL_ROLES)",
                    403,
                )
        elif method == "POST" and _is_multipart(headers):
            check_access(self.book, identity, mutation=True)  # an upload is a mutation
            length = headers.get(b"content-length")
            if length is not None and int(length or 0) > self.settings.max_upload_bytes:
                raise AccessDenied(
                    f"the upload is {int(length):,} bytes, above the limit of "
                    f"{self.settings.max_upload_bytes:,} (GRIDGRAPH_MAX_UPLOAD_BYTES)",
                    413,
                )


def _is_multipart(headers: dict[bytes, bytes]) -> bool:
    return headers.get(b"content-type", b"").startswith(b"multipart/")


def _too_large(limit: int) -> AccessDenied:
    return AccessDenied(
        f"the request is larger than {limit:,} bytes of query and variables, the limit "
        "(GRIDGRAPH_MAX_QUERY_BYTES) (请求过大)",
        413,
    )


async def _read_bounded(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The body, or True once it passes ``limit`` bytes (the rest is never read)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts), False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts), False


def replay_body(body: bytes, receive: Receive) -> Receive:
    """``receive`` for an app after a middleware read the body: the body once, then the
    client's own messages (so a disconnect still reaches the app)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(
    send: Send, error: AccessDenied, extra: dict[str, str] | None = None, status: int | None = None
) -> None:
    payload: dict[str, Any] = {
        "data": None,
        "errors": [{"message": str(error), "extensions": {"code": error.code}}],
    }
    body = orjson.dumps(payload)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if error.status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="gridgraph"'))
    for k, v in (extra or {}).items():
        headers.append((k.encode(), v.encode()))
    await send({"type": "http.response.start", "status": status or error.status,
                "headers": headers})  # fmt: skip
    await send({"type": "http.response.body", "body": body})
