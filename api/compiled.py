"""Compiled plans for registered GraphQL documents: the same resolvers, without graphql-core's
per-field machinery.

Why: a building's coverage answers with about 470 fields, and graphql-core with strawberry
spends about 20 µs on each (an info object, argument conversion, extension chains, type
checks), twenty times the cost of the domain answer itself. A document that is known before
it is asked (:mod:`api.persisted`) is collected, typed and checked once; a :class:`Plan` holds,
for every field, how to get its value (an attribute read for a plain field, the resolver
strawberry would call for the others, with arguments converted once per request rather than
once per object) and how to complete it (a leaf serialised by its own type, an object by its
sub-plan, an interface by the runtime type of each value).

Only the success path is compiled. Anything unusual (a variable that does not coerce, a
resolver that raises, a null where the schema promises a value, a value of an unexpected type)
raises :class:`Fallback`, and the caller runs the request again on the ordinary graphql-core
path, which gives the errors exactly as an ad-hoc request gets them. A document that uses what
the compiler does not support (directives, subscriptions, field extensions, introspection) is
never compiled: it runs on the ordinary path every time.
"""

from __future__ import annotations

import asyncio
import operator
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from types import GeneratorType
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    GraphQLUnionType,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.pyutils import Path
from graphql.pyutils import is_awaitable as graphql_is_awaitable
from strawberry.types.arguments import convert_arguments
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE as CAST
from strawberry.types.cast import get_strawberry_type_cast
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info

from api import inline
from api.inline import Offload

BACKREF = "strawberry-definition"  # where strawberry keeps its field on a GraphQLField


class Fallback(Exception):
    """The compiled path cannot answer this request as graphql-core would: run it there."""


class NotCompilable(Exception):
    """The document uses something the compiler does not handle; it runs interpreted."""


_SYNC: set[type] = {str, int, float, bool, type(None), list, dict, tuple, orjson.Fragment}
_ASYNC: set[type] = set()


def awaitable(value: Any) -> bool:
    """Whether ``value`` must be awaited: whether its class is awaitable, found once per
    class (generators are asked each time: a generator-based coroutine is one by its flag)."""
    cls = type(value)
    if cls in _SYNC:
        return False
    if cls in _ASYNC:
        return True
    found = graphql_is_awaitable(value)
    if cls is not GeneratorType:
        (_ASYNC if found else _SYNC).add(cls)
    return found


# -- the plan -------------------------------------------------------------------------------
@dataclass(eq=False)
class FieldPlan:
    """One response key of one object type: how to get its value and how to complete it."""

    key: str
    name: str
    nodes: list[FieldNode]
    definition: GraphQLField | None  # None for __typename
    parent: GraphQLObjectType
    strawberry: StrawberryField | None
    return_type: GraphQLOutputType
    has_arguments: bool = False
    #: arguments written out in the document, of scalar or enum types, and no info wanted: the
    #: keyword arguments are the same for every request, converted once (:meth:`Run.kwargs`)
    fixed_arguments: bool = False
    fixed_kwargs: dict[str, Any] | None = None
    #: every argument of a scalar or enum type: converted once per set of coerced variables
    #: (the plan keeps those per JSON text, :meth:`Plan.variables`)
    leaf_arguments: bool = False
    converted: dict[int, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    wants_info: str | None = None  # the resolver's info parameter, when it asks for one
    self_arg: bool = False
    kw_source: tuple[str, ...] = ()  # parent/root parameters that receive the source
    resolver: Callable[..., Any] | None = None
    attribute: str | None = None  # a plain field: the attribute it reads
    #: the value from the source alone (a plain attribute, a resolver of its source only);
    #: None when the resolver needs the request (its arguments, its info)
    fetch: Callable[[Any], Any] | None = None
    complete: Completer | None = None
    leaf: bool = False  # completed to a scalar or enum (never awaits)
    #: an object's sub-plan function, called directly for a value that is not null
    sub: Callable[[Run, Any], Any] | None = None
    leaf_fast: type | None = None  # a value of exactly this class is its own serialisation


Completer = Callable[["Run", Any], Any]


@dataclass(eq=False)
class ObjectPlan:
    """The fields one object type answers with, for one set of selection sets."""

    type: GraphQLObjectType
    fields: list[FieldPlan]
    #: the generated function that answers this plan for one source (:func:`_generate`)
    fn: Callable[[Run, Any], Any] | None = None
    #: its answer depends on its source alone (:meth:`_Document.pure_field`)
    pure: bool = False


@dataclass(eq=False)
class Plan:
    """One operation of a registered document, compiled against one schema."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    root: ObjectPlan
    schema: GraphQLSchema
    scalar_registry: Any
    config: Any
    #: every root field answers a repeat from what is kept (:func:`api.inline.inline_when_kept`):
    #: the plan is first tried on the event loop
    inline: bool = False
    #: coerced variables by their JSON text: apps ask the same few buildings again and again
    _coerced: dict[bytes, Any] = field(default_factory=dict)

    def variables(self, inputs: dict[str, Any] | None) -> Any:
        """The request's variables, coerced as graphql-core coerces them (the same inputs,
        the same values: kept for the next ask, up to 256); :class:`Fallback` when they do not
        coerce (the ordinary path reports why)."""
        try:
            key: bytes | None = orjson.dumps(inputs or {}, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # nested too deep to be a key: coerce, do not keep
            key = None
        found = self._coerced.get(key) if key is not None else None
        if found is not None:
            return found
        found = get_variable_values(
            self.schema, self.operation.variable_definitions or (), inputs or {}, max_errors=50
        )
        if isinstance(found, list):  # errors
            raise Fallback("variables")
        if key is not None:
            if len(self._coerced) >= 256:
                self._coerced.clear()
            self._coerced[key] = found
        return found

    def start(self, context: Any, variables: Any, budget: float = 0.0) -> Any:
        """The ``data`` of the answer when no resolver awaited, else an awaitable of it;
        :class:`Fallback` whenever it would hold an error. With a ``budget`` (a
        ``time.perf_counter()`` to finish by: an inline run), :class:`api.inline.Offload` past
        it or at a list longer than :data:`api.inline.MAX_ITEMS`."""
        run = Run(self, context, variables, budget)
        assert self.root.fn is not None
        return self.root.fn(run, None)

    async def execute(self, context: Any, variables: Any) -> dict[str, Any]:
        """The ``data`` of the answer, awaited; :class:`Fallback` as for :meth:`start`."""
        out = self.start(context, variables)
        if awaitable(out):
            out = await out
        return out


class Run:
    """One execution of a plan: the context, the variables, and arguments and infos computed
    once per field plan (not once per object it is asked of)."""

    __slots__ = ("_infos", "_kwargs", "budget", "context", "plan", "variables")

    def __init__(self, plan: Plan, context: Any, variables: Any, budget: float = 0.0) -> None:
        self.plan = plan
        self.context = context
        self.variables = variables
        self.budget = budget
        self._kwargs: dict[int, dict[str, Any]] = {}
        self._infos: dict[int, Info] = {}

    def info(self, f: FieldPlan) -> Info:
        found = self._infos.get(id(f))
        if found is None:
            plan = self.plan
            # no abort signal and no async helpers (graphql-core's executor makes those): no
            # resolver on this path asks its info for them, and a helper-less info says so
            raw = GraphQLResolveInfo(
                f.name, f.nodes, f.return_type, f.parent, Path(None, f.key, f.parent.name),
                plan.schema, plan.fragments, None, plan.operation, self.variables,
                self.context, graphql_is_awaitable, None, None,  # type: ignore[arg-type]
            )  # fmt: skip
            assert f.strawberry is not None
            found = self._infos[id(f)] = Info(_raw_info=raw, _field=f.strawberry)
        return found

    def kwargs(self, f: FieldPlan) -> dict[str, Any]:
        """The resolver's keyword arguments, converted as strawberry converts them."""
        if f.fixed_kwargs is not None:
            return f.fixed_kwargs
        found = self._kwargs.get(id(f))
        if found is None:
            found = {}
            if f.has_arguments:
                found = self._arguments(f)
            if f.wants_info is not None:
                found[f.wants_info] = self.info(f)
            if f.fixed_arguments:
                f.fixed_kwargs = found  # never changed: resolve() copies before adding to it
            self._kwargs[id(f)] = found
        return found

    def _arguments(self, f: FieldPlan) -> dict[str, Any]:
        """The field's arguments, converted as strawberry converts them: once per set of
        coerced variables when they are all scalars and enums (plain values, never changed)."""
        variables = self.variables
        if f.leaf_arguments:
            hit = f.converted.get(id(variables))
            if hit is not None and hit[0] is variables:
                return dict(hit[1])
        assert f.definition is not None and f.strawberry is not None
        raw = get_argument_values(f.definition, f.nodes[0], variables)
        found: dict[str, Any] = convert_arguments(
            raw, f.strawberry.arguments, scalar_registry=self.plan.scalar_registry,
            config=self.plan.config, info=self.info(f),
        )  # fmt: skip
        if f.leaf_arguments:
            if len(f.converted) >= 256:
                f.converted.clear()
            f.converted[id(variables)] = (variables, dict(found))
        return found

    def resolve(self, f: FieldPlan, source: Any) -> Any:
        if f.attribute is not None:
            return getattr(source, f.attribute)
        assert f.resolver is not None
        kwargs = self.kwargs(f)
        if f.kw_source:
            kwargs = {**kwargs, **dict.fromkeys(f.kw_source, source)}
        if f.self_arg:
            return f.resolver(source, **kwargs)
        return f.resolver(**kwargs)

    async def _later(self, f: FieldPlan, value: Awaitable[Any]) -> Any:
        try:
            resolved = await value
        except (Fallback, Offload):
            raise
        except Exception as e:
            raise Fallback(f.key) from e
        assert f.complete is not None
        done = f.complete(self, resolved)
        if awaitable(done):
            done = await done
        return done

    @staticmethod
    async def _gather_object(
        out: dict[str, Any], pending: list[tuple[str, Awaitable[Any]]]
    ) -> dict[str, Any]:
        values = await _gather([p for _, p in pending])
        for (key, _), value in zip(pending, values, strict=True):
            out[key] = value
        return out


async def _gather(items: Sequence[Awaitable[Any]]) -> list[Any]:
    """All of them at once (DataLoaders batch across siblings, as in graphql-core); on a
    failure the others are cancelled before it propagates."""
    tasks = [asyncio.ensure_future(i) for i in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


# -- completing values ------------------------------------------------------------------------
_FAST = {GraphQLString.name: str, GraphQLID.name: str, GraphQLBoolean.name: bool,
         GraphQLFloat.name: float}  # fmt: skip


def _generate(plan: ObjectPlan) -> Callable[[Run, Any], Any]:
    """One Python function per object plan, its fields unrolled: a plain field is an
    attribute read, a string that is a string is copied as it is, and only what a resolver or
    a sub-plan returns is asked whether it awaits. Generated once, when the document is
    registered; the names it uses are the plan's own (no text from a request enters it)."""
    env: dict[str, Any] = {"Fallback": Fallback, "Offload": Offload, "awaitable": awaitable,
                           "_SYNC": _SYNC, "_gather_object": Run._gather_object,
                           "_inline_await": _inline_await}  # fmt: skip
    lines = ["def fn(run, source):", "    out = {}", "    pending = None", "    key = None",
             "    try:"]  # fmt: skip
    for i, f in enumerate(plan.fields):
        key = repr(f.key)
        env[f"f{i}"] = f
        env[f"c{i}"] = f.complete
        body = [f"key = {key}"]
        if f.definition is None:
            body.append(f"out[{key}] = {plan.type.name!r}")
            lines += ["        " + b for b in body]
            continue
        if f.attribute is not None and f.attribute.isidentifier():
            body.append(f"v = source.{f.attribute}")
        elif f.fetch is not None:
            env[f"g{i}"] = f.fetch
            body.append(f"v = g{i}(source)")
        else:
            body.append(f"v = run.resolve(f{i}, source)")
        may_await = f.attribute is None
        if may_await:
            body += ["if type(v) not in _SYNC and awaitable(v):",
                     "    if run.budget:",
                     "        _inline_await(v)",
                     f"    out[{key}] = None",
                     "    pending = pending or []",
                     f"    pending.append(({key}, run._later(f{i}, v)))",
                     "else:"]  # fmt: skip
        pad = "    " if may_await else ""
        if f.leaf:
            if f.leaf_fast is not None:
                env[f"t{i}"] = f.leaf_fast
                body.append(f"{pad}out[{key}] = v if type(v) is t{i} else c{i}(run, v)")
            else:
                body.append(f"{pad}out[{key}] = c{i}(run, v)")
        else:
            if f.sub is not None:
                env[f"s{i}"] = f.sub
                body.append(f"{pad}d = s{i}(run, v) if v is not None else c{i}(run, v)")
            else:
                body.append(f"{pad}d = c{i}(run, v)")
            body += [f"{pad}out[{key}] = d",
                     f"{pad}if type(d) not in _SYNC and awaitable(d):",
                     f"{pad}    pending = pending or []",
                     f"{pad}    pending.append(({key}, d))"]  # fmt: skip
        lines += ["        " + b for b in body]
    lines += ["    except (Fallback, Offload):", "        raise",
              "    except Exception as e:", "        raise Fallback(key) from e",
              "    if pending is None:", "        return out",
              "    return _gather_object(out, pending)"]  # fmt: skip
    exec(compile("\n".join(lines), f"<plan {plan.type.name}>", "exec"), env)
    fn: Callable[[Run, Any], Any] = env["fn"]
    return fn


def _inline_await(value: Any) -> None:
    """A resolver that awaits, in an inline run: the loop would have to run it (its
    DataLoaders are store calls), so it is given up, closed unstarted, and so is the run."""
    if isinstance(value, Coroutine):
        value.close()
    elif isinstance(value, asyncio.Future):
        value.cancel()
    raise Offload("a resolver that awaits")


def _leaf(type_: GraphQLScalarType | GraphQLEnumType, nullable: bool) -> Completer:
    """A scalar or enum, null included (one call per value: the commonest completion)."""
    serialize = type_.serialize
    fast: type | None = None
    if type_ is GraphQLString or type_ is GraphQLID:
        fast = str
    elif type_ is GraphQLBoolean:
        fast = bool
    elif type_ is GraphQLFloat:
        fast = float
    name = type_.name

    def complete(run: Run, value: Any) -> Any:
        if type(value) is fast:
            return value
        if value is None:
            if nullable:
                return None
            raise Fallback("non-null")
        try:
            out = serialize(value)
        except Exception as e:
            raise Fallback(name) from e
        if out is None:  # graphql-core: a leaf that serialises to nothing is an error
            raise Fallback(name)
        return out

    if type_ is GraphQLInt:

        def complete_int(run: Run, value: Any) -> Any:
            if type(value) is int and -(2**31) <= value < 2**31:
                return value
            return complete(run, value)

        return complete_int
    return complete


def _null(nullable: bool) -> None:
    """What a null completes to where it stands: null, or (non-null) not this path."""
    if not nullable:
        raise Fallback("non-null")


def _list(
    item: Completer,
    nullable: bool,
    leaf: bool = False,
    sub: Callable[[Run, Any], Any] | None = None,
) -> Completer:
    """A list of ``item``; ``sub``: the items' object sub-plan, called directly for an item
    that is not null."""

    def complete(run: Run, value: Any) -> Any:
        if value is None:
            return _null(nullable)
        if type(value) is not list and (
            isinstance(value, str | bytes | dict) or not isinstance(value, Iterable)
        ):
            raise Fallback("list")
        if run.budget and (
            time.perf_counter() > run.budget
            or (isinstance(value, list | tuple) and len(value) > inline.MAX_ITEMS)
        ):
            raise Offload("a long answer")
        if sub is not None:
            out = [sub(run, v) if v is not None else item(run, v) for v in value]
        else:
            out = [item(run, v) for v in value]
        if leaf or _SYNC.issuperset(map(type, out)):  # a scalar never awaits; nor a dict
            return out
        waiting = [i for i, v in enumerate(out) if type(v) not in _SYNC and awaitable(v)]
        if not waiting:
            return out
        return _fill_list(out, waiting)

    return complete


async def _fill_list(out: list[Any], waiting: list[int]) -> list[Any]:
    values = await _gather([out[i] for i in waiting])
    for i, v in zip(waiting, values, strict=True):
        out[i] = v
    return out


# -- compiling --------------------------------------------------------------------------------
class Compiler:
    """Compiles operations against one strawberry schema; sub-plans per (type, selections)
    are shared within a document."""

    def __init__(self, strawberry_schema: Any, keep_renderings: bool = True) -> None:
        self.strawberry_schema = strawberry_schema
        self.keep_renderings = keep_renderings
        self.schema: GraphQLSchema = strawberry_schema._schema
        self.scalar_registry = strawberry_schema.schema_converter.scalar_registry
        self.config = strawberry_schema.config

    def compile(self, document: DocumentNode, operation_name: str | None) -> Plan:
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is not None:
            ops = [o for o in ops if o.name is not None and o.name.value == operation_name]
        if len(ops) != 1:
            raise NotCompilable("no single operation")
        op = ops[0]
        if op.operation != OperationType.QUERY:
            raise NotCompilable("only queries are compiled")
        if op.directives or any(v.directives for v in op.variable_definitions or ()):
            raise NotCompilable("directives")
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        query_type = self.schema.query_type
        assert query_type is not None
        state = _Document(self, fragments)
        root = state.object_plan(query_type, [op.selection_set])
        plan = Plan(document, op, fragments, root, self.schema, self.scalar_registry, self.config)
        plan.inline = all(f.definition is None or inline.marked(f.resolver) for f in root.fields)
        return plan


def _of_source_alone(resolver: Any) -> bool:
    """Whether a resolver's one parameter is its source: ``self`` of a method, or the parent
    (``root: strawberry.Parent[...]``) of a static method, called as ``f(source)``."""
    params = list(resolver.signature.parameters.values())
    if len(params) != 1 or params[0].kind not in (
        params[0].POSITIONAL_ONLY,
        params[0].POSITIONAL_OR_KEYWORD,
    ):
        return False
    sources = (resolver.self_parameter, resolver.parent_parameter, resolver.root_parameter)
    return any(p is not None and p.name == params[0].name for p in sources)


class _Document:
    def __init__(self, compiler: Compiler, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.compiler = compiler
        self.schema = compiler.schema
        self.fragments = fragments
        #: completers whose value depends on the value alone, not on the request
        self.pure: set[Completer] = set()
        #: those that complete one object (or abstract) value: where a rendering is kept
        self.objects: set[Completer] = set()
        #: object completers, to the function of their sub-plan
        self.object_fns: dict[Completer, Callable[[Run, Any], Any]] = {}

    def collect(
        self, type_: GraphQLObjectType, sets: Sequence[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        """Fields by response key, in the order graphql-core collects them."""
        out: dict[str, list[FieldNode]] = {}
        seen: set[str] = set()

        def visit(selection_set: SelectionSetNode) -> None:
            for sel in selection_set.selections:
                if sel.directives:
                    raise NotCompilable("directives")
                if isinstance(sel, FieldNode):
                    key = sel.alias.value if sel.alias else sel.name.value
                    out.setdefault(key, []).append(sel)
                elif isinstance(sel, InlineFragmentNode):
                    if sel.type_condition is None or self.matches(
                        sel.type_condition.name.value, type_
                    ):
                        visit(sel.selection_set)
                elif isinstance(sel, FragmentSpreadNode):
                    name = sel.name.value
                    if name in seen:
                        continue
                    seen.add(name)
                    fragment = self.fragments.get(name)
                    if fragment is None:
                        raise NotCompilable(f"unknown fragment {name}")
                    if getattr(fragment, "variable_definitions", None):
                        raise NotCompilable("fragment variables")
                    if self.matches(fragment.type_condition.name.value, type_):
                        visit(fragment.selection_set)

        for s in sets:
            visit(s)
        return out

    def matches(self, condition: str, type_: GraphQLObjectType) -> bool:
        cond = self.schema.get_type(condition)
        if cond is type_:
            return True
        if isinstance(cond, GraphQLInterfaceType | GraphQLUnionType):
            return self.schema.is_sub_type(cond, type_)
        return False

    def object_plan(self, type_: GraphQLObjectType, sets: Sequence[SelectionSetNode]) -> ObjectPlan:
        fields = []
        for key, nodes in self.collect(type_, sets).items():
            fields.append(self.field_plan(type_, key, nodes))
        plan = ObjectPlan(type_, fields)
        plan.pure = all(self.pure_field(f) for f in fields)
        if not plan.pure and self.compiler.keep_renderings:
            # a kept domain answer (the value of a field marked inline_when_kept), when what
            # is asked of it depends on it alone, keeps its JSON
            for f in fields:
                kept = f.resolver is not None and inline.marked(f.resolver)
                if kept and f.complete in self.pure and f.complete in self.objects:
                    f.complete = _kept(f.complete)
                    f.sub = None
        plan.fn = _generate(plan)
        return plan

    def pure_field(self, f: FieldPlan) -> bool:
        """Whether the field's answer depends on its source alone: read as an attribute or by a
        resolver that takes no info (no context, no identity, no request) and no variable,
        and completed by pure completers. Such a resolver computes from the source it is
        given, a domain answer that is never changed once kept."""
        if f.definition is None:
            return True
        if f.attribute is None and (f.wants_info is not None or _uses_variables(f.nodes)):
            return False
        return f.complete in self.pure

    def field_plan(self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> FieldPlan:
        name = nodes[0].name.value
        if name == "__typename":
            return FieldPlan(key, name, nodes, None, parent, None, GraphQLString)
        if name.startswith("__"):
            raise NotCompilable("introspection")
        definition = parent.fields.get(name)
        if definition is None:
            raise NotCompilable(f"no field {parent.name}.{name}")
        sfield = (definition.extensions or {}).get(BACKREF)
        if not isinstance(sfield, StrawberryField):
            raise NotCompilable(f"{parent.name}.{name} is not a strawberry field")
        if sfield.extensions or getattr(sfield, "permission_classes", None):
            raise NotCompilable(f"{parent.name}.{name} has field extensions")
        plan = FieldPlan(key, name, nodes, definition, parent, sfield, definition.type)
        if sfield.base_resolver is None:
            if definition.args and any(n.arguments for n in nodes):
                raise NotCompilable("arguments on a plain field")
            if self.compiler.config.default_resolver is not getattr:
                raise NotCompilable("a custom default resolver")
            plan.attribute = sfield.python_name
            plan.fetch = operator.attrgetter(sfield.python_name)
        else:
            resolver = sfield.base_resolver
            plan.resolver = resolver
            plan.has_arguments = bool(sfield.arguments)
            plan.leaf_arguments = all(_leaf_type(a.type) for a in definition.args.values())
            plan.fixed_arguments = (
                resolver.info_parameter is None
                and not _uses_variables(nodes)
                and plan.leaf_arguments
            )
            plan.self_arg = resolver.self_parameter is not None
            plan.kw_source = tuple(
                p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p
            )
            info = resolver.info_parameter
            plan.wants_info = info.name if info is not None else None
            if not callable(resolver.wrapped_func):
                raise NotCompilable(f"{parent.name}.{name}: the resolver is not callable")
            plan.resolver = resolver.wrapped_func  # what StrawberryResolver.__call__ calls
            if _of_source_alone(resolver):  # f(source): as cheap as an attribute read
                plan.fetch = resolver.wrapped_func
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        plan.complete = self.completer(definition.type, sets)
        plan.sub = self.object_fns.get(plan.complete)
        named = definition.type
        if isinstance(named, GraphQLNonNull):
            named = named.of_type
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            plan.leaf = True
            plan.leaf_fast = _FAST.get(named.name)
        return plan

    def completer(self, type_: GraphQLOutputType, sets: list[SelectionSetNode]) -> Completer:
        """How a value of ``type_`` is completed, its null check included (one call per value
        and level, no wrappers)."""
        nullable = not isinstance(type_, GraphQLNonNull)
        named: Any = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            done = _leaf(named, nullable)
            self.pure.add(done)
            return done
        if isinstance(named, GraphQLList):
            inner = named.of_type
            inner = inner.of_type if isinstance(inner, GraphQLNonNull) else inner
            leaf = isinstance(inner, GraphQLScalarType | GraphQLEnumType)
            item = self.completer(named.of_type, sets)
            done = _list(item, nullable, leaf, self.object_fns.get(item))
            if item in self.pure:
                self.pure.add(done)
            return done
        if isinstance(named, GraphQLObjectType):
            plan = self.object_plan(named, sets)
            fn = plan.fn
            assert fn is not None

            def complete_object(run: Run, value: Any) -> Any:
                if value is None:
                    return _null(nullable)
                return fn(run, value)

            self.objects.add(complete_object)
            self.object_fns[complete_object] = fn
            if plan.pure:
                self.pure.add(complete_object)
            return complete_object
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return self.abstract(named, sets, nullable)
        raise NotCompilable(f"type {named}")

    def abstract(
        self, type_: GraphQLAbstractType, sets: list[SelectionSetNode], nullable: bool
    ) -> Completer:
        """An interface or union: the runtime type by the value's class (strawberry resolves
        a typed instance to its class's type), a sub-plan per possible type."""
        plans = {t.name: self.object_plan(t, sets) for t in self.schema.get_possible_types(type_)}
        pure = all(p.pure for p in plans.values())
        plans_by_class: dict[type, ObjectPlan] = {}
        by_class: dict[type, Callable[[Run, Any], Any]] = {}  # the same, to the plan's function

        def complete_abstract(run: Run, value: Any) -> Any:
            fn = by_class.get(type(value))
            if fn is not None and getattr(value, CAST, None) is None:
                return fn(run, value)
            if value is None:
                return _null(nullable)
            if get_strawberry_type_cast(value) is not None:  # strawberry.cast: by its cast
                raise Fallback("cast")
            plan = plans_by_class.get(type(value))
            if plan is None:
                definition = getattr(type(value), "__strawberry_definition__", None)
                if definition is None or getattr(definition, "is_graphql_generic", False):
                    raise Fallback("abstract")
                found = plans.get(definition.name)
                if found is None:
                    raise Fallback("abstract")
                plan = plans_by_class[type(value)] = found
            assert plan.fn is not None
            by_class[type(value)] = plan.fn
            return plan.fn(run, value)

        self.objects.add(complete_abstract)
        if pure:
            self.pure.add(complete_abstract)
        return complete_abstract


def _leaf_type(type_: Any) -> bool:
    """A scalar or an enum, or a list of them, null or not: converted to plain values."""
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return isinstance(type_, GraphQLScalarType | GraphQLEnumType)


def _uses_variables(nodes: list[FieldNode]) -> bool:
    """Whether any argument of the field takes a variable (its answer then depends on the
    request's variables)."""

    def walk(value: Any) -> bool:
        if isinstance(value, VariableNode):
            return True
        if isinstance(value, ListValueNode):
            return any(walk(v) for v in value.values)
        if isinstance(value, ObjectValueNode):
            return any(walk(f.value) for f in value.fields)
        return False

    return any(walk(a.value) for n in nodes for a in n.arguments or ())


#: renderings kept per completer (per source value); past it the completer starts afresh
KEPT_PER_FIELD = 256


def _kept(complete: Completer) -> Completer:
    """``complete``, its answer for each source kept as JSON (an ``orjson.Fragment``) while the
    source is: the source is a domain answer kept per store version (a building's coverage,
    a chain), and the answer below it depends on it alone (:meth:`_Document.pure_field`),
    so every later request that finds the same source gets the same bytes without walking
    its fields again. Keyed by the source's identity, held with it (an id is never reused
    while its object is alive); a write makes new sources, so old renderings are never
    found again, and they go when the completer starts afresh."""
    kept: dict[int, tuple[Any, orjson.Fragment]] = {}

    def complete_kept(run: Run, value: Any) -> Any:
        hit = kept.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        done = complete(run, value)
        if type(done) is not dict:  # null, or an answer still to await: not kept
            return done
        rendered = orjson.Fragment(orjson.dumps(done))
        if len(kept) >= KEPT_PER_FIELD:
            kept.clear()
        kept[id(value)] = (value, rendered)
        return rendered

    return complete_kept
