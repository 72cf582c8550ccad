"""The FastAPI application: GraphQL (and GraphiQL in a browser) at /graphql, health at /healthz."""

from __future__ import annotations

from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from api.context import GraphContext
from api.limits import extensions_for
from api.response_cache import ResponseCache
from api.schema import build_schema
from api.state import ApiState
from graph.contract import GraphStore
from graph.settings import Settings, get_settings


def create_app(
    store: GraphStore, settings: Settings | None = None, *, response_cache: bool = True
) -> FastAPI:
    """An app serving ``store``; the caller owns the store's lifetime.

    ``settings`` bounds what a request may ask (depth, aliases, tokens, page size); default:
    the environment's settings. ``response_cache`` keeps answers per store version
    (:mod:`api.response_cache`).
    """
    settings = settings or get_settings()
    state = ApiState(store, settings)
    schema = build_schema(extensions_for(settings))

    async def context() -> GraphContext:
        return GraphContext(state)

    app = FastAPI(
        title="gridgraph",
        description="Who governs what in grid-based community governance (Qibin District).",
    )
    router: GraphQLRouter[GraphContext, None] = GraphQLRouter(
        schema, context_getter=context, graphql_ide="graphiql"
    )
    app.include_router(router, prefix="/graphql")
    app.state.gridgraph = state
    if response_cache:
        app.add_middleware(ResponseCache, store=store)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "store": store.name}

    return app
