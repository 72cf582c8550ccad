"""Where inputs, counts and aggregates in the manner of @neo4j/graphql, and their translation
into the store's listing request (:mod:`graph.listing`).

One ``<Kind>Where`` per kind, and ``GridWhere``, ``OrganizationWhere``, ``NodeWhere`` for the
ends of relationships that join several kinds: property conditions, ``AND``/``OR``/``NOT``, and
for each named relationship field ``<field>_SOME``/``_NONE``/``_ALL`` with a where on the other
end, all generated from the ontology. The translation checks who may filter on personal data;
the request it builds holds only the ontology's names, and the store answers it whole (one
Cypher statement on Neo4j).
"""

from __future__ import annotations

import sys
import types as pytypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.types.lazy_type import LazyType
from strawberry.utils.str_converters import to_camel_case

from api.identity import AccessDenied, Identity
from api.personal import may_see_personal
from api.types import (
    INTERFACE_KINDS,
    Kind,
    enum_class,
    graphql_enum,
    list_of,
    prop_description,
    rel_fields_of,
)
from graph.errors import GridGraphError, NodeNotFound
from graph.listing import (
    MAX_DEPTH,
    AllOf,
    AnyOf,
    Below,
    IdIn,
    KindIn,
    ListingError,
    Not,
    Predicate,
    PropTest,
    Quantifier,
    Reach,
    Related,
    Step,
)
from graph.model import Direction, Node
from schema import ONTOLOGY
from schema.ontology import PROVENANCE_PROPS, NodeKind, Prop, PropType

MODULE = __name__


# -- conditions on one property --------------------------------------------------------------
@strawberry.input(description="Conditions on a text property (文本条件)")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Equal to")
    in_: list[str] | None = strawberry.field(default=None, name="in", description="One of")
    contains: str | None = strawberry.field(default=None, description="Contains this text")


@strawberry.input(description="Conditions on a node's global id (标识条件)")
class IdFilter:
    eq: strawberry.ID | None = strawberry.field(default=None, description="This node")
    in_: list[strawberry.ID] | None = strawberry.field(
        default=None, name="in", description="One of these nodes"
    )


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


_FILTER_OF: dict[PropType, Any] = {
    PropType.STRING: StringFilter,
    PropType.INT: IntFilter,
    PropType.FLOAT: FloatFilter,
    PropType.BOOL: bool,
    PropType.DATE: DateFilter,
    PropType.STRINGS: StringListFilter,
}

_CHOICE_FILTERS: dict[str, Any] = {}


def make_type(
    name: str,
    annotations: dict[str, Any],
    namespace: dict[str, Any],
    description: str,
    input_: bool = False,
    module: str = MODULE,
) -> Any:
    """A strawberry type or input built at run time, kept in ``module``'s namespace (so that
    its annotations, and lazy references by name, resolve there)."""
    ns = {"__module__": module, "__annotations__": annotations, **namespace}
    cls = pytypes.new_class(name, (), {}, lambda n: n.update(ns))
    deco = strawberry.input if input_ else strawberry.type
    built = deco(cls, name=name, description=description)
    setattr(sys.modules[module], name, built)
    return built


def choice_enum_name(kind: NodeKind, prop: Prop) -> str:
    """``PostType`` for Post.post_type, ``DepartmentFunction`` for Department.function."""
    camel = "".join(part.capitalize() for part in prop.name.split("_"))
    return camel if camel.startswith(kind.name) else kind.name + camel


def filter_of(kind: NodeKind, prop: Prop) -> Any:
    """The filter input of a property: a property with fixed choices (post types, functions,
    levels…) is filtered by an enum, so an unknown value is a GraphQL error naming it."""
    if not prop.choices or prop.type != PropType.STRING:
        return _FILTER_OF[prop.type]
    name = choice_enum_name(kind, prop)
    if name not in _CHOICE_FILTERS:
        enum = graphql_enum(
            name, prop.choices, f"Values of {kind.name}.{prop.name} ({prop.zh or prop.name})"
        )
        _CHOICE_FILTERS[name] = make_type(
            f"{name}Filter",
            {"eq": enum | None, "in_": list_of(enum) | None},
            {
                "eq": strawberry.field(default=None, description="Equal to"),
                "in_": strawberry.field(default=None, name="in", description="One of"),
            },
            f"Conditions on {kind.name}.{prop.name}, one of its fixed values (取值条件)",
            input_=True,
        )
    return _CHOICE_FILTERS[name]


def prop_tests(prop: Prop, cond: Any) -> list[Predicate]:
    """A property's conditions as the store's tests (all must hold)."""
    name = prop.name
    if prop.type == PropType.BOOL:
        return [PropTest(name, "eq", bool(cond))]
    tests: list[Predicate] = []
    if prop.choices and prop.type == PropType.STRING:  # enum members: compare their values
        if cond.eq is not None:
            tests.append(PropTest(name, "eq", cond.eq.value))
        if cond.in_ is not None:
            tests.append(PropTest(name, "in", tuple(v.value for v in cond.in_)))
        return tests
    if prop.type == PropType.STRINGS:
        if cond.includes is not None:
            tests.append(PropTest(name, "includes", cond.includes))
        return tests
    if prop.type == PropType.DATE:
        if cond.eq is not None:
            tests.append(PropTest(name, "eq", cond.eq.isoformat()))
        if cond.from_ is not None:
            tests.append(PropTest(name, "gte", cond.from_.isoformat()))
        if cond.to is not None:
            tests.append(PropTest(name, "lte", cond.to.isoformat()))
        return tests
    if cond.eq is not None:
        tests.append(PropTest(name, "eq", cond.eq))
    if getattr(cond, "in_", None) is not None:
        tests.append(PropTest(name, "in", tuple(cond.in_)))
    if getattr(cond, "contains", None) is not None:
        tests.append(PropTest(name, "contains", cond.contains))
    for op in ("gt", "gte", "lt", "lte"):
        bound = getattr(cond, op, None)
        if bound is not None:
            tests.append(PropTest(name, op, bound))
    return tests


# -- where inputs ------------------------------------------------------------------------------
QUANTIFIERS: tuple[tuple[Quantifier, str, str], ...] = (
    ("some", "SOME", "at least one node at the other end matches (存在)"),
    ("none", "NONE", "no node at the other end matches (不存在)"),
    ("all", "ALL", "every node at the other end matches; true when there is none (全部)"),
)


@dataclass(frozen=True)
class WhereSpec:
    """What one where input holds, to translate it: properties, relationship filters."""

    name: str
    kinds: tuple[str, ...]
    props: tuple[Prop, ...]
    rels: tuple[tuple[str, Step, Quantifier], ...]  # python attribute, step, quantifier
    within: bool
    kind_field: bool


SPECS: dict[type, WhereSpec] = {}
WHERE_INPUTS: dict[str, Any] = {}  # by kind or interface name


def common_props(kinds: Sequence[str]) -> tuple[Prop, ...]:
    """Properties every kind declares, in the first kind's order."""
    first = ONTOLOGY.kind(kinds[0])
    names = set.intersection(*({p.name for p in ONTOLOGY.kind(k).all_props} for k in kinds))
    return tuple(p for p in first.all_props if p.name in names)


def where_name(type_name: str) -> str:
    return f"{type_name}Where"


def _where_input(type_name: str, kinds: tuple[str, ...], with_kind: bool) -> Any:
    name = where_name(type_name)
    me: Any = LazyType(name, MODULE)
    props = common_props(kinds)
    first_kind = ONTOLOGY.kind(kinds[0])
    annotations: dict[str, Any] = {"id": IdFilter | None}
    fields: dict[str, Any] = {
        "id": strawberry.field(default=None, description="The node's global id (全局标识)")
    }
    for p in props:
        annotations[p.name] = filter_of(first_kind, p) | None
        fields[p.name] = strawberry.field(default=None, description=prop_description(p))
    within = len(kinds) == 1 and first_kind.grid_level is not None
    if within:
        annotations["within"] = strawberry.ID | None
        fields["within"] = strawberry.field(
            default=None, description="Only grids below this grid, at any depth (所属上级网格)"
        )
    if with_kind:
        annotations["kind"] = list[Kind] | None
        fields["kind"] = strawberry.field(default=None, description="Only these kinds (节点类型)")
    rels: list[tuple[str, Step, Quantifier]] = []
    for field_name, (rel, direction, returns) in rel_fields_of(list(kinds)).items():
        step = Step(rel.name, direction)
        for quantifier, suffix, text in QUANTIFIERS:
            attr = f"{field_name}_{quantifier}"
            annotations[attr] = LazyType(where_name(returns), MODULE) | None
            fields[attr] = strawberry.field(
                default=None,
                name=f"{to_camel_case(field_name)}_{suffix}",
                description=f"Along {to_camel_case(field_name)} ({rel.name} "
                f"{direction.value}, {rel.zh}), on links in force on the list's day: {text}",
            )
            rels.append((attr, step, quantifier))
    for attr, gql, text in (
        ("and_", "AND", "Every one of these holds (且)"),
        ("or_", "OR", "At least one of these holds (或)"),
    ):
        annotations[attr] = list[me] | None
        fields[attr] = strawberry.field(default=None, name=gql, description=text)
    annotations["not_"] = me | None
    fields["not_"] = strawberry.field(
        default=None, name="NOT", description="This does not hold (非)"
    )
    cls = make_type(
        name,
        annotations,
        fields,
        f"Filters on {type_name} (筛选条件); all given conditions must hold",
        input_=True,
    )
    SPECS[cls] = WhereSpec(name, kinds, props, tuple(rels), within, with_kind)
    WHERE_INPUTS[type_name] = cls
    return cls


for _kind in ONTOLOGY.kinds.values():
    _where_input(_kind.name, (_kind.name,), with_kind=False)
for _iface, _kinds in INTERFACE_KINDS.items():
    _where_input(_iface, tuple(_kinds), with_kind=True)


def to_predicate(where: Any, who: Identity, depth: int = 1) -> Predicate | None:
    """The where input as the store's predicate; None when it asks nothing. Refuses a
    nesting deeper than the store would accept before walking any further into it."""
    if depth > MAX_DEPTH:
        raise ListingError(
            f"the filter nests deeper than {MAX_DEPTH} levels (筛选条件嵌套超过 {MAX_DEPTH} 层)"
        )
    spec = SPECS[type(where)]
    parts: list[Predicate] = []
    for p in spec.props:
        cond = getattr(where, p.name)
        if cond is None:
            continue
        if p.personal and not may_see_personal(who):
            raise AccessDenied(
                f"filtering on {p.name} needs a role that may see personal data "
                f"(按个人信息筛选需要相应权限)",
                403,
            )
        parts += prop_tests(p, cond)
    if where.id is not None:
        if where.id.eq is not None:
            parts.append(IdIn((str(where.id.eq),)))
        if where.id.in_ is not None:
            parts.append(IdIn(tuple(str(i) for i in where.id.in_)))
    if spec.within and where.within is not None:
        parts.append(Below(str(where.within)))
    if spec.kind_field and where.kind is not None:
        parts.append(KindIn(tuple(k.value for k in where.kind)))
    for attr, step, quantifier in spec.rels:
        sub = getattr(where, attr)
        if sub is not None:
            parts.append(Related(step, quantifier, to_predicate(sub, who, depth + 1)))
    if where.and_ is not None:
        parts.append(AllOf(tuple(to_predicate(w, who, depth + 1) or AllOf(()) for w in where.and_)))
    if where.or_ is not None:
        parts.append(AnyOf(tuple(to_predicate(w, who, depth + 1) or AllOf(()) for w in where.or_)))
    if where.not_ is not None:
        parts.append(Not(to_predicate(where.not_, who, depth + 1) or AllOf(())))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def require_grid(store: Any, within: str) -> None:
    """``within`` must name a grid: an unknown id or another kind is an error, not an empty list."""
    require_grids(store, [within])


def require_grids(store: Any, ids: Sequence[str]) -> None:
    """Every id names a grid; one store call for them all."""
    _require_found_grids(ids, store.get_nodes(ids) if ids else {})


async def checked_through(ctx: GraphContext, pred: Predicate | None) -> Predicate | None:
    """:func:`checked` for an async resolver, asked once per node: the grids are read through
    the request's node loader, so a ``within`` asked of every node of a nesting level costs
    one store call in all, and the resolver itself never calls the store."""
    ids = list(dict.fromkeys(grid_ids(pred)))
    found = await ctx.nodes().load_many(ids) if ids else []
    _require_found_grids(ids, {i: n for i, n in zip(ids, found, strict=True) if n is not None})
    return pred


def _require_found_grids(ids: Sequence[str], found: Mapping[str, Node]) -> None:
    for within in ids:
        node = found.get(within)
        if node is None:
            raise NodeNotFound(f"within: no grid with id {within!r} (找不到网格 {within!r})")
        kind = ONTOLOGY.kind(node.kind)
        if kind.grid_level is None:
            raise GridGraphError(
                f"within: {within!r} is a {kind.name}, not a grid (district, subdistrict, "
                f"community, compound or building) ({within!r} 是{kind.zh}，不是网格)"
            )


def checked(pred: Predicate | None, store: Any) -> Predicate | None:
    """``pred``, once every ``within`` in it names a grid."""
    require_grids(store, list(dict.fromkeys(grid_ids(pred))))
    return pred


def grid_ids(pred: Predicate | None) -> list[str]:
    """The ``within`` ids anywhere in a predicate, so each can be checked to name a grid."""
    if pred is None:
        return []
    if isinstance(pred, Below):
        return [pred.ancestor]
    if isinstance(pred, AllOf | AnyOf):
        return [i for p in pred.parts for i in grid_ids(p)]
    if isinstance(pred, Not):
        return grid_ids(pred.part)
    if isinstance(pred, Related):
        return grid_ids(pred.where)
    return []


# -- counts along a path -----------------------------------------------------------------------
if TYPE_CHECKING:
    from api.context import GraphContext

    class RelStep(Enum):
        """Static face: one member per relationship type and direction."""

    class NodeWhere:
        """Static face of the where input built above for any node (its fields are the
        ontology's, read by name through SPECS)."""

else:
    RelStep = strawberry.enum(
        enum_class(
            "RelStep",
            {
                f"{rel}_{d.name}": f"{rel}:{d.value}"
                for rel in ONTOLOGY.relations
                for d in (Direction.OUT, Direction.IN)
            },
        ),
        description="One step along a relationship type, OUT from the node or IN to it (关系步)",
    )


@strawberry.input(
    description="Distinct nodes reached along a path of one or two relationship steps, on "
    "links in force on the list's day, the start itself left out; e.g. PARTY_TO_OUT then "
    "PARTY_TO_IN with where {kind: [Community]}: the communities a unit's agreements reach "
    "(关联计数)"
)
class ReachInput:
    path: list[RelStep] = strawberry.field(description="The steps, in order (路径)")
    where: NodeWhere | None = strawberry.field(
        default=None, description="Only reached nodes that match (筛选)"
    )


RELATED_INPUTS: dict[str, Any] = {}
RELATED_STEPS: dict[type, dict[str, tuple[Step, str]]] = {}


def related_input(kind: NodeKind) -> Any | None:
    """``<Kind>Related``: one field per relationship field of the kind, with a where typed for
    the other end; an order by it counts the matching nodes one step away (None when the kind
    has no relationship fields)."""
    rels = rel_fields_of([kind.name])
    if not rels:
        return None
    annotations: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    steps: dict[str, tuple[Step, str]] = {}
    for field_name, (rel, direction, returns) in rels.items():
        annotations[field_name] = LazyType(where_name(returns), MODULE) | None
        fields[field_name] = strawberry.field(
            default=None,
            description=f"The {returns} nodes {to_camel_case(field_name)} leads to ({rel.name} "
            f"{direction.value}, {rel.zh}) that match; {{}} for all of them",
        )
        steps[field_name] = (Step(rel.name, direction), returns)
    cls = make_type(
        f"{kind.name}Related",
        annotations,
        fields,
        f"A count of {kind.name}'s related nodes to order by: give one relationship field "
        "(按关联数量排序)",
        input_=True,
    )
    RELATED_STEPS[cls] = steps
    RELATED_INPUTS[kind.name] = cls
    return cls


def related_reach(related: Any, who: Identity) -> Reach:
    """The one relationship field a ``<Kind>Related`` gives, as the store's count."""
    given = [(name, getattr(related, name)) for name in RELATED_STEPS[type(related)]]
    chosen = [(name, where) for name, where in given if where is not None]
    if len(chosen) != 1:
        raise GridGraphError(
            "related: give exactly one relationship field to count (related 须给出一个关系字段)"
        )
    name, where = chosen[0]
    step, _ = RELATED_STEPS[type(related)][name]
    return Reach((step,), to_predicate(where, who))


def step_of(value: Any) -> Step:
    rel, direction = str(value.value).split(":")
    return Step(rel, Direction(direction))


def to_reach(path: Sequence[Any], where: Any, who: Identity) -> Reach:
    """A ``ReachInput``'s path and where (or ``reachCount``'s arguments) as the store's count."""
    return Reach(tuple(step_of(s) for s in path), to_predicate(where, who) if where else None)


# -- aggregate selections ------------------------------------------------------------------------
@strawberry.type(description="Least and greatest date (最早与最晚)")
class DateAggregate:
    min: date | None
    max: date | None


@strawberry.type(description="Least and greatest whole number (最小与最大)")
class IntAggregate:
    min: int | None
    max: int | None


@strawberry.type(description="Least and greatest number (最小与最大)")
class FloatAggregate:
    min: float | None
    max: float | None


_AGGREGATE_OF = {
    PropType.DATE: DateAggregate,
    PropType.INT: IntAggregate,
    PropType.FLOAT: FloatAggregate,
}
_PROVENANCE = frozenset(p.name for p in PROVENANCE_PROPS)
AGGREGATED: dict[str, tuple[str, ...]] = {}  # type name -> the properties with min/max
AGGREGATE_TYPES: dict[str, Any] = {}


def _as_value(ptype: PropType, value: Any) -> Any:
    if value is None or ptype != PropType.DATE:
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _min_max(prop: Prop) -> Any:
    cls = _AGGREGATE_OF[prop.type]

    def resolve(root: Any) -> Any:
        return cls(
            min=_as_value(prop.type, root.minimum.get(prop.name)),
            max=_as_value(prop.type, root.maximum.get(prop.name)),
        )

    resolve.__annotations__ = {"root": Any, "return": cls}
    return resolve


def _aggregate_types(type_name: str, kinds: tuple[str, ...]) -> Any:
    props = [
        p
        for p in common_props(kinds)
        if p.type in _AGGREGATE_OF and not p.personal and p.name not in _PROVENANCE
    ]
    AGGREGATED[type_name] = tuple(p.name for p in props)
    node_fields: dict[str, Any] = {}
    node_annotations: dict[str, Any] = {}
    for p in props:
        node_fields[p.name] = strawberry.field(
            resolver=_min_max(p), description=prop_description(p)
        )
    selection_fields: dict[str, Any] = {"count": strawberry.field(description="How many (数量)")}
    if props:  # a kind with no dates or numbers has only the count
        node_cls = make_type(
            f"{type_name}AggregateNode",
            node_annotations,
            node_fields,
            f"Least and greatest values of {type_name}'s dates and numbers (最值)",
        )

        def resolve_node(root: Any) -> Any:
            return root

        resolve_node.__annotations__ = {"root": Any, "return": node_cls}
        selection_fields["node"] = strawberry.field(
            resolver=resolve_node, description="Least and greatest values (最值)"
        )
    selection = make_type(
        f"{type_name}AggregateSelection",
        {"count": int},
        selection_fields,
        f"How many {type_name} nodes, and the least and greatest of their values (统计)",
    )
    AGGREGATE_TYPES[type_name] = selection
    return selection


for _kind in ONTOLOGY.kinds.values():
    _aggregate_types(_kind.name, (_kind.name,))
for _iface, _kinds in INTERFACE_KINDS.items():
    _aggregate_types(_iface, tuple(_kinds))


def selection_of(type_name: str, count: int, minimum: Any, maximum: Any) -> Any:
    """An ``<Type>AggregateSelection`` for strawberry to read."""
    selection = AGGREGATE_TYPES[type_name](count=count)
    selection.minimum, selection.maximum = minimum, maximum
    return selection
