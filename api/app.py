"""The FastAPI application: GraphQL at /graphql, health at /healthz.

Minimal for now: the full planner and app schema is built in its own modules.
"""

from __future__ import annotations

import strawberry
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter
from strawberry.scalars import JSON
from strawberry.types import Info

from graph.contract import GraphStore


@strawberry.type
class Query:
    @strawberry.field(description="Nodes per kind and relationships per type (节点与关系计数).")
    def counts(self, info: Info) -> JSON:
        store: GraphStore = info.context["store"]
        c = store.counts()
        return {"nodes": c.nodes, "relationships": c.relationships}  # type: ignore[return-value]


def create_app(store: GraphStore) -> FastAPI:
    """An app serving ``store``; the caller owns the store's lifetime."""
    schema = strawberry.Schema(query=Query)

    async def context() -> dict[str, object]:
        return {"store": store}

    app = FastAPI(title="gridgraph")
    app.include_router(GraphQLRouter(schema, context_getter=context), prefix="/graphql")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "store": store.name}

    return app
