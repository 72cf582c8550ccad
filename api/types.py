"""GraphQL object types derived from the ontology: one per node kind, built once at import.

Nothing here names a kind or a property by hand: the ``Node``, ``Grid`` and ``Organization``
interfaces, the twenty kind types, their property fields and their relationship fields are all
generated from :data:`schema.ONTOLOGY`, with descriptions in English and the Chinese term.
What mypy sees of them is a static face under ``TYPE_CHECKING`` (the interfaces' plain fields,
the kinds the API names, enums without members), held to the built classes by
``tests/api/test_static_faces.py``.

A node travels through the API as an instance of its kind's class (built by :func:`wrap`), so
interfaces resolve by ``isinstance`` and property fields are plain attribute reads. Relationship
fields go through the request's DataLoaders (:mod:`api.context`): one store call per nesting
level and relationship kind, whatever the number of nodes.
"""

from __future__ import annotations

import types as pytypes
from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.lazy_type import LazyType
from strawberry.utils.str_converters import to_camel_case

from api.personal import mask, may_see_personal
from graph.listing import Reach, Step
from graph.model import Direction as StoreDirection
from graph.model import Node as StoreNode
from graph.model import Relationship as StoreRelationship
from graph.queries.history import check_period, tenures
from schema import ONTOLOGY
from schema.kinds import GRID, ORGANIZATION
from schema.ontology import COMMON_NODE_PROPS, GridLevel, NodeKind, Prop, PropType, RelType

if TYPE_CHECKING:
    from api.context import GraphContext
    from api.filters import NodeWhere, RelStep
else:  # api.filters builds them and imports this module: strawberry resolves them lazily
    NodeWhere = LazyType("NodeWhere", "api.filters")
    RelStep = LazyType("RelStep", "api.filters")

AS_OF_HELP = "Only links in force on this day (default: today) (截至日期)"
#: Items a nested list of nodes returns unless it is given ``first``: every list is bounded, so
#: the cost of a query is known before it runs (:mod:`api.query_cost`).
NESTED_PAGE = 100
FIRST_HELP = f"At most this many, in id order (default {NESTED_PAGE}) (数量上限)"


def _first(first: int | None, info: Info) -> int:
    from api.limits import check_page_size

    if first is None:
        return min(NESTED_PAGE, info.context.settings.max_page_size)
    return check_page_size(first, info.context.settings)


def describe(text: str, zh: str) -> str:
    """English description followed by the Chinese term, unless the text already carries it."""
    text = text.rstrip(".")
    return f"{text} ({zh})" if zh and zh not in text else text


# -- enums --------------------------------------------------------------------------------
def graphql_enum(
    name: str, values: Iterable[str | tuple[str, str, str | None]], description: str
) -> Any:
    """A GraphQL enum from values (each member its value in capitals) or from (member, value,
    description) triples: a copy of a domain enum or literal, so that the domain stays free of
    strawberry. The one builder of the API's enums."""
    items = [(v.upper(), v, None) if isinstance(v, str) else v for v in values]
    built: Any = strawberry.enum(
        enum_class(name, {member: value for member, value, _ in items}),
        name=name,
        description=description,
    )
    notes = {member: note for member, _, note in items}
    for value in built.__strawberry_definition__.values:
        value.description = notes.get(value.name)
    return built


def enum_class(name: str, members: dict[str, str]) -> type[Enum]:
    """A new Enum class by Enum's functional API, typed as the class it is (mypy reads a call
    with a name it cannot see as an Enum member)."""
    return cast("type[Enum]", Enum(name, members))


def list_of(item: Any) -> Any:
    """``list[item]`` for a class built at run time (to mypy a value, not a type)."""
    return pytypes.GenericAlias(list, (item,))


if TYPE_CHECKING:

    class Kind(Enum):
        """Static face: one member per node kind of the ontology."""

    class RelType_(Enum):
        """Static face: one member per relationship type of the ontology."""

else:
    Kind = strawberry.enum(
        Enum("Kind", {k: k for k in ONTOLOGY.kinds}),
        description="The kinds of node in the governance graph (节点类型)",
    )
    RelType_ = strawberry.enum(
        Enum("RelType", {r: r for r in ONTOLOGY.relations}),
        name="RelType",
        description="The relationship types of the governance graph (关系类型)",
    )
# strawberry.enum marks the domain enums themselves, so they are their own GraphQL enums.
strawberry.enum(
    GridLevel, name="GridLevel", description="The five levels of the grid, top down (五级网格)"
)
strawberry.enum(
    StoreDirection,
    name="Direction",
    description="Which way to follow relationships: OUT from the node, IN to it, or BOTH (方向)",
)
GridLevelEnum = GridLevel
DirectionEnum = StoreDirection

#: The Python (and so GraphQL) type of each ontology property type, for output and input types.
SCALARS: dict[PropType, Any] = {
    PropType.STRING: str,
    PropType.INT: int,
    PropType.FLOAT: float,
    PropType.BOOL: bool,
    PropType.DATE: date,
    PropType.STRINGS: list[str],
}


def prop_description(prop: Prop) -> str:
    text = describe(prop.description or prop.name, prop.zh)
    if prop.choices:
        text += ". One of: " + ", ".join(prop.choices)
    if prop.personal:
        text += ". Personal information, masked unless your role may see it (个人信息)"
    return text


# -- relationships ------------------------------------------------------------------------
@strawberry.type(description="A typed, directed relationship between two nodes (关系)")
class Relationship:
    id: strawberry.ID = strawberry.field(description="Stable id: TYPE:source>target[@validFrom]")
    type: RelType_ = strawberry.field(description="Relationship type (关系类型)")
    source: strawberry.ID = strawberry.field(description="Id of the node it starts from (起点)")
    target: strawberry.ID = strawberry.field(description="Id of the node it points to (终点)")
    properties: JSON = strawberry.field(description="Every property of the link (属性)")
    valid_from: date | None = strawberry.field(
        description="First day the link holds (生效日期)", default=None
    )
    valid_to: date | None = strawberry.field(
        description="Last day the link holds, inclusive (有效期至)", default=None
    )


def wrap_relationship(rel: StoreRelationship) -> Relationship:
    return Relationship(
        id=strawberry.ID(rel.id),
        type=RelType_[rel.type],
        source=strawberry.ID(rel.source),
        target=strawberry.ID(rel.target),
        valid_from=_as_date(rel.props.get("valid_from")),
        valid_to=_as_date(rel.props.get("valid_to")),
        properties=JSON(dict(sorted(rel.props.items()))),  # one order whatever the store
    )


@strawberry.type(
    description="One step from a node: the relationship and the node at its other end (关联)"
)
class Link:
    relationship: Relationship = strawberry.field(description="The relationship taken (关系)")
    node: Node = strawberry.field(description="The node at the other end (关联节点)")

    @strawberry.field(description="Relationship type (关系类型)")
    def type(self) -> RelType_:
        return self.relationship.type


# -- the generic relationship field every node has ------------------------------------------
async def _relationships(
    root: strawberry.Parent[Node],
    info: Info,
    types: Annotated[
        list[RelType_] | None,
        strawberry.argument(description="Only these relationship types (default: all)"),
    ] = None,
    direction: Annotated[
        DirectionEnum,
        strawberry.argument(description="OUT from this node, IN to it, or BOTH"),
    ] = StoreDirection.BOTH,
    as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    kinds: Annotated[
        list[Kind] | None,
        strawberry.argument(description="Only neighbours of these kinds (default: all)"),
    ] = None,
    first: Annotated[int | None, strawberry.argument(description=FIRST_HELP)] = None,
) -> list[Link]:
    ctx: GraphContext = info.context
    first = _first(first, info)
    type_key = tuple(sorted(t.value for t in types)) if types else None
    kind_key = tuple(sorted(k.value for k in kinds)) if kinds else None
    loader = ctx.hops(type_key, StoreDirection(direction), ctx.day(as_of), kind_key)
    hops = (await loader.load(root.id))[:first]
    return [Link(relationship=wrap_relationship(h.relationship), node=wrap(h.node)) for h in hops]


# -- history: every link of a node over time -------------------------------------------------
@strawberry.type(
    description="One link over its whole life: who or what, from which day, until which day "
    "(任职/包联/管理的历史记录)"
)
class Tenure:
    relationship: Relationship = strawberry.field(description="The relationship (关系)")
    node: Node = strawberry.field(description="The node at the other end (关联节点)")
    valid_from: date | None = strawberry.field(
        description="First day, or null when recorded without one (起始日期)", default=None
    )
    valid_to: date | None = strawberry.field(
        description="Last day, inclusive, or null while it still holds (截止日期)", default=None
    )

    @strawberry.field(description="Relationship type (关系类型)")
    def type(self) -> RelType_:
        return self.relationship.type

    @strawberry.field(description="Whether it holds on this day (default: today) (是否在任)")
    def in_force(
        self,
        info: Info,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    ) -> bool:
        day = info.context.day(as_of).isoformat()
        start, end = self.valid_from, self.valid_to
        return (start is None or start.isoformat() <= day) and (
            end is None or day <= end.isoformat()
        )


async def _history(
    root: strawberry.Parent[Node],
    info: Info,
    types: Annotated[
        list[RelType_] | None,
        strawberry.argument(
            description="Only these relationship types, e.g. HOLDS on a post, PAIRED_WITH on a "
            "community, MANAGES on a compound (default: all)"
        ),
    ] = None,
    direction: Annotated[
        DirectionEnum,
        strawberry.argument(description="OUT from this node, IN to it, or BOTH"),
    ] = StoreDirection.BOTH,
    kinds: Annotated[
        list[Kind] | None,
        strawberry.argument(description="Only neighbours of these kinds (default: all)"),
    ] = None,
    since: Annotated[
        date | None,
        strawberry.argument(description="Only links still in force on or after this day (自)"),
    ] = None,
    until: Annotated[
        date | None,
        strawberry.argument(description="Only links already in force on or before this day (至)"),
    ] = None,
    first: Annotated[int | None, strawberry.argument(description=FIRST_HELP)] = None,
) -> list[Tenure]:
    check_period(since, until)
    ctx: GraphContext = info.context
    first = _first(first, info)
    type_key = tuple(sorted(t.value for t in types)) if types else None
    kind_key = tuple(sorted(k.value for k in kinds)) if kinds else None
    loader = ctx.hops(type_key, StoreDirection(direction), None, kind_key)
    found = tenures(await loader.load(root.id), since, until)[:first]
    return [
        Tenure(
            relationship=wrap_relationship(t.relationship),
            node=wrap(t.node),
            valid_from=_as_date(t.valid_from),
            valid_to=_as_date(t.valid_to),
        )
        for t in found
    ]


# -- named relationship fields, derived from RelType endpoints -----------------------------
#: Field names for following a relationship type in from its target: the API's own wording.
INVERSE_FIELD: dict[str, str] = {
    "PART_OF": "parts",
    "DEPARTMENT_OF": "departments",
    "PAIRED_WITH": "paired_by",
    "POST_IN": "posts",
    "HOLDS": "held_by",
    "MEMBER_OF": "personnel",
    "SUBORDINATE_TO": "subordinates",
    "COVERS": "covered_by",
    "MANAGES": "managed_by",
    "ACTIVE_IN": "active_here",
    "PARTY_TO": "parties",
    "HANDLED_BY": "handles",
    "IN_CATEGORY": "event_types",
}


def _return_name(kinds: set[str]) -> str:
    """The narrowest GraphQL type that holds every kind in ``kinds``."""
    if len(kinds) == 1:
        return next(iter(kinds))
    for iface in (GRID, ORGANIZATION):
        if all(iface in ONTOLOGY.kind(k).interfaces for k in kinds):
            return iface
    return "Node"


def rel_fields_of(kind_names: list[str]) -> dict[str, tuple[RelType, StoreDirection, str]]:
    """Named relationship fields that every kind in ``kind_names`` can follow.

    Returns python field name -> (relationship type, direction, GraphQL return type name).
    """
    fields: dict[str, tuple[RelType, StoreDirection, str]] = {}
    for rel in ONTOLOGY.relations.values():
        if all(k in rel.sources for k in kind_names):
            others = _grid_step(rel, kind_names, -1) or set(rel.targets)
            fields[rel.name.lower()] = (rel, StoreDirection.OUT, _return_name(others))
        if all(k in rel.targets for k in kind_names):
            others = _grid_step(rel, kind_names, +1) or set(rel.sources)
            fields[INVERSE_FIELD[rel.name]] = (rel, StoreDirection.IN, _return_name(others))
    return fields


def _grid_step(rel: RelType, kind_names: list[str], step: int) -> set[str]:
    """For PART_OF from one grid kind: the kind one level up (-1) or down (+1), else empty."""
    if rel.name != "PART_OF" or len(kind_names) != 1:
        return set()
    level = ONTOLOGY.kind(kind_names[0]).grid_level
    if level is None:
        return set()
    depth = level.depth + step
    if not 0 <= depth < len(GridLevel):
        return set()
    return {ONTOLOGY.grid_kind(list(GridLevel)[depth]).name}


def _rel_resolver(rel: RelType, direction: StoreDirection, returns: str) -> Any:
    types = (rel.name,)

    async def resolve(
        root: strawberry.Parent[Node],
        info: Info,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST_HELP)] = None,
    ) -> Any:
        ctx: GraphContext = info.context
        first = _first(first, info)
        hops = await ctx.hops(types, direction, ctx.day(as_of), None).load(root.id)
        return [wrap(h.node) for h in hops[:first]]

    # The return type is named as a string: kind types refer to each other in cycles, and
    # strawberry resolves the name lazily in this module's namespace.
    resolve.__annotations__ = {**resolve.__annotations__, "return": f"list[{returns}]"}
    return resolve


def _rel_field(rel: RelType, direction: StoreDirection, returns: str) -> Any:
    if direction == StoreDirection.OUT:
        text = f"Follow {rel.name} out: {rel.description}"
    else:
        text = f"Follow {rel.name} in (reverse of: {rel.description})"
    return strawberry.field(
        resolver=_rel_resolver(rel, direction, returns), description=describe(text, rel.zh)
    )


# -- building the classes -----------------------------------------------------------------
Fields = dict[str, tuple[Any, Any]]  # python name -> (annotation or None for resolvers, field)


def _prop_fields(props: tuple[Prop, ...]) -> Fields:
    return {
        p.name: (
            (None, _personal_field(p))
            if p.personal
            else (SCALARS[p.type] | None, strawberry.field(description=prop_description(p)))
        )
        for p in props
    }


def _personal_field(prop: Prop) -> Any:
    """A personal property: masked unless the caller's role may see it, each unmasked read
    noted for the audit trail (:mod:`api.personal`)."""
    name = prop.name

    def resolve(root: Any, info: Info) -> Any:
        value = root._node.props.get(name)
        if value is None:
            return None
        ctx: GraphContext = info.context
        if may_see_personal(ctx.identity):
            ctx.read_personal(root.id, name)
            return value
        return mask(value)

    resolve.__annotations__ = {"root": Any, "info": Info, "return": SCALARS[prop.type] | None}
    return strawberry.field(resolver=resolve, description=prop_description(prop))


def _named_rel_fields(kind_names: list[str], inherited: frozenset[str] = frozenset()) -> Fields:
    """The relationship fields, each with its ``<field>Aggregate``; an aggregate the
    interface already declares is inherited as it is (its argument and answer types must be
    the interface's)."""
    fields: Fields = {}
    for name, (rel, direction, returns) in rel_fields_of(kind_names).items():
        fields[name] = (None, _rel_field(rel, direction, returns))
        if name not in inherited:
            fields[f"{name}_aggregate"] = (None, _aggregate_field(name, rel, direction, returns))
    return fields


def _aggregate_field(name: str, rel: RelType, direction: StoreDirection, returns: str) -> Any:
    """``partyToAggregate(where, asOf) { count node { signedOn { min max } } }``: counted in
    the store, one call for every node of a nesting level (:meth:`GraphContext.reach`)."""
    step = Step(rel.name, direction)

    async def resolve(root: Any, info: Info, where: Any = None, as_of: Any = None) -> Any:
        from api.filters import AGGREGATED, checked_through, selection_of, to_predicate

        ctx: GraphContext = info.context
        pred = await checked_through(ctx, to_predicate(where, ctx.identity)) if where else None
        props = AGGREGATED[returns]
        found = await ctx.reach(Reach((step,), pred), ctx.day(as_of), props).load(root.id)
        return selection_of(returns, found.count, found.minimum, found.maximum)

    resolve.__annotations__ = {
        "root": Any,
        "info": Info,
        "where": Annotated[
            LazyType(f"{returns}Where", "api.filters") | None,
            strawberry.argument(description="Only nodes at the other end that match (筛选)"),
        ],
        "as_of": Annotated[date | None, strawberry.argument(description=AS_OF_HELP)],
        "return": LazyType(f"{returns}AggregateSelection", "api.filters"),
    }
    return strawberry.field(
        resolver=resolve,
        description=f"How many nodes {to_camel_case(name)} leads to, and the least and "
        "greatest of their dates and numbers, counted in the store (关联统计)",
    )


async def _reach_count(
    root: strawberry.Parent[Node],
    info: Info,
    path: Annotated[
        list[RelStep],
        strawberry.argument(description="One or two steps, e.g. [PARTY_TO_OUT, PARTY_TO_IN]"),
    ],
    where: Annotated[
        NodeWhere | None,
        strawberry.argument(description="Only reached nodes that match (筛选)"),
    ] = None,
    as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
) -> int:
    from api.filters import checked_through, to_reach

    ctx: GraphContext = info.context
    reach = to_reach(path, where, ctx.identity)
    await checked_through(ctx, reach.where)
    found = await ctx.reach(reach, ctx.day(as_of), ()).load(root.id)
    return found.count


def _build(
    name: str, bases: tuple[type, ...], fields: Fields, description: str, interface: bool = False
) -> type:
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__annotations__": {k: a for k, (a, _) in fields.items() if a is not None},
        **{k: f for k, (_, f) in fields.items()},
    }
    cls = pytypes.new_class(name, bases, {}, lambda ns: ns.update(namespace))
    decorate = strawberry.interface if interface else strawberry.type
    built: type = decorate(cls, name=name, description=description)
    globals()[name] = built  # so that string return types ("list[Compound]") resolve here
    return built


# -- interfaces ---------------------------------------------------------------------------
_NODE_FIELDS: Fields = {
    "id": (
        strawberry.ID,
        strawberry.field(description="Global id, derived from the natural key (全局标识)"),
    ),
    "kind": (Kind, strawberry.field(description="The node's kind (节点类型)")),
    **_prop_fields(COMMON_NODE_PROPS),
    "relationships": (
        None,
        strawberry.field(
            resolver=_relationships,
            description="Every link of this node, by type, direction, day and kind (关联关系)",
        ),
    ),
    "reach_count": (
        None,
        strawberry.field(
            resolver=_reach_count,
            description="How many distinct nodes a path of one or two relationship steps "
            "reaches from this one, on links in force, counted in the store; what "
            "orderBy {count: …} sorts by (关联计数)",
        ),
    ),
    "history": (
        None,
        strawberry.field(
            resolver=_history,
            description="Every link of this node over time, each with its dates, oldest "
            "first: who held a post, which department was paired with a community, which "
            "firm managed a compound (历史：任职、包联、物业管理的变迁)",
        ),
    ),
}
if TYPE_CHECKING:

    class Node:
        """Static face of the Node interface built below: its plain fields."""

        id: strawberry.ID
        kind: Kind
        name: str | None
        aliases: list[str] | None
        synthetic: bool | None
        source_file: str | None
        source_sheet: str | None
        source_row: int | None
        loaded_at: str | None
        loaded_by: str | None
        _node: StoreNode  # the stored record, set by wrap

else:
    Node = _build(
        "Node",
        (),
        _NODE_FIELDS,
        "Anything in the governance graph, found by its global id (节点)",
        interface=True,
    )


async def _parent(
    root: strawberry.Parent[Node],
    info: Info,
    as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
) -> Grid | None:
    ctx: GraphContext = info.context
    hops = await ctx.hops(("PART_OF",), StoreDirection.OUT, ctx.day(as_of), None).load(root.id)
    return wrap(hops[0].node) if hops else None


async def _children(
    root: strawberry.Parent[Node],
    info: Info,
    as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    first: Annotated[int | None, strawberry.argument(description=FIRST_HELP)] = None,
) -> list[Grid]:
    ctx: GraphContext = info.context
    first = _first(first, info)
    hops = await ctx.hops(("PART_OF",), StoreDirection.IN, ctx.day(as_of), None).load(root.id)
    return [wrap(h.node) for h in hops[:first]]


async def _ancestors(
    root: strawberry.Parent[Node],
    info: Info,
    as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
) -> list[Grid]:
    ctx: GraphContext = info.context
    nodes = await ctx.walk("PART_OF", StoreDirection.OUT, 4, ctx.day(as_of)).load(root.id)
    return [wrap(n) for n in nodes]


async def _descendant_count(
    root: strawberry.Parent[Node],
    info: Info,
    level: Annotated[
        GridLevelEnum,
        strawberry.argument(
            description="Count the grids of this level below this one (下级网格数)"
        ),
    ],
    as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
) -> int:
    ctx: GraphContext = info.context
    kind = ONTOLOGY.grid_kind(GridLevel(level)).name
    nodes = await ctx.walk("PART_OF", StoreDirection.IN, 4, ctx.day(as_of)).load(root.id)
    return sum(1 for n in nodes if n.kind == kind)


def _common_props(kinds: list[NodeKind]) -> tuple[Prop, ...]:
    """Properties every kind in ``kinds`` declares, in the first kind's order."""
    common = set.intersection(*({p.name for p in k.props} for k in kinds))
    return tuple(p for p in kinds[0].props if p.name in common)


_GRID_KINDS = ONTOLOGY.grid_kinds()
_ORG_KINDS = ONTOLOGY.implementers(ORGANIZATION)
INTERFACE_MEMBERS: dict[str, list[NodeKind]] = {
    GRID: _GRID_KINDS,
    ORGANIZATION: _ORG_KINDS,
    "Node": list(ONTOLOGY.kinds.values()),
}
#: The kinds behind each interface, by name: the ends of relationships that join several kinds.
INTERFACE_KINDS: dict[str, list[str]] = {
    name: [k.name for k in kinds] for name, kinds in INTERFACE_MEMBERS.items()
}

_GRID_FIELDS: Fields = {
    "level": (GridLevelEnum, strawberry.field(description="Grid level (网格层级)")),
    **_prop_fields(_common_props(_GRID_KINDS)),
    "parent": (
        None,
        strawberry.field(resolver=_parent, description="The grid one level up (上级网格)"),
    ),
    "children": (
        None,
        strawberry.field(resolver=_children, description="The grids one level down (下级网格)"),
    ),
    "ancestors": (
        None,
        strawberry.field(
            resolver=_ancestors,
            description="Every grid above this one, nearest first (上级网格链)",
        ),
    ),
    "descendant_count": (
        None,
        strawberry.field(
            resolver=_descendant_count,
            description="How many grids of a level lie below this one, without "
            "fetching them (下级网格计数)",
        ),
    ),
    **_named_rel_fields([k.name for k in _GRID_KINDS]),
}
if TYPE_CHECKING:

    class Grid(Node):
        """Static face of the Grid interface built below."""

        level: GridLevel

else:
    Grid = _build(
        "Grid",
        (Node,),
        _GRID_FIELDS,
        "One of the five grid levels: district, subdistrict, community, compound, building (网格)",
        interface=True,
    )

_ORGANIZATION_FIELDS: Fields = {
    **_prop_fields(_common_props(_ORG_KINDS)),
    **_named_rel_fields([k.name for k in _ORG_KINDS]),
}
if TYPE_CHECKING:

    class Organization(Node):
        """Static face of the Organization interface built below."""

else:
    Organization = _build(
        "Organization",
        (Node,),
        _ORGANIZATION_FIELDS,
        "An organisation: department, party organisation, committee, firm, social organisation, "
        "volunteer team or outside unit (组织)",
        interface=True,
    )


# -- one type per node kind ----------------------------------------------------------------
def _kind_type(kind: NodeKind) -> type:
    bases: tuple[type, ...] = (Node,)
    if GRID in kind.interfaces:
        bases = (Grid,)
    elif ORGANIZATION in kind.interfaces:
        bases = (Organization,)
    common = {p.name for p in COMMON_NODE_PROPS}
    own = tuple(p for p in kind.props if p.name not in common)
    inherited = frozenset(
        rel_fields_of([k.name for k in INTERFACE_MEMBERS[bases[0].__name__]])
        if bases[0] is not Node
        else ()
    )
    props, rels = _prop_fields(own), _named_rel_fields([kind.name], inherited)
    clash = set(props) & set(rels)
    if clash:  # a new property or relationship type needs another field name
        raise ValueError(f"{kind.name}: {sorted(clash)} name both a property and a relationship")
    return _build(kind.name, bases, {**props, **rels}, describe(kind.description, kind.zh))


KIND_TYPES: dict[str, type] = {k.name: _kind_type(k) for k in ONTOLOGY.kinds.values()}
if TYPE_CHECKING:
    # Static faces of the kind types the API's own types name (built above, each kept in
    # this module's namespace by _build); every other kind is reached through KIND_TYPES.
    class Agreement(Node): ...

    class Person(Node): ...

    class Post(Node): ...

    class EventCategory(Node): ...

    class EventType(Node): ...

    class Building(Grid): ...

    class Community(Grid): ...

    class Department(Organization): ...

    class LeadingGroup(Organization): ...

    class PartyOrganization(Organization): ...


_DATE_PROPS = {
    k.name: frozenset(p.name for p in k.all_props if p.type == PropType.DATE)
    for k in ONTOLOGY.kinds.values()
}
_DEFAULTS = {k.name: dict.fromkeys(p.name for p in k.all_props) for k in ONTOLOGY.kinds.values()}
_LEVELS = {k.name: k.grid_level for k in ONTOLOGY.kinds.values()}


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


#: Wrapped objects by node id, reused while the store hands out the very same Node record
#: (stores keep records immutable and replace them on write), so a cached answer's nodes are
#: wrapped once, not on every request.
_WRAPPED: dict[str, tuple[StoreNode, Any]] = {}
_WRAPPED_MAX = 200_000


def wrap(node: StoreNode) -> Any:
    """The GraphQL object for a stored node: an instance of its kind's class, built cheaply."""
    hit = _WRAPPED.get(node.id)
    if hit is not None and hit[0] is node:
        return hit[1]
    obj = _build_object(node)
    if len(_WRAPPED) >= _WRAPPED_MAX:
        _WRAPPED.clear()
    _WRAPPED[node.id] = (node, obj)
    return obj


def _build_object(node: StoreNode) -> Any:
    cls = KIND_TYPES[node.kind]
    obj: Any = object.__new__(cls)
    values = obj.__dict__
    values.update(_DEFAULTS[node.kind])
    values.update(node.props)
    for name in _DATE_PROPS[node.kind]:
        if name in node.props:
            values[name] = _as_date(node.props[name])
    values["id"] = node.id
    values["kind"] = Kind[node.kind]
    values["level"] = _LEVELS[node.kind]
    values["_node"] = node
    return obj
