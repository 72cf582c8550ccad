"""The FastAPI application: GraphQL (and GraphiQL in a browser) at /graphql, the web console at /,
health at /healthz."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from fastapi import FastAPI

from api.auth import AccessControl
from api.console import ConsoleGraphQLRouter, mount_console
from api.context import GraphContext
from api.gate import Gate
from api.identity import FailureLimiter, TokenBook
from api.limits import extensions_for
from api.persisted import PersistedQueries, build_registry
from api.response_cache import ResponseCache
from api.schema import build_schema
from api.state import ApiState
from api.workers import Workers
from graph.contract import GraphStore
from graph.settings import Settings, get_settings


def create_app(
    store: GraphStore, settings: Settings | None = None, *, response_cache: bool = True
) -> FastAPI:
    """An app serving ``store``; the caller owns the store's lifetime.

    ``settings`` bounds what a request may ask (depth, aliases, tokens, page size) and holds
    the admin and read tokens (:mod:`api.auth`); default: the environment's settings.
    ``response_cache`` keeps answers per store version (:mod:`api.response_cache`).
    """
    settings = settings or get_settings()
    # Requests execute in worker threads (api.execution); a shorter GIL switch interval than
    # the default 5 ms gives the event loop its turn sooner, so /healthz and refusals stay fast
    # while queries compute.
    sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))
    state = ApiState(store, settings)
    book = TokenBook(settings)
    state.reads_open = book.reads_open
    # Access control first: a refused request is neither validated nor run.
    schema = build_schema([lambda: AccessControl(settings, book), *extensions_for(settings)])
    schema.workers = Workers(settings.graphql_threads)  # off the event loop

    async def context() -> GraphContext:
        return GraphContext(state)

    app = FastAPI(
        title="gridgraph",
        description="Who governs what in grid-based community governance (Qibin District).",
    )
    router = ConsoleGraphQLRouter(  # GraphiQL from this server's own assets
        schema,
        context_getter=context,
        graphql_ide="graphiql",
        multipart_uploads_enabled=True,  # importFile: the GraphQL multipart request spec
    )
    app.include_router(router, prefix="/graphql")
    mount_console(app)
    app.state.gridgraph = state
    # inside the response cache: a cached answer never reaches it
    registry = app.state.persisted = build_registry(
        schema, settings.persisted_queries_dir, settings.keep_renderings
    )
    app.add_middleware(
        PersistedQueries, registry=registry, state=state, book=book, workers=schema.workers,
        compiled=settings.compiled_queries,
    )  # fmt: skip
    if response_cache:
        app.add_middleware(ResponseCache, store=store, today=settings.today)
    # outermost: who is asking and how much they send, before anything else reads the body
    failures = FailureLimiter(settings.failed_token_limit, settings.failed_token_window)
    app.add_middleware(Gate, book=book, settings=settings, failures=failures)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:  # on the event loop itself: answers while work runs
        return {"status": "ok", "store": store.name}

    return app


def serving_app(store: GraphStore, settings: Settings) -> FastAPI:
    """The app of a serving process: the loaded graph (and the schema) frozen for the
    collector, never scanned again, and in the background the search's pinyin worked out and
    today's gap report computed (again after each reload of the graph, when there is nothing
    to bring it forward from), so that the first latin search and the first planner to open
    the gaps do not wait for them (a province's report takes longer than a request may)."""
    from api.schema.chain import warm_gaps
    from api.search import warm_spellings
    from graph.collector import settle_for_serving

    app = create_app(store, settings)
    settle_for_serving(store)
    threading.Thread(target=warm_spellings, args=(store,), name="warm-search", daemon=True).start()
    state: ApiState = app.state.gridgraph
    gaps = Background(lambda: warm_gaps(state), "warm-gaps")
    gaps()
    hooks = getattr(store, "after_reload", None)
    if isinstance(hooks, list):
        hooks.append(gaps)
    return app


class Background:
    """``work`` run in one background thread at a time: asked again while it runs, it runs
    once more after (reloads in a row cost one report each at most, not a thread each)."""

    def __init__(self, work: Callable[[], object], name: str) -> None:
        self.work = work
        self.name = name
        self._lock = threading.Lock()
        self._running = self._again = False

    def __call__(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        threading.Thread(target=self._run, name=self.name, daemon=True).start()

    def _run(self) -> None:
        again = True
        try:
            while again:
                self.work()
                with self._lock:
                    again, self._again = self._again, False
                    self._running = again
        except BaseException:
            with self._lock:
                self._running = self._again = False
            raise


def app_from_environment() -> FastAPI:
    """An app over the store the environment names: the factory each ``serve --workers N``
    process calls; the store lives as long as the process."""
    from graph.stores import open_store

    settings = get_settings()
    return serving_app(open_store(settings), settings)
