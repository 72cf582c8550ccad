# mypy: disable-error-code="valid-type, attr-defined, return-value, arg-type, call-overload, misc"
# (strawberry types built at run time from the ontology, and resolvers that return domain
# dataclasses for strawberry to read: sound at run time, opaque to a static checker)
"""Root fields to reach nodes: by id, by ids, by text (names, aliases, pinyin), and counts."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.context import GraphContext
from api.limits import check_page_size
from api.search import search_nodes
from api.types import Kind, Node, wrap


@strawberry.type
class Query:
    @strawberry.field(description="The node with this global id, or null (按标识取节点)")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        ctx: GraphContext = info.context
        found = await ctx.nodes().load(str(id))
        return wrap(found) if found is not None else None

    @strawberry.field(
        description="The nodes with these ids, in the order asked, null where unknown (批量取节点)"
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        ctx: GraphContext = info.context
        check_page_size(len(ids), ctx.settings, "ids")
        found = await ctx.nodes().load_many([str(i) for i in ids])
        return [wrap(n) if n is not None else None for n in found]

    @strawberry.field(
        description="Nodes whose name or an alias contains the text; latin letters also match "
        "the pinyin or its initials (e.g. 'liyang' or 'lysq' finds 黎阳社区). Exact matches "
        "first (搜索)"
    )
    def search(
        self,
        info: Info,
        text: Annotated[str, strawberry.argument(description="Chinese text, pinyin or initials")],
        kinds: Annotated[
            list[Kind] | None,
            strawberry.argument(description="Only nodes of these kinds (default: all)"),
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many at most")] = 20,
    ) -> list[Node]:
        ctx: GraphContext = info.context
        check_page_size(first, ctx.settings)
        kind_names = [k.value for k in kinds] if kinds else None
        return [wrap(n) for n in search_nodes(ctx.state, text, kind_names, first)]

    @strawberry.field(description="Nodes per kind and relationships per type (节点与关系计数)")
    def counts(self, info: Info) -> JSON:
        ctx: GraphContext = info.context
        c = ctx.store.counts()
        result: dict[str, Any] = {"nodes": c.nodes, "relationships": c.relationships}
        return result
