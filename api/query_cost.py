"""Depth, aliases and cost of a GraphQL operation, measured before anything runs.

Why our own walk and not a validation rule per limit: a rule that follows every path through
the fragments does work that doubles with each fragment spreading the previous one twice (a
1 KB query with forty fragments never finished). Here each fragment is measured once and the
answer reused wherever it is spread, and a fragment spread twice in one selection set counts
once, as execution merges it; so the walk costs one visit per fragment and field.

The cost is the number of values execution would produce: a field costs 1, and a list field
multiplies what lies below it by the number of items it may return: its ``first`` argument
(or that argument's default), the ``first`` of the connection it belongs to for ``nodes`` and
``edges``, or :data:`LIST_GUESS` for the few small lists that take no ``first``. A few root
fields that scan the whole graph (the gaps report, expiring agreements) carry their own weight,
and so do filters and counts that follow relationships (:data:`RELATION_WEIGHT` each).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)
from graphql.type import GraphQLInterfaceType, GraphQLObjectType
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

LIST_GUESS = 5  # items assumed for a list field without `first` (levels, posts, gaps per kind)
PAGE_FIELDS = frozenset({"nodes", "edges"})
#: Root fields whose answer costs a scan of the whole graph, in units of one field.
WEIGHTS: Mapping[str, int] = {
    "gaps": 20_000,
    "agreementsExpiring": 500,
    "search": 50,
    "path": 50,
    # the district's analytics (api/schema/analytics.py): whole-graph passes, the network's
    # betweenness centrality the dearest
    "coConstruction": 2_000,
    "partnersByReach": 2_000,
    "communitiesWithoutPartners": 2_000,
    "buildingLeaderCoverage": 500,
    "pairingLoad": 100,
    "agreementsByTopicAndYear": 100,
}

#: What one relationship filter or one step of a counted path costs, in units of one field: a
#: pass over the links of every node it tests (api/filters.py). Plain conditions cost 1.
RELATION_WEIGHT = 1_000
RELATION_SUFFIXES = ("_SOME", "_NONE", "_ALL")
FILTER_ARGUMENTS = frozenset({"where", "orderBy", "path"})


#: A root field this heavy is a whole-graph report: its request runs with the collector paused.
WHOLE_GRAPH = 500


@dataclass(frozen=True)
class Measure:
    depth: int
    aliases: int
    cost: float
    whole: bool = False
    """Whether the operation asks a whole-graph report (a root field of :data:`WHOLE_GRAPH`
    weight or more): work that allocates too much for the collector to run meanwhile."""


_ZERO = Measure(0, 0, 0.0)


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        default_page: int,
    ) -> None:
        self.schema = schema
        self.default_page = default_page
        self.variables = dict(variables or {})
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[str, Measure] = {}
        self.visiting: set[str] = set()

    def operation(self, op: OperationDefinitionNode) -> Measure:
        root = self.schema.get_root_type(op.operation)
        if root is None:
            return _ZERO
        return self.selections(op.selection_set, root, None, top=True)

    def selections(
        self, selection_set: SelectionSetNode, parent: Any, page: int | None, top: bool = False
    ) -> Measure:
        depth, aliases, cost, whole = 0, 0, 0.0, False
        spread: set[str] = set()
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                m = self.field(sel, parent, page, top)
            elif isinstance(sel, InlineFragmentNode):
                cond = parent
                if sel.type_condition is not None:
                    cond = self.schema.get_type(sel.type_condition.name.value) or parent
                m = self.selections(sel.selection_set, cond, page, top)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name in spread:
                    continue  # spread twice in one selection set: merged, executed once
                spread.add(name)
                m = self.fragment(name, page, top)
            else:  # pragma: no cover - the three kinds of selection
                continue
            depth, aliases, cost = max(depth, m.depth), aliases + m.aliases, cost + m.cost
            whole = whole or m.whole
        return Measure(depth, aliases, cost, whole)

    def fragment(self, name: str, page: int | None, top: bool) -> Measure:
        key = f"{name}/{page}/{top}"
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        definition = self.fragments.get(name)
        if definition is None or name in self.visiting:
            return _ZERO  # unknown or cyclic: validation refuses it with its own message
        self.visiting.add(name)
        try:
            cond = self.schema.get_type(definition.type_condition.name.value)
            m = self.selections(definition.selection_set, cond, page, top)
        finally:
            self.visiting.discard(name)
        self.memo[key] = m
        return m

    def field(self, node: FieldNode, parent: Any, page: int | None, top: bool) -> Measure:
        name = node.name.value
        aliases = 1 if node.alias is not None else 0
        if name == "__typename":
            return Measure(0, aliases, 0.0)
        definition = _field_def(parent, name)
        if definition is None:
            return Measure(1, aliases, 1.0)  # unknown: validation names it
        first = self.first(node, definition)
        items = 1.0
        type_ = definition.type
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            if first is not None:
                items = float(first)
            elif name in PAGE_FIELDS and page is not None:
                items = float(page)
            else:
                items = float(LIST_GUESS)
        weight = float(WEIGHTS.get(name, 1)) if top else 1.0
        weight += self.filters(node)
        below = _ZERO
        if node.selection_set is not None:
            child_page = first if not isinstance(type_, GraphQLList) else None
            below = self.selections(node.selection_set, get_named_type(definition.type), child_page)
        # introspection is the schema's own static shape, free of the store: not held to the
        # depth limit (GraphiQL's query nests ofType thirteen deep), but its cost still counts
        depth = 0 if name.startswith("__") else 1 + below.depth
        whole = top and WEIGHTS.get(name, 0) >= WHOLE_GRAPH
        return Measure(depth, aliases + below.aliases, weight + items * below.cost, whole)

    def first(self, node: FieldNode, definition: GraphQLField) -> int | None:
        arg = definition.args.get("first")
        if arg is None:
            return None
        for given in node.arguments or ():
            if given.name.value != "first":
                continue
            value: Any = None
            if isinstance(given.value, VariableNode):
                value = self.variables.get(given.value.name.value)
            elif isinstance(given.value, IntValueNode):
                value = int(given.value.value)
            else:
                value = value_from_ast_untyped(given.value, self.variables)
            return self.count(value, arg.default_value)
        return self.count(None, arg.default_value)

    def filters(self, node: FieldNode) -> float:
        """What the field's filters and counts cost: :data:`RELATION_WEIGHT` per relationship
        filter (``…_SOME``/``_NONE``/``_ALL``) and per step of a counted path, 1 per other
        condition, however deep they nest."""
        cost = 0.0
        for given in node.arguments or ():
            if given.name.value not in FILTER_ARGUMENTS:
                continue
            value = value_from_ast_untyped(given.value, self.variables)
            if given.name.value == "path":
                value = {"path": value}
            cost += _filter_cost(value)
        return cost

    def count(self, value: Any, default: Any) -> int:
        for v in (value, default):
            if isinstance(v, int) and not isinstance(v, bool):
                return max(v, 0)
        return self.default_page  # no number given: the resolvers' default page applies


def _filter_cost(value: Any) -> float:
    if isinstance(value, list):
        return sum(_filter_cost(v) for v in value)
    if not isinstance(value, dict):
        return 0.0
    cost = 0.0
    for key, inner in value.items():
        if key.endswith(RELATION_SUFFIXES):
            cost += RELATION_WEIGHT
        elif key == "path" and isinstance(inner, list):
            cost += RELATION_WEIGHT * len(inner)
            continue
        elif key == "related" and isinstance(inner, dict):
            cost += RELATION_WEIGHT * len(inner)
        else:
            cost += 1
        cost += _filter_cost(inner)
    return cost


def _field_def(parent: Any, name: str) -> GraphQLField | None:
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    default_page: int = 100,
) -> Measure:
    """The depth, alias count and cost of the operation that would run (the largest, if the
    document holds several and none is named); ``default_page`` is what a list with a
    ``first`` argument returns when it is not given one."""
    walk = _Walk(schema, document, variables, default_page)
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        ops = [op for op in ops if op.name is not None and op.name.value == operation_name]
    best = _ZERO
    for op in ops:
        m = walk.operation(op)
        best = Measure(
            max(best.depth, m.depth),
            max(best.aliases, m.aliases),
            max(best.cost, m.cost),
            best.whole or m.whole,
        )
    return best
