"""A list field per node kind, with filters, ordering and Relay-style cursor pagination, and
counts of grids per level without fetching them.

Everything is generated from the ontology: ``buildings(where: BuildingWhere, orderBy:
[BuildingOrder!], first: Int, after: String, asOf: Date): BuildingConnection!`` and so on for
every kind. The where inputs (:mod:`api.filters`) and orders become one listing request that
the store answers whole (one Cypher statement on Neo4j): AND/OR/NOT, relationship filters,
``within``, orders by property or by a count. Equality alone on an unordered list pages by id
in the store; ``totalCount`` and ``aggregate`` cost one count in the store.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.context import GraphContext
from api.filters import (
    AGGREGATE_TYPES,
    AGGREGATED,
    WHERE_INPUTS,
    ReachInput,
    checked,
    make_type,
    related_input,
    related_reach,
    require_grid,
    selection_of,
    to_predicate,
    to_reach,
)
from api.identity import AccessDenied
from api.limits import LimitExceeded, check_page_size
from api.personal import may_see_personal
from api.types import KIND_TYPES, Grid, GridLevelEnum, describe, graphql_enum, list_of, wrap
from api.visibility import check_listing, logged_listing
from graph.errors import GridGraphError
from graph.listing import (
    Aggregate,
    AllOf,
    CursorNotInList,
    Listing,
    PropTest,
    SortKey,
)
from graph.listing import (
    check_listing as check_request,
)
from graph.model import Direction, Node
from schema import ONTOLOGY
from schema.ontology import GridLevel, NodeKind, PropType

DEFAULT_PAGE = 100


@strawberry.enum(description="Sort direction (排序方向)")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.type(description="Where a page of a connection stands (分页信息)")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def encode_cursor(node_id: str) -> str:
    return base64.urlsafe_b64encode(node_id.encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        return base64.b64decode(cursor.encode(), altchars=b"-_", validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise GridGraphError(f"invalid cursor {cursor!r}") from None


# -- a page of a listing ------------------------------------------------------------------------
@dataclass
class Page:
    """A connection, lazy: ``totalCount``, ``aggregate`` and the page are computed only if asked
    for. Equality alone on an unordered list pages by id in the store (``nodes_of_kind``);
    anything more goes to the store whole as one listing request (:mod:`graph.listing`)."""

    ctx: GraphContext
    kind: NodeKind
    listing: Listing
    first: int
    after: str | None
    _rows: list[Node] | None = None
    _total: int | None = None
    _aggregate: Aggregate | None = None

    @property
    def push(self) -> dict[str, Any] | None:
        """The equality filter when that is all the list asks (None otherwise)."""
        if self.listing.order:
            return None
        where = self.listing.where
        parts = () if where is None else where.parts if isinstance(where, AllOf) else (where,)
        tests = [p for p in parts if isinstance(p, PropTest) and p.op == "eq"]
        if len(tests) != len(parts) or len({t.prop for t in tests}) != len(tests):
            return None
        return {t.prop: t.value for t in tests}

    def rows(self) -> list[Node]:
        """The page plus one more node, to tell whether a next page exists."""
        if self._rows is None:
            after_id = decode_cursor(self.after) if self.after else None
            store = self.ctx.store
            push = self.push
            if push is not None:
                self._rows = store.nodes_of_kind(
                    self.kind.name, push or None, after_id, self.first + 1
                )
            else:
                try:
                    listed = store.list_nodes(self.listing, after_id, self.first + 1)
                except CursorNotInList:
                    raise GridGraphError(
                        f"cursor {self.after!r} is not in this list (游标不在此列表中)"
                    ) from None
                self._rows, self._total = listed.nodes, listed.total
        return self._rows

    def total_count(self) -> int:
        """From the page's own store call when the list is more than equality."""
        push = self.push
        if push is not None:
            return self.ctx.store.count_nodes(self.kind.name, push or None)
        if self._total is None:
            self.rows()
        assert self._total is not None
        return self._total

    def aggregate(self) -> Aggregate:
        if self._aggregate is None:
            props = AGGREGATED[self.kind.name]
            self._aggregate = self.ctx.store.aggregate_nodes(self.listing, props)
        return self._aggregate

    def page_info(self) -> PageInfo:
        rows = self.rows()
        page = rows[: self.first]
        return PageInfo(
            has_next_page=len(rows) > self.first,
            has_previous_page=self.after is not None,
            start_cursor=encode_cursor(page[0].id) if page else None,
            end_cursor=encode_cursor(page[-1].id) if page else None,
        )


# -- generated types -----------------------------------------------------------------------
def _plural(name: str) -> str:
    special = {"person": "people"}
    base = name[0].lower() + name[1:]
    if base in special:
        return special[base]
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies"
    return base + "es" if base.endswith("s") else base + "s"


def _make(
    name: str,
    annotations: dict[str, Any],
    namespace: dict[str, Any],
    description: str,
    input_: bool = False,
) -> Any:
    return make_type(name, annotations, namespace, description, input_, module=__name__)


def _check_listing(kind: NodeKind, ctx: GraphContext) -> None:
    check_listing(ctx.identity, kind.name)


def _logged(page: Page, nodes: list[Node]) -> list[Node]:
    """The page's nodes, noted for the audit trail if pages of this kind are logged."""
    if logged_listing(page.kind.name):
        page.ctx.people_listed.extend(n.id for n in nodes)
    return nodes


def _list_field(kind: NodeKind) -> Any:
    node_type = KIND_TYPES[kind.name]
    label = describe(kind.description.split(";")[0].split(":")[0], kind.zh)
    props = [p for p in kind.all_props]
    where_cls = WHERE_INPUTS[kind.name]
    sortable = [p for p in props if p.type != PropType.STRINGS]
    field_enum = graphql_enum(
        f"{kind.name}Field",
        [p.name for p in sortable],
        f"Properties of {kind.name} to order by (排序字段)",
    )
    related_cls = related_input(kind)
    related_field = (
        {
            "related": strawberry.field(
                default=None,
                description="The number of matching nodes one relationship field leads to, "
                'e.g. {partyTo: {signedOn: {from: "2023-01-01"}}}: what '
                "<field>Aggregate(where:) { count } shows (关联数量)",
            )
        }
        if related_cls is not None
        else {}
    )
    order_cls = _make(
        f"{kind.name}Order",
        {
            "field": field_enum | None,
            "count": ReachInput | None,
            **({"related": related_cls | None} if related_cls is not None else {}),
            "direction": SortDirection,
        },
        {
            **related_field,
            "field": strawberry.field(
                default=None, description="A property; missing values go last (属性)"
            ),
            "count": strawberry.field(
                default=None,
                description="The number of distinct nodes a path reaches, counted in the "
                "store, e.g. {path: [PAIRED_WITH_OUT], where: {kind: [Community]}} (关联计数)",
            ),
            "direction": strawberry.field(default=SortDirection.ASC),
        },
        f"One ordering key for {kind.name}: a field, a count or a related count, one of them "
        "(排序); ties are broken by id",
        input_=True,
    )
    edge_cls = _make(
        f"{kind.name}Edge",
        {"cursor": str, "node": node_type},
        {},
        f"A {kind.name} with its cursor (分页边)",
    )

    def c_total(root: strawberry.Parent[Page]) -> int:
        return root.total_count()

    def c_nodes(root: strawberry.Parent[Page]) -> list[Any]:
        return [wrap(n) for n in _logged(root, root.rows()[: root.first])]

    def c_edges(root: strawberry.Parent[Page]) -> list[Any]:
        return [
            edge_cls(cursor=encode_cursor(n.id), node=wrap(n))
            for n in _logged(root, root.rows()[: root.first])
        ]

    def c_page(root: strawberry.Parent[Page]) -> PageInfo:
        return root.page_info()

    def c_aggregate(root: strawberry.Parent[Page]) -> Any:
        found = root.aggregate()
        return selection_of(kind.name, found.count, found.minimum, found.maximum)

    connection_cls = _make(
        f"{kind.name}Connection",
        {},
        {
            "total_count": strawberry.field(
                resolver=c_total, description="How many match, whatever the page (总数)"
            ),
            "page_info": strawberry.field(resolver=c_page, description="Paging (分页信息)"),
            "edges": strawberry.field(
                resolver=c_edges,
                graphql_type=list_of(edge_cls),
                description="The page, with cursors",
            ),
            "nodes": strawberry.field(
                resolver=c_nodes,
                graphql_type=list_of(node_type),
                description="The page (节点)",
            ),
            "aggregate": strawberry.field(
                resolver=c_aggregate,
                graphql_type=AGGREGATE_TYPES[kind.name],
                description="How many match and the least and greatest of their dates and "
                "numbers, whatever the page, counted in the store (统计)",
            ),
        },
        f"A page of {kind.name} nodes (分页结果)",
    )

    def resolve(
        info: Info,
        where: Any = None,
        order_by: Any = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=f"Page size (default {DEFAULT_PAGE}, at most the "
                "configured maximum page size)"
            ),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(description="Cursor of the last node of the previous page"),
        ] = None,
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="Relationship filters, within and counts use links in force on "
                "this day (default: today) (截至日期)"
            ),
        ] = None,
    ) -> Page:
        ctx: GraphContext = info.context
        _check_listing(kind, ctx)
        size = check_page_size(
            first if first is not None else min(DEFAULT_PAGE, ctx.settings.max_page_size),
            ctx.settings,
        )
        who = ctx.identity
        pred = checked(to_predicate(where, who), ctx.store) if where is not None else None
        order: list[SortKey] = []
        for o in order_by or ():
            descending = o.direction == SortDirection.DESC
            related = getattr(o, "related", None)
            if sum(x is not None for x in (o.field, o.count, related)) != 1:
                raise GridGraphError(
                    "each orderBy key gives one of field, count and related, not both and not "
                    "neither (排序键须给出 field、count 或 related 之一)"
                )
            if related is not None:
                reach = related_reach(related, who)
                checked(reach.where, ctx.store)
                order.append(SortKey(reach=reach, descending=descending))
                continue
            if o.field is not None:
                if o.field.value in kind.personal_props and not may_see_personal(who):
                    raise AccessDenied(  # an order tells masked values apart
                        f"ordering by {o.field.value} needs a role that may see personal data "
                        "(按个人信息排序需要相应权限)",
                        403,
                    )
                order.append(SortKey(prop=o.field.value, descending=descending))
            else:
                reach = to_reach(o.count.path, o.count.where, who)
                checked(reach.where, ctx.store)
                order.append(SortKey(reach=reach, descending=descending))
        listing = Listing(kind.name, pred, tuple(order), ctx.day(as_of))
        # a filter or order the ontology refuses is an error, whatever the query asks for
        check_request(listing)
        return Page(ctx, kind, listing, size, after)

    resolve.__annotations__.update(
        {"where": where_cls | None, "order_by": list_of(order_cls) | None}
    )
    return strawberry.field(
        resolver=resolve,
        graphql_type=connection_cls,
        name=_plural(kind.name),
        description=f"{label}: a filtered, ordered page",
    )


def _require_grid(ctx: GraphContext, within: str) -> None:
    require_grid(ctx.store, within)


@strawberry.type(description="A grid and how many grids of a lower level it holds (网格计数)")
class GridCount:
    grid: Grid
    count: int


def _grid_counts(
    info: Info,
    level: Annotated[
        GridLevelEnum,
        strawberry.argument(description="The level to count (被统计层级), e.g. BUILDING"),
    ],
    per: Annotated[
        GridLevelEnum,
        strawberry.argument(description="The level to count per (按层级), e.g. COMMUNITY"),
    ],
    within: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only the grids below this grid (所属上级网格)"),
    ] = None,
) -> list[GridCount]:
    ctx: GraphContext = info.context
    if within is not None:
        _require_grid(ctx, str(within))
    count_level, per_level = GridLevel(level), GridLevel(per)
    if count_level.depth <= per_level.depth:
        raise LimitExceeded(f"level {count_level.name} must lie below per {per_level.name}")
    key = ("grid_counts", count_level, per_level, str(within) if within else None, ctx.today)
    counted = ctx.state.cache.get_or_compute(
        key, lambda: _count_below(ctx, count_level, per_level, str(within) if within else None)
    )
    return [GridCount(grid=wrap(node), count=n) for node, n in counted]


def _count_below(
    ctx: GraphContext, count_level: GridLevel, per_level: GridLevel, within: str | None
) -> list[tuple[Node, int]]:
    """Two store calls: the grids to count per, then one walk down from all of them."""
    per_kind = ONTOLOGY.grid_kind(per_level).name
    count_kind = ONTOLOGY.grid_kind(count_level).name
    store = ctx.store
    if within is None:
        parents = store.nodes_of_kind(per_kind)
    else:
        top = store.get_nodes([within])
        below = store.walk([within], "PART_OF", Direction.IN, 4, ctx.today)[within]
        parents = [n for n in [*top.values(), *below] if n.kind == per_kind]
    depth = count_level.depth - per_level.depth
    reached = store.walk([p.id for p in parents], "PART_OF", Direction.IN, depth, ctx.today)
    return [(p, sum(1 for n in reached[p.id] if n.kind == count_kind)) for p in parents]


Query = _make(
    "ListsQuery",
    {},
    {
        **{_plural(k.name): _list_field(k) for k in ONTOLOGY.kinds.values()},
        "grid_counts": strawberry.field(
            resolver=_grid_counts,
            description="For each grid of one level, how many grids of a lower level it holds, "
            "e.g. buildings per community, without fetching them (各级网格计数)",
        ),
    },
    "List fields per kind",
)
