"""Persisted queries: the documents this server knows before anyone asks them, and the fast
path that answers them.

Why: the flagship questions (a building's coverage, a responsibility chain, the gaps) are asked
with the same few documents over and over: the ready-made queries in ``docs/queries/``, the web
console's queries, and any an operator registers. Each is parsed, validated and compiled
(:mod:`api.compiled`) once, at start; a request then skips parsing, validation and
graphql-core's per-field work, and its answer is serialised with orjson.

A request names a registered document by sending its text (recognised by its SHA-256), by the
Apollo convention ``extensions.persistedQuery.sha256Hash``, or by ``documentId``
(``sha256:<hex>`` or the bare hex). An unknown hash is an error that says so; a hash sent with a
text that does not match it is refused. Any other request takes the ordinary path.

Every rule of the ordinary path holds on this one, because on anything but a clean success it
*is* the ordinary path: the caller's identity and role (:func:`api.identity.check_access`), the
cost of the operation with this request's variables (:mod:`api.query_cost`, since ``first``
may come in a variable), the time limit and the client's disconnect (:mod:`api.execution`),
the audit of personal reads (``GraphContext.finish``) and the response cache's keying (it sits
outside, on the request body as sent). A refusal, a variable that does not coerce, a resolver
error: the request is handed, unchanged but for the document's text, to strawberry, which
answers it as it answers any request.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Awaitable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)
from graphql.language import Lexer, Source, TokenKind
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.types import ExecutionResult

from api import inline
from api.compiled import Compiler, Fallback, NotCompilable, Plan, awaitable
from api.context import GraphContext
from api.execution import run_off_loop
from api.gate import identity_of, replay_body
from api.identity import ANONYMOUS, AccessDenied, TokenBook, check_access
from api.inline import Offload
from api.limits import DEFAULT_FIRST
from api.query_cost import measure
from api.state import ApiState
from api.workers import Workers
from graph.bulk import gc_paused
from graph.errors import GridGraphError

ROOT = Path(__file__).resolve().parent.parent
DOCS_QUERIES = ROOT / "docs" / "queries"
CONSOLE_WEB = Path(__file__).resolve().parent / "console" / "web"


class PersistedQueryError(GridGraphError):
    """A registered document that does not parse or validate against the schema."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _token_count(text: str) -> int:
    lexer = Lexer(Source(text))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


@dataclass(eq=False)
class Registered:
    """One registered document: its text, where it came from, and its compiled operations."""

    text: str
    origin: str
    document: DocumentNode
    tokens: int
    plans: dict[str | None, Plan | None] = field(default_factory=dict)
    #: whether the cost depends on the request's variables (a ``first: $n``)
    variable_cost: bool = True
    fixed_cost: Any = None


class Registry:
    """Registered documents by the SHA-256 of their text, each parsed and validated once."""

    def __init__(self, strawberry_schema: Any, keep_renderings: bool = True) -> None:
        self.compiler = Compiler(strawberry_schema, keep_renderings)
        self.schema = strawberry_schema._schema
        self.documents: dict[str, Registered] = {}
        self.hits = 0  # requests answered from a compiled plan
        self.fallbacks = 0  # registered, but answered by the ordinary path
        self.inline = 0  # of the hits, answered on the event loop itself (api.inline)

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, digest: str) -> Registered | None:
        return self.documents.get(digest.lower())

    def register(self, text: str, origin: str) -> str:
        """Register ``text`` (from ``origin``, a file name for errors); returns its hash."""
        digest = sha256(text)
        if digest in self.documents:
            return digest
        try:
            document = parse(text)
        except GraphQLError as e:
            raise PersistedQueryError(
                f"{origin}: the persisted query does not parse: {e.message} "
                f"(持久化查询无法解析: {origin})"
            ) from e
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if any(op.operation != OperationType.QUERY for op in operations):
            raise PersistedQueryError(
                f"{origin}: a persisted document holds queries only, no mutation or "
                f"subscription (持久化文档只能包含查询: {origin})"
            )
        errors = validate(self.schema, document)
        if errors:
            raise PersistedQueryError(
                f"{origin}: the persisted query does not validate against the schema: "
                f"{errors[0].message} (持久化查询与模式不符: {origin})"
            )
        entry = Registered(text, origin, document, _token_count(text))
        names = [op.name.value if op.name else None for op in operations]
        for name in names:
            entry.plans[name] = self._compile(document, name)
        entry.variable_cost = bool(re.search(r"\bfirst\s*:\s*\$", text))
        if not entry.variable_cost:
            entry.fixed_cost = {
                name: measure(self.schema, document, name, {}, DEFAULT_FIRST) for name in names
            }
        if len(names) == 1:
            entry.plans.setdefault(None, entry.plans[names[0]])
            if entry.fixed_cost is not None:
                entry.fixed_cost.setdefault(None, entry.fixed_cost[names[0]])
        self.documents[digest] = entry
        return digest

    def _compile(self, document: DocumentNode, name: str | None) -> Plan | None:
        try:
            return self.compiler.compile(document, name)
        except NotCompilable:
            return None

    def register_files(self, paths: Iterable[Path]) -> None:
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise PersistedQueryError(
                    f"{path}: cannot read the persisted query: {e} (无法读取持久化查询: {path})"
                ) from e
            self.register(text, str(path))


def console_queries(web: Path = CONSOLE_WEB) -> list[tuple[str, str]]:
    """(origin, text) of each query the console sends: the template literals of its scripts
    that start a query, with the file's plain string constants (``const UNIT = "…"``) put in
    as the browser puts them in. Mutations and literals built from other values are left out
    (an upload is multipart, never persisted)."""
    out = []
    for path in sorted(web.rglob("*.js")):
        source = path.read_text(encoding="utf-8")
        constants = dict(re.findall(r'^const (\w+) = "([^"\\]*)";$', source, re.M))
        for m in re.finditer(r"`(query\b[^`]*)`", source):
            text = m.group(1)
            for name, value in constants.items():
                text = text.replace("${" + name + "}", value)
            if "${" not in text:
                out.append((f"{path.relative_to(web.parent.parent.parent)}", text))
    return out


def build_registry(
    strawberry_schema: Any, extra_dir: Path | None, keep_renderings: bool = True
) -> Registry:
    """The documents of ``docs/queries/``, the console's queries and ``extra_dir/*.graphql``."""
    registry = Registry(strawberry_schema, keep_renderings)
    if DOCS_QUERIES.is_dir():
        registry.register_files(sorted(DOCS_QUERIES.glob("*.graphql")))
    for origin, text in console_queries():
        registry.register(text, origin)
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise PersistedQueryError(
                f"{extra_dir}: GRIDGRAPH_PERSISTED_QUERIES_DIR is not a folder "
                f"(持久化查询目录不存在: {extra_dir})"
            )
        registry.register_files(sorted(extra_dir.glob("*.graphql")))
    return registry


# -- the HTTP fast path -------------------------------------------------------------------------
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
_FALLBACK = ExecutionResult(data=None, errors=None)


def _error_body(message: str, code: str) -> bytes:
    error = {"message": message, "extensions": {"code": code}}
    return orjson.dumps({"data": None, "errors": [error]})


class PersistedQueries:
    """ASGI middleware in front of the GraphQL router: answers registered documents from their
    compiled plans; hands everything else (and every request that is not a clean success) to
    the router with the document's text in place of its hash."""

    def __init__(
        self,
        app: ASGIApp,
        registry: Registry,
        state: ApiState,
        book: TokenBook,
        workers: Workers,
        compiled: bool = True,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.registry = registry
        self.state = state
        self.book = book
        self.workers = workers
        self.compiled = compiled
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"].rstrip("/") != self.path
            or not dict(scope["headers"]).get(b"content-type", b"").startswith(b"application/json")
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_all(receive)
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            payload = None
        if not isinstance(payload, dict):
            await self.app(scope, replay_body(body, receive), send)
            return
        query = payload.get("query")
        digest = _requested_hash(payload)
        entry: Registered | None = None
        if digest is not None:
            if isinstance(query, str) and sha256(query) != digest.lower():
                await _answer(send, 400, _error_body(
                    "the query's text does not match the persisted query hash sent with it "
                    "(查询文本与持久化查询哈希不符)", MISMATCH))  # fmt: skip
                return
            entry = self.registry.get(digest)
            if entry is None and not isinstance(query, str):
                await _answer(send, 200, _error_body(
                    f"no persisted query has the hash {digest!r} on this server: send the "
                    "query's text, or register it (GRIDGRAPH_PERSISTED_QUERIES_DIR) "
                    "(未找到该哈希对应的持久化查询)", NOT_FOUND))  # fmt: skip
                return
            # the text and its hash, or a registered hash alone: the router gets the text
            # (a client's text is never registered: the registry is the operator's)
            rewritten = {k: v for k, v in payload.items() if k != "documentId"}
            rewritten["query"] = entry.text if entry is not None else query
            extensions = rewritten.get("extensions")
            if isinstance(extensions, dict):
                rest = {k: v for k, v in extensions.items() if k != "persistedQuery"}
                if rest:
                    rewritten["extensions"] = rest
                else:
                    rewritten.pop("extensions")
            body = orjson.dumps(rewritten)
        elif isinstance(query, str):
            entry = self.registry.get(sha256(query))
        if entry is None or not self.compiled:
            await self.app(scope, replay_body(body, receive), send)
            return
        answer = await self._compiled(scope, receive, entry, payload)
        if answer is None:
            self.registry.fallbacks += 1
            await self.app(scope, replay_body(body, receive), send)
            return
        self.registry.hits += 1
        await _answer(send, 200, answer)

    def _context(self, scope: Scope, receive: Receive) -> GraphContext:
        context = GraphContext(self.state)
        context.request = Request(scope, receive)
        context.response = Response()
        return context

    async def _compiled(
        self, scope: Scope, receive: Receive, entry: Registered, payload: dict[str, Any]
    ) -> bytes | None:
        """The answer's bytes from the compiled plan, or None: take the ordinary path."""
        name = payload.get("operationName")
        variables = payload.get("variables")
        if (name is not None and not isinstance(name, str)) or (
            variables is not None and not isinstance(variables, dict)
        ):
            return None
        plan = entry.plans.get(name)
        settings = self.state.settings
        if plan is None or entry.tokens > settings.max_tokens:
            return None
        identity = identity_of(scope) or ANONYMOUS
        try:
            check_access(self.book, identity, False)
        except AccessDenied:
            return None
        if entry.variable_cost:
            page = min(DEFAULT_FIRST, settings.max_page_size)
            m = measure(self.registry.schema, entry.document, name, variables, page)
        else:
            m = entry.fixed_cost[name]
        if (
            m.depth > settings.max_query_depth
            or m.aliases > settings.max_aliases
            or m.cost > settings.max_query_cost
        ):
            return None
        try:
            coerced = plan.variables(variables)
        except Fallback:
            return None
        if plan.inline:
            context = self._context(scope, receive)
            try:
                data = await _inline(plan, context, coerced)
            except Fallback:
                return None
            except Offload:  # more than was at hand: a worker thread runs it from the start
                pass
            else:
                self.registry.inline += 1
                context.finish()  # the audit trail: personal data and people it read
                return orjson.dumps({"data": data})
        context = self._context(scope, receive)

        # a whole-graph report runs with the collector paused, as on the ordinary path
        # (api.limits.QueryBounds.on_execute)
        paused = gc_paused if m.whole else nullcontext

        async def finish(pending: Awaitable[Any]) -> ExecutionResult:
            with paused():
                try:
                    data = await pending
                except Fallback:
                    return _FALLBACK
            return ExecutionResult(data=data, errors=None)

        def run() -> ExecutionResult | Awaitable[ExecutionResult]:
            with paused():
                try:
                    out = plan.start(context, coerced)  # no event loop unless one awaits
                except Fallback:
                    return _FALLBACK
            if awaitable(out):
                return finish(out)
            return ExecutionResult(data=out, errors=None)

        result = await run_off_loop(run, context.deadline, self.workers, receive)
        if result is _FALLBACK:
            return None
        context.finish()  # the audit trail: personal data and people this request read
        if result.errors:  # stopped: the time limit, or the client went away
            return orjson.dumps({"data": None, "errors": [e.formatted for e in result.errors]})
        return orjson.dumps({"data": result.data})


async def _inline(plan: Plan, context: GraphContext, variables: Any) -> Any:
    """The plan's ``data`` run on the event loop (:mod:`api.inline`): :class:`Offload` as
    soon as it needs more than is at hand, :class:`Fallback` as on any path."""
    token = inline.enter()
    try:
        out = plan.start(context, variables, time.perf_counter() + inline.BUDGET)
        if awaitable(out):
            out = await out
        return out
    finally:
        inline.leave(token)


def _requested_hash(payload: dict[str, Any]) -> str | None:
    extensions = payload.get("extensions")
    if isinstance(extensions, dict):
        persisted = extensions.get("persistedQuery")
        if isinstance(persisted, dict) and isinstance(persisted.get("sha256Hash"), str):
            return str(persisted["sha256Hash"])
    document_id = payload.get("documentId")
    if isinstance(document_id, str):
        return document_id.removeprefix("sha256:")
    return None


async def _read_all(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
