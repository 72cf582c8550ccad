"""The Neo4j store: the store contract on Neo4j 5 with the official driver.

One driver per store (and one store per process), closed by :meth:`Neo4jStore.close`. Reads run
as managed read transactions, writes as managed write transactions, which the driver retries
on transient errors. A unit of work is sent as ONE write transaction: it reads the current
state of every record it touches, replays the buffered writes with the embedded store's rules
(:func:`graph.staging.stage`), and writes the difference in ``UNWIND $rows`` batches, so it is
all-or-nothing and reports the same :class:`WriteSummary` as the embedded store.

Every statement comes from :data:`graph.neo4j.statements.STATEMENTS` and is sent through
:func:`graph.neo4j.statements.run`.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    TransientError,
)

from graph.contract import (
    GraphStore,
    ThreadSummaries,
    Types,
    UnitOfWork,
    as_type_set,
    check_ordered,
)
from graph.errors import StoreError, StoreUnavailable
from graph.listing import Aggregate, CursorNotInList, Listing, ListPage, Reach, check_reach
from graph.model import (
    Counts,
    Direction,
    Hop,
    Node,
    Path,
    Relationship,
    WriteSummary,
    hop_order,
)
from graph.neo4j.statements import (
    SHORTEST_BOUNDS,
    STATEMENTS,
    WALK_BOUNDS,
    Statement,
    aggregate_statement,
    listing_statement,
    reach_statement,
    run,
    schema_statement_names,
    shortest_statement_name,
    statement_name,
    walk_statement_name,
)
from graph.settings import Settings
from graph.staging import WriteBuffer, stage
from schema import ONTOLOGY

T = TypeVar("T")
Record = Any  # neo4j.Record: read by key

DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
OUT_OF_TRANSACTION_MEMORY = frozenset(
    {
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        "Neo.TransientError.General.TransactionMemoryLimit",
    }
)
"""Transient by Neo4j's classification, so the driver would retry them for 30 s, but the same
unit of work hits the same limit again: they fail at once with advice instead."""

_SCHEMA_READY: set[tuple[str, str]] = set()
"""(uri, database) pairs whose constraints this process has already applied."""


#: Texts the names index finds exactly: two or more Chinese characters and nothing else, each
#: a token of Lucene's CJK analyzer, so every name holding the text holds its character pairs in
#: order (a phrase); the statement then checks each candidate for the whole text.
_FULLTEXT_TEXT = re.compile(r"[\u4e00-\u9fff]{2,}")


class Neo4jStore(GraphStore):
    """The production store. Build it with :meth:`from_settings` (checks the server first)."""

    name = "neo4j"
    backend = "neo4j"

    def __init__(
        self, driver: neo4j.Driver, database: str = "neo4j", batch_size: int = 5000, uri: str = ""
    ) -> None:
        self._driver = driver
        self._database = database
        self._batch = max(1, batch_size)
        self.uri = uri
        self._summaries = ThreadSummaries()

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Settings, *, apply_schema: bool = True) -> Neo4jStore:
        """Connect, verify the server and the credentials, and apply constraints if needed.

        Raises :class:`StoreUnavailable` with a one-line reason when the server cannot be
        reached, refuses the credentials, or lacks the database.
        """
        if not settings.neo4j_uri:
            raise StoreUnavailable("NEO4J_URI is not set: point it at a Neo4j 5 server")
        driver = connect(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
        )
        store = cls(driver, settings.neo4j_database, settings.neo4j_batch_size, settings.neo4j_uri)
        if apply_schema:
            try:
                store.apply_schema(once=True)
            except BaseException:
                store.close()
                raise
        return store

    def apply_schema(self, once: bool = False) -> list[str]:
        """Create the ontology's constraints and indexes (idempotent); the statement names.

        ``once``: skip if this process already applied them to this database.
        """
        key = (self.uri, self._database)
        if once and key in _SCHEMA_READY:
            return []
        names = schema_statement_names()
        for name in names:
            params: dict[str, Any] = {"timeout_seconds": 300} if name == "schema.await" else {}
            self._write(functools.partial(run, name=name, **params))
        _SCHEMA_READY.add(key)
        return names

    # -- plumbing -------------------------------------------------------------------------
    def _session(self, access: str) -> neo4j.Session:
        return self._driver.session(database=self._database, default_access_mode=access)

    def _read(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        with self._unavailable_as_error(), self._session(neo4j.READ_ACCESS) as session:
            return session.execute_read(self._not_retried(work))

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        with self._unavailable_as_error(), self._session(neo4j.WRITE_ACCESS) as session:
            return session.execute_write(self._not_retried(work))

    def _not_retried(
        self, work: Callable[[neo4j.ManagedTransaction], T]
    ) -> Callable[[neo4j.ManagedTransaction], T]:
        """``work``, with the transient errors that retrying cannot cure turned into a
        :class:`StoreError` (not a driver error, so the driver's retry loop lets it through)."""

        def guarded(tx: neo4j.ManagedTransaction) -> T:
            try:
                return work(tx)
            except TransientError as e:
                if e.code not in OUT_OF_TRANSACTION_MEMORY:
                    raise
                raise StoreError(
                    one_line(
                        f"Neo4j at {self.uri} ran out of transaction memory ({e.message}): "
                        "load the file in smaller parts, or raise the server's "
                        "dbms.memory.transaction.total.max / db.memory.transaction.max "
                        "(nothing was written)"
                    )
                ) from None

        return guarded

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        """A server gone, credentials revoked or database missing: one line, not a trace."""
        try:
            yield
        except (ServiceUnavailable, AuthError) as e:
            raise StoreUnavailable(one_line(f"Neo4j at {self.uri}: {e}")) from None
        except Neo4jError as e:
            if e.code == DATABASE_NOT_FOUND:
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} has no database {self._database!r} (NEO4J_DATABASE)"
                ) from None
            if (e.code or "").startswith("Neo.ClientError.Security."):
                raise StoreUnavailable(one_line(f"Neo4j at {self.uri}: {e.message}")) from None
            if isinstance(e, TransientError):
                raise StoreError(
                    one_line(
                        f"Neo4j at {self.uri} kept failing after retries ({e.code}): {e.message} "
                        "(nothing was written; try again)"
                    )
                ) from None
            raise StoreError(
                one_line(f"Neo4j at {self.uri} refused the operation ({e.code}): {e.message}")
            ) from None
        except DriverError as e:
            raise StoreError(one_line(f"Neo4j at {self.uri}: {e}")) from None

    def read(self, name: str | Statement, **params: Any) -> list[Record]:
        """Run one registered statement in a read transaction: for native queries."""
        return self._read(lambda tx: run(tx, name, **params))

    def _chunks(self, items: Sequence[T]) -> Iterator[Sequence[T]]:
        for i in range(0, len(items), self._batch):
            yield items[i : i + self._batch]

    # -- writes ---------------------------------------------------------------------------
    @property
    def last_summary(self) -> WriteSummary:
        return self._summaries.last

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        buffer = WriteBuffer()
        yield buffer
        if not any(items for _, items in buffer.ops):
            self._summaries.last = WriteSummary()
            return
        self._summaries.last = self._write(lambda tx: self._commit(tx, buffer))

    def _commit(self, tx: neo4j.ManagedTransaction, buffer: WriteBuffer) -> WriteSummary:
        """The whole unit of work inside one write transaction (retried as a whole).

        It locks the bookkeeping node first, so units of work from any process run one after
        another: what they read is committed and nothing commits between the read and the
        write (Neo4j reads are read-committed; without the lock two writers could both merge
        over the same old record and the second would erase the first's changes).
        """
        run(tx, "meta.lock")
        stored_nodes = self._fetch_nodes(tx, buffer.node_ids())
        stored_rels = self._fetch_rels(tx, buffer.relationship_ids())
        touching: dict[str, set[str]] = defaultdict(set)
        deleted = sorted(buffer.deleted_node_ids())
        for chunk in self._chunks(deleted):
            for record in run(tx, "rels.touching", ids=list(chunk)):
                rel = decode_rel(record)
                touching[record["node_id"]].add(rel.id)
                stored_rels.setdefault(rel.id, rel)
        staged = stage(
            buffer.ops, stored_nodes.get, stored_rels.get, lambda nid: touching.get(nid, ())
        )

        # 1. relationships that go, or whose type or endpoints change under the same id
        doomed_rels: dict[str, list[str]] = defaultdict(list)
        for rid, final in staged.relationships.items():
            old = stored_rels.get(rid)
            if old is not None and (
                final is None
                or (final.type, final.source, final.target) != (old.type, old.source, old.target)
            ):
                doomed_rels[old.type].append(rid)
        for type_, ids in sorted(doomed_rels.items()):
            for chunk in self._chunks(sorted(ids)):
                run(tx, statement_name("rels.delete", type_), ids=list(chunk))
        # 2. nodes that go (their relationships went in step 1)
        doomed = sorted(
            nid for nid, final in staged.nodes.items() if final is None and nid in stored_nodes
        )
        for chunk in self._chunks(doomed):
            run(tx, "nodes.delete", ids=list(chunk))
        # 3. nodes created or changed: the full final property map
        node_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for nid, final_node in sorted(staged.nodes.items()):
            if final_node is not None and final_node != stored_nodes.get(nid):
                row = {"id": nid, "props": {**final_node.props, "id": nid}}
                node_rows[final_node.kind].append(row)
        for kind, rows in sorted(node_rows.items()):
            for batch in self._chunks(rows):
                run(tx, statement_name("nodes.put", kind), rows=list(batch))
        # 4. relationships created or changed
        rel_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rid, final_rel in sorted(staged.relationships.items()):
            if final_rel is not None and final_rel != stored_rels.get(rid):
                rel_rows[final_rel.type].append(
                    {
                        "id": rid,
                        "source": final_rel.source,
                        "target": final_rel.target,
                        "props": {**final_rel.props, "id": rid},
                    }
                )
        for type_, rows in sorted(rel_rows.items()):
            for batch in self._chunks(rows):
                run(tx, statement_name("rels.put", type_), rows=list(batch))
        return staged.summary

    def _fetch_nodes(self, tx: neo4j.ManagedTransaction, ids: Iterable[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for chunk in self._chunks(sorted(set(ids))):
            for record in run(tx, "nodes.get", ids=list(chunk)):
                node = decode_node(record)
                found[node.id] = node
        return found

    def _fetch_rels(
        self, tx: neo4j.ManagedTransaction, ids: Iterable[str]
    ) -> dict[str, Relationship]:
        """By id: an index seek under the type the id names, or else under every type."""
        wanted = sorted(set(ids))
        found: dict[str, Relationship] = {}
        by_type: dict[str, list[str]] = defaultdict(list)
        for rid in wanted:
            type_ = type_named_by(rid)
            if type_ is not None:
                by_type[type_].append(rid)
        for type_, typed in sorted(by_type.items()):
            for chunk in self._chunks(typed):
                for record in run(tx, statement_name("rels.get", type_), ids=list(chunk)):
                    rel = decode_rel(record)
                    found[rel.id] = rel
        # An id that names a type is stored under that type (the contract refuses others), so
        # only ids that name none are sought under every type.
        rest = [rid for rid in wanted if rid not in found and type_named_by(rid) is None]
        for chunk in self._chunks(rest):
            for record in run(tx, "rels.get_any", ids=list(chunk)):
                rel = decode_rel(record)
                found[rel.id] = rel
        return found

    # -- reads ----------------------------------------------------------------------------
    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(ids))
        found = self._read(lambda tx: self._fetch_nodes(tx, wanted))
        return {nid: found[nid] for nid in wanted if nid in found}

    def get_relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        wanted = list(dict.fromkeys(ids))
        found = self._read(lambda tx: self._fetch_rels(tx, wanted))
        return {rid: found[rid] for rid in wanted if rid in found}

    def neighbours(
        self,
        ids: Iterable[str],
        types: Types = None,
        direction: Direction = Direction.OUT,
        as_of: date | None = None,
        kinds: Types = None,
    ) -> dict[str, list[Hop]]:
        wanted = list(ids)
        result: dict[str, list[Hop]] = {nid: [] for nid in wanted}
        unique = list(dict.fromkeys(wanted))
        type_set, kind_set = as_type_set(types), as_type_set(kinds)
        direction = Direction(direction)
        names = {
            Direction.OUT: ["neighbours.out"],
            Direction.IN: ["neighbours.in"],
            Direction.BOTH: ["neighbours.out", "neighbours.in"],
        }[direction]
        params = {
            "types": sorted(type_set) if type_set is not None else None,
            "kinds": sorted(kind_set) if kind_set is not None else None,
            "as_of": iso(as_of),
        }

        def work(tx: neo4j.ManagedTransaction) -> list[Record]:
            records: list[Record] = []
            for name in names:
                for chunk in self._chunks(unique):
                    records += run(tx, name, ids=list(chunk), **params)
            return records

        for record in self._read(work):
            hop = Hop(decode_rel(record), decode_node(record, "node_"))
            result[record["start_id"]].append(hop)
        for hops in result.values():
            hops.sort(key=hop_order)
        return result

    def walk(
        self,
        ids: Iterable[str],
        rel_type: str,
        direction: Direction = Direction.OUT,
        max_depth: int = 8,
        as_of: date | None = None,
    ) -> dict[str, list[Node]]:
        wanted = list(ids)
        direction = Direction(direction)
        if max_depth <= 0 or rel_type not in ONTOLOGY.relations:
            return {nid: [] for nid in wanted}
        starts = list(dict.fromkeys(wanted))

        def work(tx: neo4j.ManagedTransaction) -> dict[str, list[Node]]:
            orders = self._walk_order(tx, starts, rel_type, direction, max_depth, iso(as_of))
            reached = {nid for order in orders.values() for nid in order}
            nodes = self._fetch_nodes(tx, reached)
            return {s: [nodes[n] for n in orders[s] if n in nodes] for s in starts}

        found = self._read(work)
        return {nid: found[nid] for nid in wanted}

    def _walk_order(
        self,
        tx: neo4j.ManagedTransaction,
        starts: list[str],
        rel_type: str,
        direction: Direction,
        max_depth: int,
        as_of: str | None,
    ) -> dict[str, list[str]]:
        """Breadth-first order per start, as the embedded store walks, over fetched links.

        One variable-length statement fetches every link on a walk of at most ``bound`` steps;
        a breadth-first search over those links visits nodes in the embedded store's order
        (each level: frontier in order, hops by neighbour id then relationship id). Walks
        deeper than the largest bound continue from the last frontier.
        """
        seen = {s: {s} for s in starts}
        frontier = {s: [s] for s in starts}
        order: dict[str, list[str]] = {s: [] for s in starts}
        remaining = max_depth
        while remaining > 0 and any(frontier.values()):
            bound = next((b for b in WALK_BOUNDS if b >= remaining), WALK_BOUNDS[-1])
            depth = min(bound, remaining)
            sources = sorted({n for f in frontier.values() for n in f})
            name = walk_statement_name(rel_type, direction.value, bound)
            links: set[tuple[str, str, str]] = set()
            for chunk in self._chunks(sources):
                for r in run(tx, name, ids=list(chunk), max_depth=depth, as_of=as_of):
                    links.add((r["rel_id"], r["source"], r["target"]))
            frontier = breadth_first(frontier, seen, order, links, direction, depth)
            remaining -= depth
        return order

    def find(self, text: str, kinds: Types = None, limit: int = 20) -> list[Node]:
        kind_set = as_type_set(kinds)
        needle = text.strip()
        if not needle or limit <= 0:
            return []
        kinds_param = sorted(kind_set) if kind_set is not None else None
        if _FULLTEXT_TEXT.fullmatch(needle):  # the names index answers; else names are scanned
            records = self.read("nodes.find_fulltext", phrase=f'"{needle}"', text=needle,
                                kinds=kinds_param, limit=limit)  # fmt: skip
        elif kinds_param is not None:  # each kind's label scanned, not every node's
            return self._find_in_kinds(needle, kinds_param, limit)
        else:
            records = self.read("nodes.find", text=needle, limit=limit)
        return [decode_node(r) for r in records]

    def _find_in_kinds(self, text: str, kinds: list[str], limit: int) -> list[Node]:
        """``find`` over the labels of ``kinds``, each best first, merged in the contract's
        order (match, length, the kind's search tier, id)."""
        labels = [k for k in kinds if k in ONTOLOGY.kinds]

        def work(tx: neo4j.ManagedTransaction) -> list[Record]:
            records: list[Record] = []
            for label in labels:
                records += run(tx, statement_name("nodes.find", label), text=text, limit=limit)
            return records

        records = self._read(work) if labels else []
        records.sort(
            key=lambda r: (
                r["found_as"],
                r["found_length"],
                ONTOLOGY.search_rank(r["kind"]),
                r["id"],
            )
        )
        return [decode_node(r) for r in records[:limit]]

    def find_named(self, names: Iterable[str], kinds: Types = None) -> dict[str, list[Node]]:
        wanted = list(dict.fromkeys(names))
        kind_set = as_type_set(kinds)
        labels = sorted(k for k in ONTOLOGY.kinds if kind_set is None or k in kind_set)

        def work(tx: neo4j.ManagedTransaction) -> list[Record]:
            records: list[Record] = []
            for label in labels:
                for chunk in self._chunks(wanted):
                    records += run(tx, statement_name("nodes.named", label), names=list(chunk))
            return records

        found: dict[str, dict[str, Node]] = {name: {} for name in wanted}
        for record in self._read(work) if wanted else []:
            node = decode_node(record)
            found[record["asked"]][node.id] = node
        return {name: [hits[i] for i in sorted(hits)] for name, hits in found.items()}

    def nodes_of_kind(
        self,
        kind: str,
        where: Mapping[str, Any] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Node]:
        if kind not in ONTOLOGY.kinds:
            return []
        name = statement_name("nodes.page", kind)
        if limit is not None:
            # The embedded store always hands back the first match, even for limit <= 0.
            records = self.read(
                name, after=after or "", where=dict(where or {}), limit=max(limit, 1)
            )
            return [decode_node(r) for r in records]
        return list(self._pages(name, after or "", dict(where or {})))

    def nodes_in_range(
        self,
        kind: str,
        prop: str,
        low: Any,
        high: Any,
        after: tuple[Any, str] | None = None,
        limit: int | None = None,
    ) -> list[Node]:
        check_ordered(kind, prop)
        name = statement_name("nodes.in_range", f"{kind}.{prop}")
        out: list[Node] = []
        while limit is None or len(out) < limit:  # pages of at most the batch size
            size = self._batch if limit is None else min(self._batch, limit - len(out))
            value, after_id = after if after is not None else (None, "")
            page = [decode_node(r) for r in self.read(
                name, low=low, high=high, after_value=value, after_id=after_id, limit=size
            )]  # fmt: skip
            out.extend(page)
            if len(page) < size:
                break
            after = (page[-1].props[prop], page[-1].id)
        return out

    def _pages(self, name: str, after: str, where: dict[str, Any] | None) -> Iterator[Node]:
        """Keyset pages of one statement until a short page; each page its own read."""
        while True:
            params: dict[str, Any] = {"after": after, "limit": self._batch}
            if where is not None:
                params["where"] = where
            page = [decode_node(r) for r in self.read(name, **params)]
            yield from page
            if len(page) < self._batch:
                return
            after = page[-1].id

    def count_nodes(self, kind: str, where: Mapping[str, Any] | None = None) -> int:
        if kind not in ONTOLOGY.kinds:
            return 0
        [record] = self.read(statement_name("nodes.count", kind), where=dict(where or {}))
        return int(record["total"])

    def list_nodes(
        self, listing: Listing, after: str | None = None, limit: int | None = None
    ) -> ListPage:
        """One statement: filter, order (by property or by count), count and page in Neo4j."""
        statement, params = listing_statement(listing, after, limit)
        records = self.read(statement, **params)
        if records[0]["start"] is None:
            raise CursorNotInList(f"the cursor's node {after!r} is not in this list")
        nodes = [decode_node(r) for r in records if r["id"] is not None]
        return ListPage(nodes, int(records[0]["total"]))

    def aggregate_nodes(self, listing: Listing, props: Sequence[str] = ()) -> Aggregate:
        statement, params = aggregate_statement(listing, props)
        [record] = self.read(statement, **params)
        return _aggregate(record, props)

    def reach_aggregates(
        self,
        ids: Iterable[str],
        reach: Reach,
        as_of: date | None = None,
        props: Sequence[str] = (),
    ) -> dict[str, Aggregate]:
        """One statement per batch of ids, whatever the number of nodes reached."""
        wanted = list(dict.fromkeys(ids))
        kinds = sorted({k for k in (_kind_name(i) for i in wanted) if k is not None})
        if kinds:
            check_reach(reach, kinds)
        found: dict[str, Aggregate] = {}
        for chunk in self._chunks(wanted):
            statement, params = reach_statement(chunk, reach, as_of, props)
            for record in self.read(statement, **params):
                found[record["start_id"]] = _aggregate(record, props)
        return {
            i: found.get(i, Aggregate(0, dict.fromkeys(props), dict.fromkeys(props)))
            for i in wanted
        }

    def counts(self) -> Counts:
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[Record], list[Record]]:
            return run(tx, "counts.nodes"), run(tx, "counts.relationships")

        node_rows, rel_rows = self._read(work)
        nodes = {r["name"]: int(r["total"]) for r in node_rows if r["total"]}
        rels = {r["name"]: int(r["total"]) for r in rel_rows if r["total"]}
        return Counts(dict(sorted(nodes.items())), dict(sorted(rels.items())))

    def shortest_path(
        self, source: str, target: str, max_length: int = 6, as_of: date | None = None
    ) -> Path | None:
        if source == target:
            node = self.get_nodes([source]).get(source)
            return Path((node,), ()) if node is not None and max_length >= 0 else None
        if max_length < 1:
            return None
        bound = next((b for b in SHORTEST_BOUNDS if b >= max_length), SHORTEST_BOUNDS[-1])
        day = iso(as_of)

        def work(tx: neo4j.ManagedTransaction) -> Path | None:
            rows = run(tx, shortest_statement_name(bound), source=source, target=target, as_of=day)
            if not rows:
                return None
            ids: list[str] = list(rows[0]["ids"])
            if len(ids) - 1 > max_length:
                return None
            pairs = [[a, b] for a, b in itertools.pairwise(ids)]
            best: dict[tuple[str, str], Relationship] = {}
            nodes: dict[str, Node] = {}
            for record in run(tx, "shortest_path.links", pairs=pairs, as_of=day):
                x, y = decode_node(record, "x_"), decode_node(record, "y_")
                nodes[x.id], nodes[y.id] = x, y
                rel = decode_rel(record)
                key = (x.id, y.id)
                if key not in best or rel.id < best[key].id:
                    best[key] = rel
            return Path(tuple(nodes[i] for i in ids), tuple(best[(a, b)] for a, b in pairs))

        return self._read(work)

    def iter_nodes(self, kind: str | None = None) -> Iterator[Node]:
        if kind is None:
            yield from self._pages("nodes.page", "", None)
        elif kind in ONTOLOGY.kinds:
            yield from self._pages(statement_name("nodes.page", kind), "", {})

    def iter_relationships(self, type_: str | None = None) -> Iterator[Relationship]:
        if type_ is not None:
            if type_ in ONTOLOGY.relations:
                yield from self._rel_pages(type_)
            return
        streams = [self._rel_pages(t) for t in sorted(ONTOLOGY.relations)]
        yield from heapq.merge(*streams, key=lambda r: r.id)

    def _rel_pages(self, type_: str) -> Iterator[Relationship]:
        name, after = statement_name("rels.page", type_), ""
        while True:
            page = [decode_rel(r) for r in self.read(name, after=after, limit=self._batch)]
            yield from page
            if len(page) < self._batch:
                return
            after = page[-1].id

    def version(self) -> int | None:
        """Counts committed units of work (the bookkeeping node; see ``meta.lock``)."""
        [record] = self.read("meta.version")
        return int(record["version"])

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        self._driver.close()


# -- helpers --------------------------------------------------------------------------------


def breadth_first(
    frontier: dict[str, list[str]],
    seen: dict[str, set[str]],
    order: dict[str, list[str]],
    links: Iterable[tuple[str, str, str]],
    direction: Direction,
    depth: int,
) -> dict[str, list[str]]:
    """Advance each start's walk ``depth`` levels over ``links`` (rel id, source, target).

    The embedded store's order: level by level, the frontier in order, each node's hops by
    neighbour id then relationship id, each node once. Appends to ``order`` and ``seen``;
    returns the new frontiers.
    """
    adjacency: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rid, src, tgt in links:
        if direction in (Direction.OUT, Direction.BOTH):
            adjacency[src].append((tgt, rid))
        if direction in (Direction.IN, Direction.BOTH):
            adjacency[tgt].append((src, rid))
    for hops in adjacency.values():
        hops.sort()
    advanced: dict[str, list[str]] = {}
    for start, level in frontier.items():
        for _ in range(depth):
            nxt: list[str] = []
            for nid in level:
                for other, _rid in adjacency.get(nid, ()):
                    if other not in seen[start]:
                        seen[start].add(other)
                        order[start].append(other)
                        nxt.append(other)
            level = nxt
            if not level:
                break
        advanced[start] = level
    return advanced


def connect(uri: str, user: str, password: str, database: str) -> neo4j.Driver:
    """A verified driver, or :class:`StoreUnavailable` with a one-line reason."""
    try:
        # Every statement is linted against the ontology, so the server's notifications (an
        # unknown property key on a graph that holds none yet) say nothing new: switched off.
        driver = GraphDatabase.driver(
            uri, auth=(user, password), connection_timeout=10.0, notifications_min_severity="OFF"
        )
    except Exception as e:  # bad scheme or malformed address: the driver raises several kinds
        raise StoreUnavailable(one_line(f"invalid NEO4J_URI {uri!r}: {e}")) from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise StoreUnavailable(
            f"Neo4j at {uri} refused user {user!r}: wrong user or password "
            "(NEO4J_USER, NEO4J_PASSWORD)"
        ) from None
    except ServiceUnavailable as e:
        driver.close()
        raise StoreUnavailable(one_line(f"cannot reach Neo4j at {uri}: {_reason(e)}")) from None
    except (Neo4jError, DriverError, OSError) as e:
        driver.close()
        raise StoreUnavailable(one_line(f"Neo4j at {uri}: {e}")) from None
    return driver


def _reason(error: Exception) -> str:
    text = str(error)
    match = re.search(r"reason (.+?)\)?$", text.splitlines()[-1]) if text else None
    return match.group(1) if match else text


def one_line(text: str) -> str:
    return " ".join(text.split())


def iso(day: date | str | None) -> str | None:
    """As-of days travel as ISO strings, compared with the stored ISO strings."""
    if day is None:
        return None
    return day.isoformat() if isinstance(day, date) else day


def type_named_by(rel_id: str) -> str | None:
    """The relationship type a derived id starts with (``TYPE:source>target``), if any."""
    prefix = rel_id.split(":", 1)[0]
    return prefix if prefix in ONTOLOGY.relations else None


def _aggregate(record: Record, props: Sequence[str]) -> Aggregate:
    return Aggregate(
        int(record["total"]),
        {p: record[f"min{i}"] for i, p in enumerate(props)},
        {p: record[f"max{i}"] for i, p in enumerate(props)},
    )


def _kind_name(node_id: str) -> str | None:
    try:
        return ONTOLOGY.kind_of_id(node_id).name
    except KeyError:
        return None


def decode_node(record: Record, prefix: str = "") -> Node:
    props = dict(record[prefix + "props"])
    props.pop("id", None)
    return Node(record[prefix + "id"], record[prefix + "kind"], props)


def decode_rel(record: Record, prefix: str = "rel_") -> Relationship:
    props = dict(record[prefix + "props"])
    props.pop("id", None)
    return Relationship(
        record[prefix + "type"],
        record[prefix + "source"],
        record[prefix + "target"],
        props,
        record[prefix + "id"],
    )


__all__ = ["STATEMENTS", "Neo4jStore", "connect"]
