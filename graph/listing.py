"""Listing requests: which nodes of a kind, in which order, with counts and min/max.

Why a model of its own: a planner's question ("communities with no partner in force",
"departments by the number of communities they pair with") must reach the store whole, so the
Neo4j store can answer it in one Cypher statement instead of the API fetching every node and
counting in Python. A request is plain frozen data built from the ontology's names; this module
also evaluates it over the contract's primitives (``nodes_of_kind``, ``neighbours``, ``walk``),
batched, one call per predicate, which is what the embedded store does.

Examples
--------
>>> from graph.memory import MemoryStore
>>> from graph.model import Relationship, new_node
>>> store = MemoryStore()
>>> a = new_node("Community", division_code="1", name="甲")
>>> b = new_node("Community", division_code="2", name="乙")
>>> d = new_node("Department", code="d", name="局")
>>> _ = store.upsert_nodes([a, b, d])
>>> _ = store.upsert_relationships([Relationship("PAIRED_WITH", d.id, a.id)])
>>> unpaired = Related(Step("PAIRED_WITH", Direction.IN), "none")
>>> [n.props["name"] for n in store.list_nodes(Listing("Community", unpaired)).nodes]
['乙']
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from graph.errors import GridGraphError
from graph.model import Direction, Node
from schema import ONTOLOGY
from schema.ontology import GRID_STEPS, PropType

if TYPE_CHECKING:
    from graph.contract import GraphStore

Op = Literal["eq", "in", "contains", "gt", "gte", "lt", "lte", "includes"]
Quantifier = Literal["some", "none", "all"]

MAX_DEPTH = 6
"""Deepest nesting of AND/OR/NOT and relationship filters a request may have."""
MAX_PREDICATES = 64
"""Most conditions (property tests, kinds, relationship filters) in one request."""
MAX_STEPS = 2
"""Longest path a count may follow (two steps: a unit's agreements, then their parties)."""

_NAME = re.compile(r"[a-z][a-z0-9_]*")


class ListingError(GridGraphError):
    """A listing request the ontology does not allow, or larger than the bounds."""


class CursorNotInList(GridGraphError):
    """``after`` names a node that is not in the list being paged."""


@dataclass(frozen=True)
class PropTest:
    """One test on a property of the node: ``eq``, ``in`` (value a tuple), ``contains``,
    ``gt``/``gte``/``lt``/``lte`` (dates as ISO strings) or ``includes`` (a list property).
    A node without the property never passes (and so passes under ``NOT``)."""

    prop: str
    op: Op
    value: Any


@dataclass(frozen=True)
class KindIn:
    """The node is of one of these kinds (for ends of relationships that join several)."""

    kinds: tuple[str, ...]


@dataclass(frozen=True)
class IdIn:
    """The node's id is one of these."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    """Every part holds (AND); no parts: always true."""

    parts: tuple[Predicate, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one part holds (OR); no parts: never true."""

    parts: tuple[Predicate, ...]


@dataclass(frozen=True)
class Not:
    part: Predicate


@dataclass(frozen=True)
class Step:
    """Along one relationship type, OUT from the node or IN to it."""

    rel_type: str
    direction: Direction


@dataclass(frozen=True)
class Related:
    """Some, none or all of the nodes one step away (by links in force on the request's day)
    satisfy ``where``; with no ``where``, some/none ask whether there is any such node."""

    step: Step
    quantifier: Quantifier
    where: Predicate | None = None


@dataclass(frozen=True)
class Below:
    """The node lies below the grid ``ancestor`` along PART_OF links in force, at any depth."""

    ancestor: str


Predicate = PropTest | KindIn | IdIn | AllOf | AnyOf | Not | Related | Below


@dataclass(frozen=True)
class Reach:
    """The distinct nodes (other than the start) reached along ``steps`` whose ``where``
    holds: ``(PAIRED_WITH out)`` are a department's paired grids, ``(PARTY_TO out, PARTY_TO
    in)`` the other parties to a unit's agreements."""

    steps: tuple[Step, ...]
    where: Predicate | None = None


@dataclass(frozen=True)
class SortKey:
    """Order by a property (missing values last) or by a count of reached nodes."""

    prop: str | None = None
    reach: Reach | None = None
    descending: bool = False


@dataclass(frozen=True)
class Listing:
    """Nodes of ``kind`` satisfying ``where``, ordered by ``order`` then id; relationship
    filters, ``Below`` and counts use links in force on ``as_of`` (any day when None)."""

    kind: str
    where: Predicate | None = None
    order: tuple[SortKey, ...] = ()
    as_of: date | None = None


@dataclass(frozen=True)
class ListPage:
    """A page of a listing and how many nodes the whole listing holds."""

    nodes: list[Node]
    total: int


@dataclass(frozen=True)
class Aggregate:
    """How many nodes, and the least and greatest value of each asked property among them
    (None when none of them has it)."""

    count: int
    minimum: Mapping[str, Any] = field(default_factory=dict)
    maximum: Mapping[str, Any] = field(default_factory=dict)


# -- checking a request against the ontology ------------------------------------------------


def end_kinds(kinds: Iterable[str], step: Step) -> tuple[str, ...]:
    """The kinds at the other end of ``step`` from nodes of ``kinds``; empty if none can go."""
    rel = ONTOLOGY.relation(step.rel_type)
    here, there = (
        (rel.sources, rel.targets)
        if step.direction == Direction.OUT
        else (rel.targets, rel.sources)
    )
    if not set(kinds) & set(here):
        return ()
    return tuple(k for k in ONTOLOGY.kinds if k in there)


def _props_of(kinds: Iterable[str]) -> dict[str, PropType]:
    """Properties any of ``kinds`` declares, with their types."""
    found: dict[str, PropType] = {}
    for k in kinds:
        for p in ONTOLOGY.kind(k).all_props:
            found.setdefault(p.name, p.type)
    return found


def check_listing(listing: Listing) -> None:
    """Refuse a request naming what the ontology does not have, or beyond the bounds; so a
    store may put its names into a query text (they are the ontology's, never a caller's)."""
    if listing.kind not in ONTOLOGY.kinds:
        raise ListingError(f"unknown node kind {listing.kind!r} (未知节点类型)")
    kinds = (listing.kind,)
    budget = [MAX_PREDICATES]
    if listing.where is not None:
        check_predicate(listing.where, kinds, 1, budget)
    props = _props_of(kinds)
    for key in listing.order:
        if (key.prop is None) == (key.reach is None):
            raise ListingError("a sort key orders by a property or by a count, not both (排序键)")
        if key.prop is not None and key.prop not in props:
            raise ListingError(f"{listing.kind} has no property {key.prop!r} to order by")
        if key.reach is not None:
            check_reach(key.reach, kinds, budget)


def check_reach(reach: Reach, kinds: Sequence[str], budget: list[int] | None = None) -> None:
    budget = budget if budget is not None else [MAX_PREDICATES]
    if not 1 <= len(reach.steps) <= MAX_STEPS:
        raise ListingError(
            f"a count follows 1 to {MAX_STEPS} relationship steps, not {len(reach.steps)} "
            f"(计数路径最多 {MAX_STEPS} 步)"
        )
    here = tuple(kinds)
    for step in reach.steps:
        _spend(budget)
        there = end_kinds(here, _known(step))
        if not there:
            raise ListingError(
                f"{step.rel_type} {step.direction.value} does not lead anywhere from "
                f"{', '.join(here)} (该关系不适用于 {', '.join(here)})"
            )
        here = there
    if reach.where is not None:
        check_predicate(reach.where, here, 2, budget)


def _known(step: Step) -> Step:
    if step.rel_type not in ONTOLOGY.relations:
        raise ListingError(f"unknown relationship type {step.rel_type!r} (未知关系类型)")
    if step.direction not in (Direction.OUT, Direction.IN):
        raise ListingError("a relationship step goes OUT or IN (关系方向)")
    return step


def _spend(budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise ListingError(
            f"the filter has more than {MAX_PREDICATES} conditions: ask a simpler question "
            f"(筛选条件超过 {MAX_PREDICATES} 个)"
        )


def check_predicate(pred: Predicate, kinds: Sequence[str], depth: int, budget: list[int]) -> None:
    """``pred`` applies to nodes of ``kinds``, within the depth and size bounds."""
    if depth > MAX_DEPTH:
        raise ListingError(
            f"the filter nests deeper than {MAX_DEPTH} levels (筛选条件嵌套超过 {MAX_DEPTH} 层)"
        )
    _spend(budget)
    if isinstance(pred, PropTest):
        props = _props_of(kinds)
        if pred.prop not in props or not _NAME.fullmatch(pred.prop):
            raise ListingError(f"{'/'.join(kinds)} has no property {pred.prop!r} (无此属性)")
        if pred.op == "in" and not isinstance(pred.value, tuple):
            raise ListingError("an `in` test takes a list of values")
    elif isinstance(pred, KindIn):
        unknown = [k for k in pred.kinds if k not in ONTOLOGY.kinds]
        if unknown:
            raise ListingError(f"unknown node kind {unknown[0]!r} (未知节点类型)")
    elif isinstance(pred, IdIn):
        if not all(isinstance(i, str) for i in pred.ids):
            raise ListingError("an id condition takes ids (节点标识)")
    elif isinstance(pred, AllOf | AnyOf):
        for part in pred.parts:
            check_predicate(part, kinds, depth + 1, budget)
    elif isinstance(pred, Not):
        check_predicate(pred.part, kinds, depth + 1, budget)
    elif isinstance(pred, Related):
        there = end_kinds(kinds, _known(pred.step))
        if not there:
            raise ListingError(
                f"{pred.step.rel_type} {pred.step.direction.value} does not apply to "
                f"{', '.join(kinds)} (该关系不适用于 {', '.join(kinds)})"
            )
        if pred.quantifier not in ("some", "none", "all"):
            raise ListingError(f"unknown quantifier {pred.quantifier!r}")
        if pred.where is not None:
            check_predicate(pred.where, there, depth + 1, budget)
    elif isinstance(pred, Below):
        if not isinstance(pred.ancestor, str):
            raise ListingError("within takes a grid id")
    else:  # pragma: no cover - the union is closed
        raise ListingError(f"not a predicate: {pred!r}")


# -- evaluating a request over the contract's primitives ------------------------------------

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def prop_holds(node: Node, test: PropTest) -> bool:
    """The property test on one node, with the semantics every store shares."""
    value = node.props.get(test.prop)
    if value is None:
        return False
    op = test.op
    if op == "eq":
        return bool(value == test.value)
    if op == "in":
        return value in test.value
    if op == "contains":
        return isinstance(value, str) and str(test.value) in value
    if op == "includes":
        return isinstance(value, list | tuple) and test.value in value
    try:
        return _COMPARE[op](value, test.value)
    except TypeError:
        return False


class Evaluator:
    """Evaluates predicates and counts over a store, a whole set of nodes at a time."""

    def __init__(self, store: GraphStore, as_of: date | None) -> None:
        self.store = store
        self.as_of = as_of

    def passing(self, nodes: Sequence[Node], pred: Predicate | None) -> list[Node]:
        """The nodes (in their order) for which ``pred`` holds."""
        if pred is None or not nodes:
            return list(nodes)
        ok = self._ids(nodes, pred)
        return [n for n in nodes if n.id in ok]

    def _ids(self, nodes: Sequence[Node], pred: Predicate) -> set[str]:
        if isinstance(pred, PropTest):
            return {n.id for n in nodes if prop_holds(n, pred)}
        if isinstance(pred, KindIn):
            return {n.id for n in nodes if n.kind in pred.kinds}
        if isinstance(pred, IdIn):
            return {n.id for n in nodes if n.id in pred.ids}
        if isinstance(pred, AllOf):
            left = list(nodes)
            for part in pred.parts:
                left = self.passing(left, part)
            return {n.id for n in left}
        if isinstance(pred, AnyOf):
            found: set[str] = set()
            for part in pred.parts:
                rest = [n for n in nodes if n.id not in found]
                found |= self._ids(rest, part) if rest else set()
            return found
        if isinstance(pred, Not):
            return {n.id for n in nodes} - self._ids(nodes, pred.part)
        if isinstance(pred, Below):
            below = self.store.walk(
                [pred.ancestor], "PART_OF", Direction.IN, GRID_STEPS, self.as_of
            )
            return {n.id for n in below.get(pred.ancestor, [])} & {n.id for n in nodes}
        return self._related(nodes, pred)

    def _ends(self, ids: Sequence[str], step: Step) -> dict[str, list[Node]]:
        hops = self.store.neighbours(ids, step.rel_type, step.direction, self.as_of)
        ends: dict[str, list[Node]] = {}
        for nid in ids:
            seen: dict[str, Node] = {}
            for hop in hops.get(nid, []):
                seen.setdefault(hop.node.id, hop.node)
            ends[nid] = list(seen.values())
        return ends

    def _related(self, nodes: Sequence[Node], pred: Related) -> set[str]:
        ends = self._ends([n.id for n in nodes], pred.step)
        distinct: dict[str, Node] = {}
        for found in ends.values():
            for m in found:
                distinct.setdefault(m.id, m)
        ok = (
            set(distinct)
            if pred.where is None
            else {m.id for m in self.passing(list(distinct.values()), pred.where)}
        )
        result: set[str] = set()
        for n in nodes:
            here = [m.id for m in ends[n.id]]
            if pred.quantifier == "some":
                hit = any(m in ok for m in here)
            elif pred.quantifier == "none":
                hit = not any(m in ok for m in here)
            else:
                hit = all(m in ok for m in here)
            if hit:
                result.add(n.id)
        return result

    def reached(self, ids: Sequence[str], reach: Reach) -> dict[str, list[Node]]:
        """For each id, the distinct nodes other than itself reached along the path."""
        frontier: dict[str, dict[str, Node]] = {nid: {} for nid in ids}
        starts = list(dict.fromkeys(ids))
        current: dict[str, list[str]] = {nid: [nid] for nid in starts}
        for i, step in enumerate(reach.steps):
            here = sorted({x for xs in current.values() for x in xs})
            ends = self._ends(here, step) if here else {}
            nxt: dict[str, list[str]] = {}
            for nid in starts:
                reached: dict[str, Node] = {}
                for x in current[nid]:
                    for m in ends.get(x, []):
                        reached.setdefault(m.id, m)
                nxt[nid] = list(reached)
                if i == len(reach.steps) - 1:
                    frontier[nid] = {k: v for k, v in reached.items() if k != nid}
            current = nxt
        distinct: dict[str, Node] = {}
        for found in frontier.values():
            distinct.update(found)
        ok = {m.id for m in self.passing(list(distinct.values()), reach.where)}
        return {
            nid: sorted((m for k, m in frontier[nid].items() if k in ok), key=lambda m: m.id)
            for nid in ids
        }


def evaluate(store: GraphStore, listing: Listing) -> list[Node]:
    """Every node of the listing, filtered and ordered: the embedded store's answer."""
    check_listing(listing)
    ev = Evaluator(store, listing.as_of)
    nodes = ev.passing(candidates(store, listing), listing.where)
    counts: dict[Reach, dict[str, int]] = {}
    for key in listing.order:
        if key.reach is not None and key.reach not in counts:
            got = ev.reached([n.id for n in nodes], key.reach)
            counts[key.reach] = {k: len(v) for k, v in got.items()}
    for key in reversed(listing.order):
        if key.reach is not None:
            by = counts[key.reach]
            nodes.sort(key=lambda n: by[n.id], reverse=key.descending)
            continue
        prop = key.prop or ""
        present = [n for n in nodes if n.props.get(prop) is not None]
        missing = [n for n in nodes if n.props.get(prop) is None]
        present.sort(key=lambda n: n.props[prop], reverse=key.descending)
        nodes = present + missing
    return nodes


def candidates(store: GraphStore, listing: Listing) -> list[Node]:
    """The nodes a listing can only come from, in id order: with a top-level ``id_in``,
    ``within`` or ``<rel>_SOME`` of named nodes (alone or in an AND), those ids, the grids below
    that one or the nodes one step from those, looked up or walked to, so that a local question
    costs the same however large the graph; else every node of the kind. The whole ``where``
    is still tested on each."""
    found = _narrowed(store, listing.where, listing.as_of)
    if found is None:
        return store.nodes_of_kind(listing.kind)
    return sorted((n for n in found if n.kind == listing.kind), key=lambda n: n.id)


#: A narrowing through a relationship filter starts from at most this many nodes.
NARROW_FROM = 1_000


#: The predicates that name where their nodes are, the narrowest first.
_HANDLES: dict[type, int] = {IdIn: 0, Related: 1, Below: 2}


def _narrowed(store: GraphStore, pred: Predicate | None, as_of: date | None) -> list[Node] | None:
    """Nodes (of any kind) among which every node ``pred`` holds for lies, found without a
    scan; None when ``pred`` gives no such handle."""
    if isinstance(pred, IdIn):
        return list(store.get_nodes(pred.ids).values())
    if isinstance(pred, Below):
        walked = store.walk([pred.ancestor], "PART_OF", Direction.IN, GRID_STEPS, as_of)
        return walked.get(pred.ancestor, [])
    if isinstance(pred, Related) and pred.quantifier == "some":
        starts = _narrowed(store, pred.where, as_of)
        if starts is None or len(starts) > NARROW_FROM:
            return None
        back = {Direction.OUT: Direction.IN, Direction.IN: Direction.OUT}
        step = pred.step
        hops = store.neighbours(
            [n.id for n in starts], step.rel_type, back.get(step.direction, step.direction), as_of
        )
        return list({h.node.id: h.node for found in hops.values() for h in found}.values())
    if isinstance(pred, AllOf):  # the first part with a handle, ids before steps before grids
        for part in sorted(pred.parts, key=lambda p: _HANDLES.get(type(p), len(_HANDLES))):
            found = _narrowed(store, part, as_of)
            if found is not None:
                return found
    return None


class EvaluatedListings:
    """Listings evaluated once per store version: paging through a list, its total and its
    aggregates, or asking it again, then cost a look-up until the data changes. Bounded by
    the nodes the kept lists hold together, least recently asked dropped first."""

    def __init__(self, max_nodes: int = 1_000_000) -> None:
        self.max_nodes = max_nodes
        self._kept: dict[Listing, tuple[int | None, list[Node]]] = {}
        self._held = 0
        self._lock = threading.Lock()

    def nodes(self, store: GraphStore, listing: Listing) -> list[Node]:
        """The listing's nodes as :func:`evaluate` gives them (do not change the list)."""
        version = store.version()
        try:
            with self._lock:
                kept = self._kept.pop(listing, None)
                if kept is not None and kept[0] == version and version is not None:
                    self._kept[listing] = kept  # the most recently asked last
                    return kept[1]
                if kept is not None:
                    self._held -= len(kept[1])
        except TypeError:  # a value that cannot be a key (a list in a filter): not kept
            return evaluate(store, listing)
        nodes = evaluate(store, listing)
        if len(nodes) <= self.max_nodes and version is not None:
            with self._lock:
                if listing not in self._kept:
                    self._kept[listing] = (version, nodes)
                    self._held += len(nodes)
                while self._held > self.max_nodes:
                    oldest = next(iter(self._kept))
                    self._held -= len(self._kept.pop(oldest)[1])
        return nodes


def page_of(nodes: Sequence[Node], after: str | None, limit: int | None) -> list[Node]:
    """The nodes after the one with id ``after`` (from the start when None), at most ``limit``."""
    start = 0
    if after is not None:
        positions = {n.id: i for i, n in enumerate(nodes)}
        if after not in positions:
            raise CursorNotInList(f"the cursor's node {after!r} is not in this list")
        start = positions[after] + 1
    return list(nodes[start : None if limit is None else start + max(limit, 0)])


def aggregate_of(nodes: Iterable[Node], props: Sequence[str]) -> Aggregate:
    """Count, and min and max of each property, over ``nodes``."""
    listed = list(nodes)
    lo: dict[str, Any] = {}
    hi: dict[str, Any] = {}
    for p in props:
        values = [n.props[p] for n in listed if n.props.get(p) is not None]
        lo[p] = min(values) if values else None
        hi[p] = max(values) if values else None
    return Aggregate(len(listed), lo, hi)


def reach_aggregates(
    store: GraphStore,
    ids: Sequence[str],
    reach: Reach,
    as_of: date | None,
    props: Sequence[str] = (),
) -> dict[str, Aggregate]:
    """For each id, the count (and min/max of ``props``) of the nodes reached."""
    kinds = sorted({ONTOLOGY.kind_of_id(i).name for i in ids if _has_kind(i)})
    if kinds:
        check_reach(reach, kinds)
    reached = Evaluator(store, as_of).reached(ids, reach) if ids else {}
    return {nid: aggregate_of(reached.get(nid, []), props) for nid in ids}


def _has_kind(node_id: str) -> bool:
    try:
        ONTOLOGY.kind_of_id(node_id)
    except KeyError:
        return False
    return True
