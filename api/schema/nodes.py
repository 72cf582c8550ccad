"""Root fields to reach nodes: by id, by ids, by text (names, aliases, pinyin), and counts."""

from __future__ import annotations

import base64
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.context import GraphContext
from api.limits import check_page_size
from api.search import search_hits
from api.types import Kind, Node, wrap
from api.visibility import check_kind, logged_listing, visible_kinds
from graph.errors import GridGraphError

TEXT_HELP = "A code, Chinese text (simplified or traditional), pinyin or initials"
AFTER_HELP = "endCursor of the previous page"


@strawberry.type(description="One search result (搜索结果)")
class SearchHit:
    node: Node = strawberry.field(description="The node found (节点)")
    score: float = strawberry.field(
        description="How well it matched, 0 to 1: 1 its code or name, 0.95 an alias, 0.9 its "
        "pinyin, 0.8+ a name starting with the text, 0.6+ one containing it (匹配度)"
    )
    matched: str = strawberry.field(description="The code, name or alias it matched (匹配项)")


@strawberry.type(description="A page of search results (搜索结果页)")
class SearchResults:
    hits: list[SearchHit] = strawberry.field(description="Best first (结果)")
    end_cursor: str | None = strawberry.field(description="Pass as after for the next page")
    has_next_page: bool = strawberry.field(description="Whether more results follow (还有下一页)")


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"search:{offset}".encode()).decode()


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(after.encode()).decode()
        if text.startswith("search:") and text[7:].isdigit():
            return int(text[7:])
    except (ValueError, UnicodeDecodeError):
        pass
    raise GridGraphError(f"after: {after!r} is not a search cursor (不是搜索游标)")


TextArg = Annotated[str, strawberry.argument(description=TEXT_HELP)]
KindsArg = Annotated[
    list[Kind] | None, strawberry.argument(description="Only nodes of these kinds (default: all)")
]
FirstArg = Annotated[int, strawberry.argument(description="How many at most")]
AfterArg = Annotated[str | None, strawberry.argument(description=AFTER_HELP)]


def _search_page(
    info: Info, text: str, kinds: list[Any] | None, first: int, after: str | None
) -> SearchResults:
    """One page of a search, for both search fields: kinds the caller may not list left out,
    people found logged like a page of people (api.visibility)."""
    ctx: GraphContext = info.context
    check_page_size(first, ctx.settings)
    kind_names = visible_kinds(ctx.identity, [k.value for k in kinds] if kinds else None)
    start = _offset(after)
    hits = search_hits(ctx.state, text, kind_names, first + 1, start, ctx.store)
    page = hits[:first]
    ctx.people_listed.extend(h.node.id for h in page if logged_listing(h.node.kind))
    return SearchResults(
        hits=[SearchHit(node=wrap(h.node), score=h.score, matched=h.matched) for h in page],
        end_cursor=_cursor(start + len(page)) if page else None,
        has_next_page=len(hits) > first,
    )


@strawberry.type
class Query:
    @strawberry.field(description="The node with this global id, or null (按标识取节点)")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        ctx: GraphContext = info.context
        found = await ctx.nodes().load(str(id))
        if found is None:
            return None
        check_kind(ctx.identity, found.kind)
        return wrap(found)

    @strawberry.field(
        description="The nodes with these ids, in the order asked, null where unknown (批量取节点)"
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        ctx: GraphContext = info.context
        check_page_size(len(ids), ctx.settings, "ids")
        found = await ctx.nodes().load_many([str(i) for i in ids])
        for n in found:
            if n is not None:
                check_kind(ctx.identity, n.kind)
        return [wrap(n) if n is not None else None for n in found]

    @strawberry.field(
        description="Nodes found by code (division code, credit code, agreement number), name or "
        "alias (traditional characters read as simplified); latin letters also match the "
        "pinyin or its initials ('liyang' or 'lysq' finds 黎阳社区). Best first: the thing "
        "itself before things named after it, names starting with the text before names "
        "holding it, shorter names first, places before organisations before the rest. "
        "People are found for the planner role and up (each search that finds them is logged), "
        "the import log for admins. searchResults gives the same with scores and paging (搜索)"
    )
    def search(
        self,
        info: Info,
        text: TextArg,
        kinds: KindsArg = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> list[Node]:
        return [h.node for h in _search_page(info, text, kinds, first, after).hits]

    @strawberry.field(
        description="The search, each result with its score (0 to 1) and what it matched, a "
        "page at a time: pass endCursor as after (带评分的搜索)"
    )
    def search_results(
        self,
        info: Info,
        text: TextArg,
        kinds: KindsArg = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> SearchResults:
        return _search_page(info, text, kinds, first, after)

    @strawberry.field(description="Nodes per kind and relationships per type (节点与关系计数)")
    def counts(self, info: Info) -> JSON:
        ctx: GraphContext = info.context
        c = ctx.store.counts()
        return JSON({"nodes": c.nodes, "relationships": c.relationships})
