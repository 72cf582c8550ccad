"""The store contract: a small set of batched primitives every store implements.

Batched on purpose: each call takes many ids, so a GraphQL request costs one store call per
nesting level, not one per node. The domain queries in :mod:`graph.queries` are written only
against this contract; a query may carry a faster native version per :attr:`GraphStore.backend`
(:mod:`graph.queries.dispatch`).
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from graph.changes import Changes
from graph.errors import IntegrityError
from graph.listing import (
    Aggregate,
    Listing,
    ListPage,
    Reach,
    aggregate_of,
    evaluate,
    page_of,
    reach_aggregates,
)
from graph.model import Counts, Direction, Hop, Node, Path, Relationship, WriteSummary
from schema import ONTOLOGY
from schema.ontology import PropType

Types = str | Sequence[str] | None


def as_type_set(types: Types) -> frozenset[str] | None:
    if types is None:
        return None
    return frozenset([types] if isinstance(types, str) else types)


class UnitOfWork(ABC):
    """Writes collected inside ``with store.transaction() as tx:`` and committed together.

    Nothing is visible to readers until the block ends without an exception; an exception
    discards every write of the block.
    """

    @abstractmethod
    def upsert_nodes(self, nodes: Iterable[Node]) -> None:
        """Create nodes or merge their properties into existing ones (``None`` removes one)."""

    @abstractmethod
    def upsert_relationships(self, relationships: Iterable[Relationship]) -> None:
        """Create relationships or merge their properties, by relationship id."""

    @abstractmethod
    def delete_nodes(self, ids: Iterable[str]) -> None:
        """Delete nodes with all their relationships."""

    @abstractmethod
    def delete_relationships(self, ids: Iterable[str]) -> None:
        """Delete relationships by id."""


class Writes(ABC):
    """Writing through units of work, and the one-call writes built on them: shared by every
    store and by wrappers that watch the writes (:class:`graph.audited.AuditedStore`)."""

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """A unit of work; yields a :class:`UnitOfWork`, commits when the block ends."""

    @property
    @abstractmethod
    def last_summary(self) -> WriteSummary:
        """What the most recent unit of work this thread committed changed.

        Per thread (:class:`ThreadSummaries`): an API request writes in a worker thread, and two
        requests writing at once must each report their own changes."""

    def upsert_nodes(self, nodes: Iterable[Node]) -> WriteSummary:
        with self.transaction() as tx:
            tx.upsert_nodes(nodes)
        return self.last_summary

    def upsert_relationships(self, relationships: Iterable[Relationship]) -> WriteSummary:
        with self.transaction() as tx:
            tx.upsert_relationships(relationships)
        return self.last_summary

    def delete_nodes(self, ids: Iterable[str]) -> WriteSummary:
        with self.transaction() as tx:
            tx.delete_nodes(ids)
        return self.last_summary

    def delete_relationships(self, ids: Iterable[str]) -> WriteSummary:
        with self.transaction() as tx:
            tx.delete_relationships(ids)
        return self.last_summary


#: The contract's reads: what a query may ask of a store (the calls benches and tests count).
READ_METHODS: tuple[str, ...] = (
    "get_nodes", "get_relationships", "neighbours", "linked", "walk", "find", "find_named",
    "nodes_of_kind", "nodes_in_range", "count_nodes", "list_nodes", "aggregate_nodes",
    "reach_aggregates", "counts", "shortest_path", "iter_nodes", "iter_relationships",
)  # fmt: skip


class ThreadSummaries(threading.local):
    """Each thread's :attr:`GraphStore.last_summary`, for the stores to keep."""

    def __init__(self) -> None:
        self.last = WriteSummary()


class GraphStore(Writes):
    """What the rest of gridgraph may ask of a store."""

    name: str = "store"
    backend: str = "contract"
    """Which native versions of the domain queries answer on this store
    (:mod:`graph.queries.dispatch`); wrappers pass their inner store's through."""

    # -- reads --------------------------------------------------------------------------
    @abstractmethod
    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        """The nodes with these ids; ids the store does not hold are left out."""

    @abstractmethod
    def get_relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        """The relationships with these ids; unknown ids are left out."""

    @abstractmethod
    def neighbours(
        self,
        ids: Iterable[str],
        types: Types = None,
        direction: Direction = Direction.OUT,
        as_of: date | None = None,
        kinds: Types = None,
    ) -> dict[str, list[Hop]]:
        """For each id, the hops along relationships of ``types`` in ``direction``.

        ``as_of`` keeps only relationships in force on that day; ``kinds`` keeps only
        neighbours of those node kinds. Every requested id is a key, with ``[]`` if none.
        Hops are ordered by relationship type, then neighbour id, so answers are stable.
        """

    def linked(
        self,
        ids: Iterable[str],
        types: Types = None,
        direction: Direction = Direction.OUT,
        as_of: date | None = None,
        kinds: Types = None,
    ) -> set[str]:
        """The ids among ``ids`` with at least one hop as :meth:`neighbours` would give: what
        a caller asking only whether something is linked reads, without the hops (a post's
        holders over the years, a compound's contracts). Stores may stop at the first hop."""
        hops = self.neighbours(ids, types, direction, as_of, kinds)
        return {nid for nid, found in hops.items() if found}

    @abstractmethod
    def walk(
        self,
        ids: Iterable[str],
        rel_type: str,
        direction: Direction = Direction.OUT,
        max_depth: int = 8,
        as_of: date | None = None,
    ) -> dict[str, list[Node]]:
        """For each id, the nodes reached along ``rel_type`` within ``max_depth`` steps.

        Breadth first, nearest first, each node once, the start node left out: walking
        ``PART_OF`` out from a building gives its compound, community, subdistrict, district.
        """

    @abstractmethod
    def find(self, text: str, kinds: Types = None, limit: int = 20) -> list[Node]:
        """Nodes whose name or an alias contains ``text``, best first: the name equal to it,
        then an alias equal to it, then names starting with it, then names holding it
        further in; within each, shorter names first, then places, organisations and the
        rest (``ONTOLOGY.search_rank``), then by id (``NameIndex.ranked``). A search reads a
        page of the best matches without collecting every one: 社区 is in a tenth of all
        names."""

    def find_named(self, names: Iterable[str], kinds: Types = None) -> dict[str, list[Node]]:
        """For each of ``names``, the nodes whose name or an alias is exactly it, by id.

        What a loader asks of a reference cell ("黎阳社区" in a 社区 column): one call for a
        whole sheet. Stores answer from an index; this fallback filters ``find``.
        """
        found: dict[str, list[Node]] = {}
        for name in dict.fromkeys(names):
            hits = self.find(name, kinds, limit=10_000)
            found[name] = [n for n in hits if is_named(n, name)]
        return found

    @abstractmethod
    def nodes_of_kind(
        self,
        kind: str,
        where: Mapping[str, Any] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Node]:
        """Nodes of one kind, ordered by id, whose properties equal ``where``; keyset paging."""

    def nodes_in_range(
        self,
        kind: str,
        prop: str,
        low: Any,
        high: Any,
        after: tuple[Any, str] | None = None,
        limit: int | None = None,
    ) -> list[Node]:
        """Nodes of ``kind`` whose ``prop`` lies within ``low`` … ``high`` (both included), in
        the order of ``(prop, id)``, after the keyset ``after`` (a ``(value, id)`` pair).

        For the properties the ontology declares ``ordered`` (``Agreement.valid_to``), stores
        answer from an index in value order, so a page costs the page, not the kind; this
        fallback reads the kind."""
        check_ordered(kind, prop)
        keyed = sorted(
            ((n.props[prop], n.id), n) for n in self.nodes_of_kind(kind)
            if n.props.get(prop) is not None and low <= n.props[prop] <= high
        )  # fmt: skip
        found = [n for key, n in keyed if after is None or key > after]
        return found if limit is None else found[:limit]

    @abstractmethod
    def count_nodes(self, kind: str, where: Mapping[str, Any] | None = None) -> int:
        """How many nodes of ``kind`` match ``where``."""

    def list_nodes(
        self, listing: Listing, after: str | None = None, limit: int | None = None
    ) -> ListPage:
        """The nodes of ``listing`` (AND/OR/NOT, relationship filters, orders by property or
        by count), from the one after ``after`` (an id in the list; :class:`CursorNotInList`
        otherwise), at most ``limit``, with the number of nodes the whole listing holds.

        This fallback evaluates over the primitives above, one call per condition; a store
        with a query language answers in one query."""
        everything = evaluate(self, listing)
        return ListPage(page_of(everything, after, limit), len(everything))

    def aggregate_nodes(self, listing: Listing, props: Sequence[str] = ()) -> Aggregate:
        """How many nodes ``listing`` holds, and the min and max of ``props`` among them."""
        return aggregate_of(
            evaluate(self, Listing(listing.kind, listing.where, (), listing.as_of)), props
        )

    def reach_aggregates(
        self,
        ids: Iterable[str],
        reach: Reach,
        as_of: date | None = None,
        props: Sequence[str] = (),
    ) -> dict[str, Aggregate]:
        """For each id, how many distinct nodes (not itself) ``reach`` leads to along links
        in force on ``as_of``, and the min and max of ``props`` among them."""
        return reach_aggregates(self, list(dict.fromkeys(ids)), reach, as_of, props)

    @abstractmethod
    def counts(self) -> Counts:
        """Nodes per kind and relationships per type."""

    @abstractmethod
    def shortest_path(
        self, source: str, target: str, max_length: int = 6, as_of: date | None = None
    ) -> Path | None:
        """The shortest connection ignoring direction, or None beyond ``max_length`` hops."""

    @abstractmethod
    def iter_nodes(self, kind: str | None = None) -> Iterator[Node]:
        """Every node (of one kind), ordered by id: for export and analytics."""

    @abstractmethod
    def iter_relationships(self, type_: str | None = None) -> Iterator[Relationship]:
        """Every relationship (of one type), ordered by id."""

    def version(self) -> int | None:
        """A number that changes whenever the stored data changes; None if the store cannot tell.

        Lets readers cache derived answers (search indexes, coverage) per version of the data.
        """
        return None

    def changes_since(self, version: int) -> Changes | None:
        """The records changed since :meth:`version` was ``version``, with what each was then;
        None when the store cannot tell (a version too old or never seen, a store that keeps no
        journal): the reader computes its answer again instead of bringing it forward."""
        return None

    # -- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        """Release files, drivers and connections."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_ordered(kind: str, prop: str) -> None:
    """Range questions are asked of the properties the ontology keeps in value order."""
    if not any(p.name == prop and p.ordered for p in ONTOLOGY.kind(kind).all_props):
        ordered = [p.name for p in ONTOLOGY.kind(kind).all_props if p.ordered]
        raise ValueError(
            f"{kind}.{prop} is not kept in value order (ordered properties of {kind}: "
            f"{', '.join(ordered) or 'none'})"
        )


def check_node(node: Node) -> None:
    """Refuse a node the ontology does not allow: unknown kind, wrong id prefix, unknown
    property, or a value of the wrong type (a map, a list of lists, a null inside a list...)."""
    rule = _NODE_RULES.get(node.kind)
    if rule is None:
        try:
            kind = ONTOLOGY.kind(node.kind)
        except KeyError as e:
            raise IntegrityError(str(e)) from None
        rule = _NODE_RULES[node.kind] = (kind.id_prefix + ":", _node_types(node.kind))
    prefix, types = rule
    if not node.id.startswith(prefix):
        raise IntegrityError(f"node id {node.id!r} does not start with {prefix}")
    _check_values(node.kind, node.id, node.props, types)


def check_relationship(rel: Relationship, source_kind: str, target_kind: str) -> None:
    """Refuse a relationship whose type or endpoint kinds the ontology does not allow, or whose
    properties it does not declare with those value types."""
    types = _ALLOWED_ENDS.get((rel.type, source_kind, target_kind))
    if types is None:
        try:
            rtype = ONTOLOGY.relation(rel.type)
        except KeyError as e:
            raise IntegrityError(str(e)) from None
        if not rtype.allows(source_kind, target_kind):
            raise IntegrityError(
                f"{rel.type} may not join {source_kind} {rel.source} to {target_kind} {rel.target}"
            )
        types = _ALLOWED_ENDS[rel.type, source_kind, target_kind] = _rel_types(rel.type)
    rid = rel.id
    if not (rid.startswith(rel.type) and rid[len(rel.type) : len(rel.type) + 1] == ":"):
        named = rid.split(":", 1)[0]  # not the usual TYPE:... id: it must not name another
        if named != rel.type and named in ONTOLOGY.relations:
            raise IntegrityError(f"relationship id {rid!r} names type {named}, not {rel.type}")
    _check_values(rel.type, rid, rel.props, types)


def _check_values(
    kind: str, record_id: str, props: Mapping[str, Any], types: Mapping[str, PropType]
) -> None:
    """Every value a store can hold as it is: Neo4j refuses maps, nested lists and nulls in
    lists only when the statement runs, so both stores refuse them here, before any write.

    Runs for every record of every commit (300,000 in a large load): text, days and whole
    numbers, nearly every value, are checked inline; a day already seen is not matched again.
    """
    string, day, days = PropType.STRING, PropType.DATE, _DAYS_SEEN
    for name, value in props.items():
        ptype = types.get(name)
        cls = value.__class__
        if cls is str:
            if ptype is string:
                continue
            if ptype is day:
                if value in days:
                    continue
                if _ISO_DAY.fullmatch(value) is not None:
                    if len(days) < 100_000:
                        days.add(value)
                    continue
        elif (value is None or cls is int) and (
            ptype is not None and (value is None or ptype is _INT or ptype is _FLOAT)
        ):
            continue
        if ptype is None:
            unknown = sorted(set(props) - set(types))
            raise IntegrityError(f"{kind} has no property {', '.join(unknown)}")
        if not _VALUE_CHECKS[ptype](value):
            raise IntegrityError(
                f"{kind} {record_id}: property {name} must be {_VALUE_NAMES[ptype]}, "
                f"not {type(value).__name__} {_short(value)}"
            )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_iso_day(value: Any) -> bool:
    return isinstance(value, str) and _ISO_DAY.fullmatch(value) is not None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAYS_SEEN: set[str] = set()  # ISO days already matched (a bounded memo: days repeat a lot)
_INT, _FLOAT = PropType.INT, PropType.FLOAT
_VALUE_CHECKS: dict[PropType, Callable[[Any], bool]] = {
    PropType.STRING: lambda v: isinstance(v, str),
    PropType.INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
    PropType.FLOAT: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    PropType.BOOL: lambda v: isinstance(v, bool),
    PropType.DATE: _is_iso_day,
    PropType.STRINGS: lambda v: isinstance(v, list | tuple) and all(isinstance(x, str) for x in v),
}
_VALUE_NAMES: dict[PropType, str] = {
    PropType.STRING: "a string",
    PropType.INT: "an integer",
    PropType.FLOAT: "a number",
    PropType.BOOL: "true or false",
    PropType.DATE: "an ISO day (YYYY-MM-DD)",
    PropType.STRINGS: "a list of strings",
}

# Memoised answers of the ontology, per kind and per (type, source kind, target kind): the
# checks run for every record of a commit, hundreds of thousands in a bulk load.
_TYPE_CACHE: dict[str, dict[str, PropType]] = {}
_NODE_RULES: dict[str, tuple[str, dict[str, PropType]]] = {}
_ALLOWED_ENDS: dict[tuple[str, str, str], dict[str, PropType]] = {}


def _node_types(kind: str) -> dict[str, PropType]:
    key = "node:" + kind
    if key not in _TYPE_CACHE:
        _TYPE_CACHE[key] = {p.name: p.type for p in ONTOLOGY.kind(kind).all_props}
    return _TYPE_CACHE[key]


def _rel_types(type_: str) -> dict[str, PropType]:
    key = "rel:" + type_
    if key not in _TYPE_CACHE:
        _TYPE_CACHE[key] = {p.name: p.type for p in ONTOLOGY.relation(type_).all_props}
    return _TYPE_CACHE[key]


def is_named(node: Node, name: str) -> bool:
    """Whether ``name`` is the node's name or one of its aliases, exactly."""
    return node.props.get("name") == name or name in (node.props.get("aliases") or ())


def merge_props(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    """Upsert semantics shared by every store: given keys replace, ``None`` removes."""
    merged = dict(old or {})
    for k, v in new.items():
        if v is None:
            merged.pop(k, None)
        else:
            merged[k] = v
    return merged
