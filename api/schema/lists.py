# mypy: disable-error-code="valid-type, attr-defined, return-value, arg-type, call-overload, misc"
# (strawberry types built at run time from the ontology, and resolvers that return domain
# dataclasses for strawberry to read: sound at run time, opaque to a static checker)
"""A list field per node kind, with filters, ordering and Relay-style cursor pagination, and
counts of grids per level without fetching them.

Everything is generated from the ontology: ``buildings(where: BuildingWhere, orderBy:
[BuildingOrder!], first: Int, after: String): BuildingConnection!`` and so on for every kind.
Equality filters are pushed down to the store; other filters, ordering and ``within`` (under
an ancestor grid) run on the kind's nodes. ``totalCount`` alone costs one count in the store.
"""

from __future__ import annotations

import base64
import types as pytypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.context import GraphContext
from api.identity import AccessDenied
from api.limits import LimitExceeded, check_page_size
from api.personal import may_see_personal
from api.types import KIND_TYPES, Grid, GridLevelEnum, describe, prop_description, wrap
from api.visibility import check_listing, logged_listing
from graph.errors import GridGraphError, NodeNotFound
from graph.model import Direction, Node
from schema import ONTOLOGY
from schema.ontology import GridLevel, NodeKind, Prop, PropType

DEFAULT_PAGE = 100


# -- filter inputs shared by every kind ----------------------------------------------------
@strawberry.input(description="Conditions on a text property (文本条件)")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Equal to")
    in_: list[str] | None = strawberry.field(default=None, name="in", description="One of")
    contains: str | None = strawberry.field(default=None, description="Contains this text")


@strawberry.input(description="Conditions on a whole-number property (整数条件)")
class IntFilter:
    eq: int | None = None
    in_: list[int] | None = strawberry.field(default=None, name="in")
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None


@strawberry.input(description="Conditions on a decimal property (数值条件)")
class FloatFilter:
    eq: float | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None


@strawberry.input(description="Conditions on a date property; from and to are inclusive (日期条件)")
class DateFilter:
    eq: date | None = None
    from_: date | None = strawberry.field(default=None, name="from")
    to: date | None = None


@strawberry.input(description="Conditions on a list-of-text property (列表条件)")
class StringListFilter:
    includes: str | None = strawberry.field(default=None, description="Has this element")


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


_FILTER_OF: dict[PropType, Any] = {
    PropType.STRING: StringFilter,
    PropType.INT: IntFilter,
    PropType.FLOAT: FloatFilter,
    PropType.BOOL: bool,
    PropType.DATE: DateFilter,
    PropType.STRINGS: StringListFilter,
}


_CHOICE_FILTERS: dict[str, Any] = {}


def choice_enum_name(kind: NodeKind, prop: Prop) -> str:
    """``PostType`` for Post.post_type, ``DepartmentFunction`` for Department.function."""
    camel = "".join(part.capitalize() for part in prop.name.split("_"))
    return camel if camel.startswith(kind.name) else kind.name + camel


def _filter_of(kind: NodeKind, prop: Prop) -> Any:
    """The filter input of a property: a property with fixed choices (post types, functions,
    levels…) is filtered by an enum, so an unknown value is a GraphQL error naming it."""
    if not prop.choices or prop.type != PropType.STRING:
        return _FILTER_OF[prop.type]
    name = choice_enum_name(kind, prop)
    if name not in _CHOICE_FILTERS:
        enum = strawberry.enum(
            Enum(name, {c.upper(): c for c in prop.choices}),
            description=f"Values of {kind.name}.{prop.name} ({prop.zh or prop.name})",
        )
        _CHOICE_FILTERS[name] = _make(
            f"{name}Filter",
            {"eq": enum | None, "in_": list[enum] | None},
            {
                "eq": strawberry.field(default=None, description="Equal to"),
                "in_": strawberry.field(default=None, name="in", description="One of"),
            },
            f"Conditions on {kind.name}.{prop.name}, one of its fixed values (取值条件)",
            input_=True,
        )
    return _CHOICE_FILTERS[name]


def encode_cursor(node_id: str) -> str:
    return base64.urlsafe_b64encode(node_id.encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        return base64.b64decode(cursor.encode(), altchars=b"-_", validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise GridGraphError(f"invalid cursor {cursor!r}") from None


# -- evaluating a where input --------------------------------------------------------------
Predicate = Callable[[Node], bool]


def _predicates(prop: Prop, cond: Any) -> tuple[dict[str, Any], list[Predicate]]:
    """Equality that the store can do, and the remaining tests as predicates."""
    name = prop.name
    if prop.type == PropType.BOOL:
        return {name: cond}, []
    push: dict[str, Any] = {}
    tests: list[Predicate] = []
    if prop.choices and prop.type == PropType.STRING:  # enum members: compare their values
        if cond.eq is not None:
            push[name] = cond.eq.value
        if cond.in_ is not None:
            values = frozenset(v.value for v in cond.in_)
            tests.append(lambda n, vs=values: n.props.get(name) in vs)
        return push, tests
    if prop.type == PropType.STRINGS:
        if cond.includes is not None:
            tests.append(lambda n, v=cond.includes: v in (n.props.get(name) or ()))
        return push, tests
    if prop.type == PropType.DATE:
        if cond.eq is not None:
            push[name] = cond.eq.isoformat()
        if cond.from_ is not None:
            lo = cond.from_.isoformat()
            tests.append(lambda n, lo=lo: (n.props.get(name) or "") >= lo)
        if cond.to is not None:
            hi = cond.to.isoformat()
            tests.append(lambda n, hi=hi: bool(n.props.get(name)) and n.props[name] <= hi)
        return push, tests
    if cond.eq is not None:
        push[name] = cond.eq
    if getattr(cond, "in_", None) is not None:
        tests.append(lambda n, vs=frozenset(cond.in_): n.props.get(name) in vs)
    if getattr(cond, "contains", None) is not None:
        tests.append(lambda n, v=cond.contains: v in str(n.props.get(name) or ""))
    for op, check in (
        ("gt", lambda a, b: a > b),
        ("gte", lambda a, b: a >= b),
        ("lt", lambda a, b: a < b),
        ("lte", lambda a, b: a <= b),
    ):
        bound = getattr(cond, op, None)
        if bound is not None:
            tests.append(
                lambda n, b=bound, c=check: n.props.get(name) is not None and c(n.props[name], b)
            )
    return push, tests


@dataclass
class Page:
    """A connection, lazy: ``totalCount`` and the page are computed only if asked for."""

    ctx: GraphContext
    kind: NodeKind
    push: dict[str, Any]
    tests: list[Predicate]
    within: str | None
    order: list[tuple[str, bool]]
    first: int
    after: str | None
    _rows: list[Node] | None = None
    _all: list[Node] | None = None

    @property
    def simple(self) -> bool:
        return not self.tests and self.within is None and not self.order

    def everything(self) -> list[Node]:
        """Every matching node, ordered: for totals, custom orders and non-equality filters."""
        if self._all is None:
            store = self.ctx.store
            if self.within is not None:
                # Only the grids below: as many as the subtree holds, not the whole kind.
                below = store.walk([self.within], "PART_OF", Direction.IN, 4, self.ctx.today)
                nodes = sorted(
                    (n for n in below.get(self.within, []) if n.kind == self.kind.name),
                    key=lambda n: n.id,
                )
                nodes = [n for n in nodes if all(n.props.get(k) == v for k, v in self.push.items())]
            else:
                nodes = store.nodes_of_kind(self.kind.name, self.push or None)
            nodes = [n for n in nodes if all(t(n) for t in self.tests)]
            for key, descending in reversed(self.order):
                present = [n for n in nodes if n.props.get(key) is not None]
                missing = [n for n in nodes if n.props.get(key) is None]
                present.sort(key=lambda n, k=key: n.props[k], reverse=descending)
                nodes = present + missing
            self._all = nodes
        return self._all

    def rows(self) -> list[Node]:
        """The page plus one more node, to tell whether a next page exists."""
        if self._rows is None:
            after_id = decode_cursor(self.after) if self.after else None
            if self.simple:
                store = self.ctx.store
                self._rows = store.nodes_of_kind(
                    self.kind.name, self.push or None, after_id, self.first + 1
                )
            else:
                nodes = self.everything()
                start = 0
                if after_id is not None:
                    positions = {n.id: i for i, n in enumerate(nodes)}
                    if after_id not in positions:
                        raise GridGraphError(f"cursor {self.after!r} is not in this list")
                    start = positions[after_id] + 1
                self._rows = nodes[start : start + self.first + 1]
        return self._rows

    def total_count(self) -> int:
        if self.simple or (not self.tests and self.within is None):
            return self.ctx.store.count_nodes(self.kind.name, self.push or None)
        return len(self.everything())

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
    ns = {"__module__": __name__, "__annotations__": annotations, **namespace}
    cls = pytypes.new_class(name, (), {}, lambda n: n.update(ns))
    deco = strawberry.input if input_ else strawberry.type
    built = deco(cls, name=name, description=description)
    globals()[name] = built
    return built


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
    where_cls = _make(
        f"{kind.name}Where",
        {
            **{p.name: _filter_of(kind, p) | None for p in props},
            **({"within": strawberry.ID | None} if kind.grid_level else {}),
        },
        {
            **{
                p.name: strawberry.field(default=None, description=prop_description(p))
                for p in props
            },
            **(
                {
                    "within": strawberry.field(
                        default=None,
                        description="Only grids below this grid, at any depth (所属上级网格)",
                    )
                }
                if kind.grid_level
                else {}
            ),
        },
        f"Filters on {kind.name} (筛选条件); all given conditions must hold",
        input_=True,
    )
    sortable = [p for p in props if p.type != PropType.STRINGS]
    field_enum = strawberry.enum(
        Enum(f"{kind.name}Field", {p.name.upper(): p.name for p in sortable}),
        description=f"Properties of {kind.name} to order by (排序字段)",
    )
    order_cls = _make(
        f"{kind.name}Order",
        {"field": field_enum, "direction": SortDirection},
        {"direction": strawberry.field(default=SortDirection.ASC)},
        f"One ordering key for {kind.name} (排序); ties are broken by id",
        input_=True,
    )
    edge_cls = _make(
        f"{kind.name}Edge",
        {"cursor": str, "node": node_type},
        {},
        f"A {kind.name} with its cursor (分页边)",
    )

    def c_total(self: Page) -> int:
        return self.total_count()

    def c_nodes(self: Page) -> list[Any]:
        return [wrap(n) for n in _logged(self, self.rows()[: self.first])]

    def c_edges(self: Page) -> list[Any]:
        return [
            edge_cls(cursor=encode_cursor(n.id), node=wrap(n))
            for n in _logged(self, self.rows()[: self.first])
        ]

    def c_page(self: Page) -> PageInfo:
        return self.page_info()

    c_nodes.__annotations__["return"] = list[node_type]
    c_edges.__annotations__["return"] = list[edge_cls]
    connection_cls = _make(
        f"{kind.name}Connection",
        {},
        {
            "total_count": strawberry.field(
                resolver=c_total, description="How many match, whatever the page (总数)"
            ),
            "page_info": strawberry.field(resolver=c_page, description="Paging (分页信息)"),
            "edges": strawberry.field(resolver=c_edges, description="The page, with cursors"),
            "nodes": strawberry.field(resolver=c_nodes, description="The page (节点)"),
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
    ) -> Any:
        ctx: GraphContext = info.context
        _check_listing(kind, ctx)
        size = check_page_size(
            first if first is not None else min(DEFAULT_PAGE, ctx.settings.max_page_size),
            ctx.settings,
        )
        push: dict[str, Any] = {}
        tests: list[Predicate] = []
        within = None
        if where is not None:
            for p in props:
                cond = getattr(where, p.name)
                if cond is not None and p.personal and not may_see_personal(ctx.identity):
                    raise AccessDenied(
                        f"filtering on {p.name} needs a role that may see personal data", 403
                    )
                if cond is not None:
                    more_push, more_tests = _predicates(p, cond)
                    push.update(more_push)
                    tests.extend(more_tests)
            within = getattr(where, "within", None)
            if within is not None:
                _require_grid(ctx, str(within))
        order = [(o.field.value, o.direction == SortDirection.DESC) for o in order_by or ()]
        return Page(ctx, kind, push, tests, str(within) if within else None, order, size, after)

    resolve.__annotations__.update(
        {"where": where_cls | None, "order_by": list[order_cls] | None, "return": connection_cls}
    )
    return strawberry.field(
        resolver=resolve, name=_plural(kind.name), description=f"{label}: a filtered, ordered page"
    )


def _require_grid(ctx: GraphContext, within: str) -> None:
    """``within`` must name a grid: an unknown id or another kind is an error, not an empty list."""
    node = ctx.store.get_nodes([within]).get(within)
    if node is None:
        raise NodeNotFound(f"within: no grid with id {within!r} (找不到网格 {within!r})")
    kind = ONTOLOGY.kind(node.kind)
    if kind.grid_level is None:
        raise GridGraphError(
            f"within: {within!r} is a {kind.name}, not a grid (district, subdistrict, community, "
            f"compound or building) ({within!r} 是{kind.zh}，不是网格)"
        )


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
