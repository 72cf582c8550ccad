"""The embedded store: the graph in memory on networkx, every commit persisted to SQLite.

Why SQLite: one file, atomic commits from the standard library. A unit of work is written in a
single SQLite transaction (WAL journal, ``synchronous=FULL``) before it is applied in memory,
so a restart, or a kill -9 in the middle of a write, loses nothing committed and shows nothing
half-written. Another process's commits to the same file are picked up on the next read.
What a unit of work does is worked out by :func:`graph.staging.stage`, the same rules and
counting the Neo4j store uses.
"""

from __future__ import annotations

import bisect
import itertools
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any, cast

import networkx as nx
import orjson

from graph.adjacency import TypedAdjacency
from graph.algorithms import bounded_bidirectional_path
from graph.bulk import gc_paused
from graph.changes import ChangeJournal, Changes
from graph.contract import (
    GraphStore,
    ThreadSummaries,
    Types,
    UnitOfWork,
    as_type_set,
    check_ordered,
)
from graph.errors import StoreUnavailable
from graph.listing import Aggregate, EvaluatedListings, Listing, ListPage, aggregate_of, page_of
from graph.model import (
    Counts,
    Direction,
    Hop,
    Node,
    Path,
    Relationship,
    WriteSummary,
    holds_on,
    hop_order,
)
from graph.name_index import NameIndex
from graph.staging import WriteBuffer, stage
from graph.value_index import ORDERED, ValueIndex
from schema import ONTOLOGY

_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rels (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    props TEXT NOT NULL
);
-- The ids each recent commit wrote or deleted (NULL: too many to list), so that another
-- process's store reads only those rows again instead of the whole file (MemoryStore._catch_up).
CREATE TABLE IF NOT EXISTS commits (seq INTEGER PRIMARY KEY, nodes TEXT, rels TEXT);
"""

#: Commits whose ids the file keeps; a store further behind than this reads the file whole.
KEPT_COMMITS = 32
#: Ids one commit lists at most; a larger commit (a bulk load) makes other stores read it whole.
LISTED_IDS = 5_000


def _id_ranges(kinds: Iterable[str]) -> list[tuple[str, str]]:
    """The ids of ``kinds`` as ranges, in order: ``prefix:`` up to ``prefix;`` (the next
    character), for the known kinds among them."""
    prefixes = {ONTOLOGY.kinds[k].id_prefix for k in kinds if k in ONTOLOGY.kinds}
    return sorted((p + ":", p + ";") for p in prefixes)


@lru_cache(maxsize=256)
def _tier_ranges(kinds: frozenset[str] | None) -> list[list[tuple[str, str]]]:
    """The id ranges of ``kinds`` (None: all) by search tier, best first (do not modify)."""
    return [_id_ranges(tier) for tier in ONTOLOGY.search_tiers(kinds)]


class MemoryStore(GraphStore):
    """The default store. ``path=None`` keeps the graph in memory only (tests, scratch work)."""

    name = "memory"
    backend = "memory"

    def __init__(self, path: str | FsPath | None = None, busy_timeout: float = 30) -> None:
        self.path = FsPath(path) if path is not None else None
        self._busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._summaries = ThreadSummaries()
        self._generation = 0
        self._seq = 0  # the last commit (``commits.seq``) this graph reflects
        self._journal = ChangeJournal()  # what each version replaced (changes_since)
        #: called after the graph is read again whole from the file (another process committed
        #: more than this store can catch up with, see :meth:`_catch_up`)
        self.after_reload: list[Callable[[], None]] = []
        self._reset_memory()
        if self.path is None:
            self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(
                    self.path, check_same_thread=False, isolation_level=None, timeout=busy_timeout
                )
                # for a new file only (an existing one keeps its own): 16 KiB pages make a bulk
                # commit a quarter cheaper than the default 4 KiB; the graph is read whole anyway
                self._db.execute("PRAGMA page_size=16384")
                self._db.execute("PRAGMA journal_mode=WAL")
            except (OSError, sqlite3.Error) as e:
                raise StoreUnavailable(f"cannot open store file {self.path}: {e}") from None
        try:
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            self._load()
        except sqlite3.DatabaseError as e:
            self._db.close()
            raise StoreUnavailable(
                f"cannot read store file {self.path}: {e} (a truncated or damaged file? "
                f"restore a backup made with `gridgraph backup`) (存储文件损坏或不完整)"
            ) from None

    # -- loading and refreshing ---------------------------------------------------------
    def _reset_memory(self) -> None:
        self._g: nx.MultiDiGraph = nx.MultiDiGraph()
        self._typed = TypedAdjacency(self._g)  # a hub's links by type (graph.adjacency)
        self._by_value = ValueIndex()  # ordered properties (graph.value_index)
        # The records by id. networkx's own attribute dicts are the records' property dicts
        # (no wrapper dict per node and link: a third of the store's memory): G.nodes[n] and
        # G[u][v][key] read as networkx users expect, and the records come from here.
        self._nodes: dict[str, Node] = {}
        self._rels: dict[str, Relationship] = {}
        self._by_kind: dict[str, KindIds] = {}
        # names and aliases, exact and by n-gram, for find(): built on the first look-up (a
        # third of reopening a large graph otherwise), then kept up to date by every write
        self._names: NameIndex | None = None
        # listings evaluated for this version of the graph (graph.listing.EvaluatedListings)
        self._listings = EvaluatedListings()

    def _data_version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def _load(self) -> None:
        with self._lock, gc_paused():
            # the version first: a commit landing while the rows are read makes the next look
            # reload again, where a version read afterwards would hide it
            version = self._data_version()
            self._reset_memory()
            with self._reading():  # one snapshot: a commit between two SELECTs is not half-seen
                self._read_all()
            self._version = version
            self._generation += 1
            self._journal.forget(self._generation)

    def _read_all(self) -> None:
        """Every record of the file into empty memory, inside :meth:`_reading`."""
        # SQLite gives a new string for every cell: a kind, a type or a short value read
        # again is the first one read instead (a date, a code, a gender: each one once)
        words: dict[str, str] = {}
        word, loads, db = words.setdefault, orjson.loads, self._db
        nodes, rels = self._nodes, self._rels
        for nid, kind, text in db.execute("SELECT id, kind, props FROM nodes"):
            nodes[nid] = Node(nid, word(kind, kind), _short_shared(loads(text), word))
        # A link's ends are the nodes' own id strings, not copies read from its row, and
        # links with the same small properties (most: a date, a synthetic flag) share one
        # read-only dict: together a third of a link's memory. The dicts left apart share
        # their short values (the same dates again and again) with each other and the nodes.
        ends = dict(zip(nodes, nodes, strict=True)).get
        shared: dict[str, Mapping[str, Any]] = {}
        for rid, type_, src, tgt, text in db.execute(
            "SELECT id, type, source, target, props FROM rels"
        ):
            rels[rid] = Relationship(
                word(type_, type_), ends(src, src), ends(tgt, tgt), _props(text, shared, word), rid
            )
        self._index_loaded()
        (self._seq,) = db.execute("SELECT coalesce(max(seq), 0) FROM commits").fetchone()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One read transaction (one snapshot of the file), unless a write already holds one."""
        db = self._db
        if db.in_transaction:
            yield
            return
        db.execute("BEGIN")
        try:
            yield
        finally:
            db.execute("COMMIT")

    def _fresh(self) -> None:
        """Catch up when another process committed to the same file since our last look: only
        the records its commits touched, or the whole file when that is not known."""
        if self.path is None:
            return
        version = self._data_version()
        if version == self._version:
            return
        with self._lock, gc_paused():
            if self._catch_up():
                self._version = version
                return
        self._load()
        for hook in self.after_reload:
            hook()

    def _catch_up(self) -> bool:
        """Read again the records the commits since ours touched; False when the file cannot
        say which (too far behind, a bulk commit, a file older than the log): read it whole."""
        db = self._db
        with self._reading():
            rows = db.execute(
                "SELECT seq, nodes, rels FROM commits WHERE seq > ? ORDER BY seq", (self._seq,)
            ).fetchall()
            if not rows:  # the file changed, but not by a commit that says how: read it all
                return False
            if [seq for seq, _, _ in rows] != list(range(self._seq + 1, self._seq + 1 + len(rows))):
                return False
            if any(nodes is None or rels is None for _, nodes, rels in rows):
                return False
            node_ids = list(dict.fromkeys(i for _, n, _ in rows for i in orjson.loads(n)))
            rel_ids = list(dict.fromkeys(i for _, _, r in rows for i in orjson.loads(r)))
            if len(node_ids) + len(rel_ids) > max(LISTED_IDS, len(self._nodes) // 4):
                return False
            nodes: dict[str, Node | None] = dict.fromkeys(node_ids)
            for nid, kind, text in _rows_by_id(db, "SELECT id, kind, props FROM nodes", node_ids):
                nodes[nid] = Node(nid, kind, orjson.loads(text))
            rels: dict[str, Relationship | None] = dict.fromkeys(rel_ids)
            query = "SELECT id, type, source, target, props FROM rels"
            for rid, type_, src, tgt, text in _rows_by_id(db, query, rel_ids):
                rels[rid] = Relationship(type_, src, tgt, orjson.loads(text), rid)
        self._apply(nodes, rels, deletes=True)
        self._seq = rows[-1][0]
        return True

    # -- in-memory indexes --------------------------------------------------------------
    def _index_loaded(self) -> None:
        """Build the graph and indexes of records just read into empty memory: what
        :meth:`_put_nodes` and :meth:`_put_rels` do, without asking what each record replaces."""
        g, nodes, by_kind, by_value = self._g, self._nodes, self._by_kind, self._by_value
        g._node.update({nid: node.props for nid, node in nodes.items()})
        g._succ.update(dict.fromkeys(nodes, NO_LINKS))
        g._pred.update(dict.fromkeys(nodes, NO_LINKS))
        of_kind: dict[str, list[str]] = {}
        for nid, node in nodes.items():
            kind = node.kind
            ids = of_kind.get(kind)
            if ids is None:
                ids = of_kind[kind] = []
            ids.append(nid)
            if kind in ORDERED:
                by_value.put(node, None)
        for kind, ids in of_kind.items():
            by_kind[kind] = KindIds(ids)
        succ, pred, no_links = g._succ, g._pred, NO_LINKS
        for rid, rel in self._rels.items():
            source, target = rel.source, rel.target
            out = succ[source]
            keydict = out.get(target)
            if keydict is None:  # as in _put_rels
                if out is no_links:
                    out = succ[source] = {}
                into = pred[target]
                if into is no_links:
                    into = pred[target] = {}
                keydict = out[target] = into[source] = {}
            keydict[rid] = rel.props
        self._typed.build(self._rels)
        _forget_cached_results(g)

    def _put_nodes(self, nodes: Iterable[Node]) -> None:
        # What MultiDiGraph.add_node does, without its per-call checks (see _put_rels).
        attrs, succ, pred, records = self._g._node, self._g._succ, self._g._pred, self._nodes
        by_kind, names = self._by_kind, self._names
        by_value, ordered = self._by_value, ORDERED
        for node in nodes:
            nid, kind, props = node.id, node.kind, node.props
            old = records.get(nid)
            if old is None:
                succ[nid] = NO_LINKS
                pred[nid] = NO_LINKS
            elif old.kind != kind:
                by_kind[old.kind].discard(nid)
            records[nid] = node
            attrs[nid] = props  # the attribute dict networkx users read: the properties
            if kind in ordered or (old is not None and old.kind in ordered):
                by_value.put(node, old)
            if old is None or old.kind != kind:  # not among the ids of its kind yet
                ids = by_kind.get(kind)
                if ids is None:
                    ids = by_kind[kind] = KindIds()
                ids.add(nid)
            if names is not None:
                names.put(nid, _names_of(props))
        _forget_cached_results(self._g)

    def _name_index(self) -> NameIndex:
        """The name index, built in one pass over the graph the first time it is needed."""
        if self._names is None:
            index = NameIndex()
            index.build((nid, _names_of(node.props)) for nid, node in self._nodes.items())
            self._names = index
        return self._names

    def _drop_node(self, nid: str) -> None:
        node = self._nodes.pop(nid)
        gone = [self._rels.pop(rid, None) for rid in self._touching(nid)]
        self._g.remove_node(nid)
        self._typed.forget(nid)
        for rel in gone:
            if rel is not None:  # None: a link from the node to itself, listed twice
                self._typed.removed(rel)
        self._by_kind[node.kind].discard(nid)
        if self._names is not None:
            self._names.drop(nid)
        self._by_value.drop(node)

    def _put_rels(self, rels: Iterable[Relationship]) -> None:
        # What MultiDiGraph.add_edge does, without its per-call checks: both endpoints are
        # known nodes here, and bulk loads would otherwise spend most of their time in it.
        succ, pred, records, typed = self._g._succ, self._g._pred, self._rels, self._typed
        no_links = NO_LINKS
        for rel in rels:
            rid, source, target = rel.id, rel.source, rel.target
            old = records.get(rid)
            if old is not None:
                self._g.remove_edge(old.source, old.target, key=rid)
                typed.removed(old)
            out = succ[source]
            keydict = out.get(target)
            if keydict is None:  # a new pair: each end its own adjacency if it had NO_LINKS
                if out is no_links:
                    out = succ[source] = {}
                into = pred[target]
                if into is no_links:
                    into = pred[target] = {}
                keydict = out[target] = into[source] = {}
            keydict[rid] = rel.props
            records[rid] = rel
            typed.added(rel, records)
        _forget_cached_results(self._g)

    def _drop_rel(self, rid: str) -> None:
        rel = self._rels.pop(rid)
        self._g.remove_edge(rel.source, rel.target, key=rid)
        self._typed.removed(rel)

    def _node(self, nid: str) -> Node | None:
        return self._nodes.get(nid)

    def _rel(self, rid: str) -> Relationship | None:
        return self._rels.get(rid)

    # -- writes -------------------------------------------------------------------------
    @property
    def last_summary(self) -> WriteSummary:
        return self._summaries.last

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        buffer = WriteBuffer()
        yield buffer
        self._commit(buffer)

    def _commit(self, buffer: WriteBuffer) -> None:
        with self._lock, gc_paused():
            db = self._db
            # The file's write lock first, then the look at other processes' commits: nobody can
            # commit between that look and our write, so nothing is staged against a stale graph
            # (which would write back old fields over another process's newer ones).
            self._begin_write()
            try:
                self._fresh()
                staged = stage(buffer.ops, self._node, self._rel, self._touching)
                nodes, rels, summary = staged.nodes, staged.relationships, staged.summary
                # None marks a deleted record: with no deletes (a bulk load) the staged records
                # are written and indexed as they are, without a pass to look for them
                deletes = bool(summary.nodes_deleted or summary.relationships_deleted)
                seq = self._persist(nodes, rels, deletes)
                # the version this graph reflects, read while we hold the write lock: read
                # after COMMIT it could already count another process's next commit, which this
                # graph would then never load (our own commit does not change it)
                version = self._data_version()
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            self._version = version
            self._seq = seq
            self._apply(nodes, rels, deletes, summary.changed)
            self._summaries.last = summary

    def _apply(
        self,
        nodes: Mapping[str, Node | None],
        rels: Mapping[str, Relationship | None],
        deletes: bool,
        changed: bool = True,
    ) -> None:
        """Bring the graph in memory up to records written (None: deleted) to the file: a new
        version when ``changed``, journalled with the records it replaces."""
        if changed:
            self._generation += 1
            if self._journal.fits(len(nodes) + len(rels)):
                before_node, before_rel = self._nodes.get, self._rels.get
                self._journal.record(
                    self._generation,
                    {nid: before_node(nid) for nid in nodes},
                    {rid: before_rel(rid) for rid in rels},
                )
            else:
                self._journal.forget(self._generation)
        if deletes:
            for nid, maybe_node in nodes.items():
                if maybe_node is None and nid in self._g:
                    self._drop_node(nid)
            self._put_nodes(n for n in nodes.values() if n is not None)
            for rid, maybe_rel in rels.items():
                if maybe_rel is None and rid in self._rels:
                    self._drop_rel(rid)
            self._put_rels(r for r in rels.values() if r is not None)
        else:
            self._put_nodes(cast("Iterable[Node]", nodes.values()))  # no None: no deletes
            self._put_rels(cast("Iterable[Relationship]", rels.values()))

    def _begin_write(self) -> None:
        """Take the store file's write lock, waiting up to the busy timeout for another
        process's commit to finish; a clear error naming the file if it does not."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise StoreUnavailable(
                f"store file {self.path} is being written by another process and stayed locked "
                f"for {self._busy_timeout:g} s ({e}); nothing was written, try again "
                f"(存储文件正被另一进程写入，未写入任何内容，请重试)"
            ) from None

    def _touching(self, nid: str) -> list[str]:
        """Ids of the committed relationships at a node, for deletes (a link from the node to
        itself twice)."""
        succ, pred = self._g._succ, self._g._pred
        if nid not in succ:
            return []
        return [rid for side in (pred[nid], succ[nid]) for keyed in side.values() for rid in keyed]

    def _persist(
        self,
        nodes: Mapping[str, Node | None],
        rels: Mapping[str, Relationship | None],
        deletes: bool = True,
    ) -> int:
        """Write the staged records inside the transaction :meth:`_commit` holds; ``deletes``
        says whether any of them is None (deleted). The commit's number (``commits.seq``)."""
        db = self._db
        if deletes:
            db.executemany(
                "DELETE FROM rels WHERE id = ?", [(k,) for k, v in rels.items() if v is None]
            )
            db.executemany(
                "DELETE FROM nodes WHERE id = ?", [(k,) for k, v in nodes.items() if v is None]
            )
        # rows in id order: the primary-key B-trees then grow at their right edge instead
        # of splitting pages all over (three times faster for a 300,000-record load)
        dumps, sort = orjson.dumps, orjson.OPT_SORT_KEYS  # _dumps, inlined: 100,000s of rows
        db.executemany(
            "INSERT OR REPLACE INTO nodes (id, kind, props) VALUES (?, ?, ?)",
            [
                (n.id, n.kind, dumps(n.props, option=sort).decode())
                for _, n in sorted(nodes.items())
                if n is not None
            ],
        )
        db.executemany(
            "INSERT OR REPLACE INTO rels (id, type, source, target, props) VALUES (?,?,?,?,?)",
            [
                (r.id, r.type, r.source, r.target, dumps(r.props, option=sort).decode())
                for _, r in sorted(rels.items())
                if r is not None
            ],
        )
        if self.path is None:
            return self._seq + 1  # no other process to tell
        listed = len(nodes) + len(rels) <= LISTED_IDS
        seq = db.execute(
            "INSERT INTO commits (nodes, rels) VALUES (?, ?)",
            (_dumps(list(nodes)), _dumps(list(rels))) if listed else (None, None),
        ).lastrowid
        assert seq is not None
        db.execute("DELETE FROM commits WHERE seq <= ?", (seq - KEPT_COMMITS,))
        return seq

    # -- reads --------------------------------------------------------------------------
    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        with self._lock:
            self._fresh()
            records = self._nodes
            return {nid: records[nid] for nid in ids if nid in records}

    def get_relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        with self._lock:
            self._fresh()
            records = self._rels
            return {rid: records[rid] for rid in ids if rid in records}

    def neighbours(
        self,
        ids: Iterable[str],
        types: Types = None,
        direction: Direction = Direction.OUT,
        as_of: date | None = None,
        kinds: Types = None,
    ) -> dict[str, list[Hop]]:
        type_set, kind_set = as_type_set(types), as_type_set(kinds)
        day = as_of.isoformat() if isinstance(as_of, date) else as_of  # once, not per link
        with self._lock:
            self._fresh()
            result: dict[str, list[Hop]] = {}
            for nid in ids:
                result[nid] = self._hops(nid, type_set, Direction(direction), day, kind_set)
            return result

    def linked(
        self,
        ids: Iterable[str],
        types: Types = None,
        direction: Direction = Direction.OUT,
        as_of: date | None = None,
        kinds: Types = None,
    ) -> set[str]:
        type_set, kind_set = as_type_set(types), as_type_set(kinds)
        day = as_of.isoformat() if isinstance(as_of, date) else as_of
        way = Direction(direction)
        with self._lock:
            self._fresh()  # the first link found is enough: no hop built, none sorted
            return {
                nid
                for nid in ids
                if next(self._links(nid, type_set, way, day, kind_set), None) is not None
            }

    def _hops(
        self,
        nid: str,
        types: frozenset[str] | None,
        direction: Direction,
        as_of: date | str | None,
        kinds: frozenset[str] | None,
    ) -> list[Hop]:
        hops = [Hop(rel, node) for rel, node in self._links(nid, types, direction, as_of, kinds)]
        if len(hops) > 1:
            hops.sort(key=hop_order)
        return hops

    def _links(
        self,
        nid: str,
        types: frozenset[str] | None,
        direction: Direction,
        as_of: date | str | None,
        kinds: frozenset[str] | None,
    ) -> Iterator[tuple[Relationship, Node]]:
        """The links at ``nid`` that :meth:`neighbours` gives, with the node at the other end,
        unordered: from the adjacency dicts themselves, not networkx's edge views (a bulk load
        asks for the links of every record it corrects, tens of thousands of nodes in one
        call), and at a hub only from the links of the types asked."""
        g = self._g
        if nid not in g._succ:
            return
        sides = []
        if direction in (Direction.OUT, Direction.BOTH):
            sides.append((g._succ[nid], self._typed.typed_out(nid)))
        if direction in (Direction.IN, Direction.BOTH):
            sides.append((g._pred[nid], self._typed.typed_in(nid)))
        nodes, rels = self._nodes, self._rels
        for side, typed in sides:
            if typed is not None and types is not None:  # a hub: only the links of those types
                pairs: Iterable[tuple[str, str]] = (
                    pair for t in types if t in typed for pair in typed[t].items()
                )
                wanted = None  # every link read is of those types
            else:
                pairs = ((rid, other) for other, keydict in side.items() for rid in keydict)
                wanted = types
            for rid, other in pairs:
                rel = rels[rid]
                if wanted is not None and rel.type not in wanted:
                    continue
                if as_of is not None and not holds_on(rel.props, as_of):
                    continue
                node = nodes[other]
                if kinds is not None and node.kind not in kinds:
                    continue
                yield rel, node

    def walk(
        self,
        ids: Iterable[str],
        rel_type: str,
        direction: Direction = Direction.OUT,
        max_depth: int = 8,
        as_of: date | None = None,
    ) -> dict[str, list[Node]]:
        types = frozenset([rel_type])
        with self._lock:
            self._fresh()
            result: dict[str, list[Node]] = {}
            for start in ids:
                seen, frontier, reached = {start}, [start], []
                for _ in range(max_depth):
                    nxt = []
                    for nid in frontier:
                        for hop in self._hops(nid, types, Direction(direction), as_of, None):
                            if hop.node.id not in seen:
                                seen.add(hop.node.id)
                                reached.append(hop.node)
                                nxt.append(hop.node.id)
                    if not nxt:
                        break
                    frontier = nxt
                result[start] = reached
            return result

    def find(self, text: str, kinds: Types = None, limit: int = 20) -> list[Node]:
        kind_set = as_type_set(kinds)
        needle = text.strip()
        if not needle or limit <= 0:
            return []
        # a kind's ids are those starting with its prefix (check_node refuses others): the
        # index reads the ids of the kinds of each tier as ranges of its postings
        tiers = _tier_ranges(kind_set)
        with self._lock:
            self._fresh()
            ids = self._name_index().ranked(needle, limit, tiers)
            return [self._nodes[nid] for nid in ids]

    def find_named(self, names: Iterable[str], kinds: Types = None) -> dict[str, list[Node]]:
        """Each name looked up in the exact-name index (graph.name_index)."""
        wanted: dict[str, list[Node]] = {name: [] for name in dict.fromkeys(names)}
        kind_set = as_type_set(kinds)
        with self._lock:
            self._fresh()
            nodes = self._nodes
            for name, hits in wanted.items():
                for nid in self._name_index().named(name):
                    node = nodes[nid]
                    if kind_set is None or node.kind in kind_set:
                        hits.append(node)
        for hits in wanted.values():
            hits.sort(key=lambda n: n.id)
        return wanted

    def _sorted_ids(self, kind: str) -> list[str]:
        """The ids of ``kind`` in order (do not modify; a write to the kind may reorder it)."""
        ids = self._by_kind.get(kind)
        return ids.ordered() if ids is not None else []

    def nodes_of_kind(
        self,
        kind: str,
        where: Mapping[str, Any] | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Node]:
        with self._lock:
            self._fresh()
            ids = self._sorted_ids(kind)
            start = bisect.bisect_right(ids, after) if after is not None else 0
            out: list[Node] = []
            for nid in ids[start:]:
                node = self._nodes[nid]
                if where and any(node.props.get(k) != v for k, v in where.items()):
                    continue
                out.append(node)
                if limit is not None and len(out) >= limit:
                    break
            return out

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
        with self._lock:
            self._fresh()
            ids = self._by_value.range(kind, prop, low, high, after, limit)
            nodes = self._nodes
            return [nodes[nid] for nid in ids]

    def count_nodes(self, kind: str, where: Mapping[str, Any] | None = None) -> int:
        with self._lock:
            self._fresh()
            if not where:
                ids = self._by_kind.get(kind)
                return len(ids) if ids is not None else 0
            return sum(
                1
                for nid in self._sorted_ids(kind)
                if all(self._nodes[nid].props.get(k) == v for k, v in where.items())
            )

    def list_nodes(
        self, listing: Listing, after: str | None = None, limit: int | None = None
    ) -> ListPage:
        everything = self._listings.nodes(self, listing)
        return ListPage(page_of(everything, after, limit), len(everything))

    def aggregate_nodes(self, listing: Listing, props: Sequence[str] = ()) -> Aggregate:
        whole = Listing(listing.kind, listing.where, (), listing.as_of)
        return aggregate_of(self._listings.nodes(self, whole), props)

    def counts(self) -> Counts:
        with self._lock:
            self._fresh()
            nodes = {k: len(v) for k, v in sorted(self._by_kind.items()) if v}
            rels = Counter(r.type for r in self._rels.values())
            return Counts(nodes, dict(sorted(rels.items())))

    def shortest_path(
        self, source: str, target: str, max_length: int = 6, as_of: date | None = None
    ) -> Path | None:
        with self._lock:
            self._fresh()
            if source not in self._g or target not in self._g:
                return None
            succ, pred = self._g._succ, self._g._pred

            def either_way(u: str) -> Iterator[str]:
                for adjacency in (succ[u], pred[u]):
                    for v, keyed in adjacency.items():
                        if as_of is None or any(holds_on(props, as_of) for props in keyed.values()):
                            yield v

            ids = bounded_bidirectional_path(either_way, source, target, max_length)
            if ids is None:
                return None
            nodes = tuple(self._nodes[i] for i in ids)
            rels = []
            for a, b in itertools.pairwise(ids):
                candidates = [
                    self._rels[rid]
                    for u, v in ((a, b), (b, a))
                    for rid in self._g.get_edge_data(u, v) or {}
                ]
                usable = sorted(
                    (c for c in candidates if holds_on(c.props, as_of)), key=lambda r: r.id
                )
                rels.append(usable[0])
            return Path(nodes, tuple(rels))

    def iter_nodes(self, kind: str | None = None) -> Iterator[Node]:
        with self._lock:
            self._fresh()
            ids = list(self._sorted_ids(kind)) if kind is not None else sorted(self._g.nodes)
            nodes = [self._nodes[i] for i in ids]
        yield from nodes

    def iter_relationships(self, type_: str | None = None) -> Iterator[Relationship]:
        with self._lock:
            self._fresh()
            rels = [r for r in self._rels.values() if type_ is None or r.type == type_]
        rels.sort(key=lambda r: r.id)
        yield from rels

    def version(self) -> int | None:
        with self._lock:
            self._fresh()
            return self._generation

    def changes_since(self, version: int) -> Changes | None:
        with self._lock:
            self._fresh()
            return self._journal.since(version, self._generation)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx graph itself, read-only by convention, for analytics."""
        return self._g


class KindIds:
    """The node ids of one kind: a list, put in order when asked for it, and the ids deleted
    since (or moved to another kind) set aside until then. A set of the ids, as before, took
    five times the memory of the list, and listings needed a sorted copy of it beside.

    >>> ids = KindIds()
    >>> for nid in ("b", "c", "a"):
    ...     ids.add(nid)
    >>> ids.discard("c"); ids.add("d"); ids.discard("a"); ids.add("a")
    >>> len(ids), ids.ordered()
    (3, ['a', 'b', 'd'])
    """

    __slots__ = ("_gone", "_ids", "_in_order")

    def __init__(self, ids: list[str] | None = None) -> None:
        """``ids``: distinct ids of the kind, in any order (the list is kept, not copied)."""
        self._ids: list[str] = ids if ids is not None else []
        self._gone: set[str] = set()  # in _ids, but no longer of the kind
        self._in_order = not self._ids

    def add(self, nid: str) -> None:
        """``nid`` is of the kind now (and was not just before)."""
        if nid in self._gone:
            self._gone.discard(nid)  # still in the list
        else:
            self._ids.append(nid)
            self._in_order = False

    def discard(self, nid: str) -> None:
        """``nid`` is no longer of the kind (and was just before)."""
        self._gone.add(nid)

    def __len__(self) -> int:
        return len(self._ids) - len(self._gone)

    def ordered(self) -> list[str]:
        """The ids in order (do not modify the list: later calls may reorder it)."""
        if self._gone:
            gone = self._gone
            self._ids = [nid for nid in self._ids if nid not in gone]
            gone.clear()
        if not self._in_order:
            self._ids.sort()
            self._in_order = True
        return self._ids


class _NoLinks(dict[str, Any]):
    """The empty adjacency dict that every node without links on a side shares: a node's
    own empty dict per side (64 bytes) was a twentieth of the store's memory. Writing to it
    is refused: a link added there would appear at every such node. The store gives a node
    its own dict with its first link on that side (``_put_rels``); networkx's writes that way
    (``G.add_edge``) fail, the graph being read-only for its users."""

    __slots__ = ()

    def __setitem__(self, key: str, value: Any) -> None:
        raise TypeError("the shared empty adjacency of the store's graph is read-only")

    def setdefault(self, key: str, default: Any = None) -> Any:
        raise TypeError("the shared empty adjacency of the store's graph is read-only")

    def update(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the shared empty adjacency of the store's graph is read-only")

    def __ior__(self, other: Any) -> Any:  # type: ignore[misc]
        raise TypeError("the shared empty adjacency of the store's graph is read-only")


#: The one empty adjacency (out or in) of every node without links on that side.
NO_LINKS: dict[str, Any] = _NoLinks()


def _names_of(props: Mapping[str, Any]) -> tuple[Any, ...]:
    name, aliases = props.get("name"), props.get("aliases")
    return (name, *aliases) if aliases else (name,)


#: Property texts up to this length are shared between the links that have them, on reading.
SHARED_PROPS_CHARS = 96
#: String values up to this length are read once and shared between the records that have them.
SHARED_VALUE_CHARS = 24


def _short_shared(props: dict[str, Any], word: Callable[[str, str], str]) -> dict[str, Any]:
    """``props`` with each short string value replaced by the first equal one read."""
    for key, value in props.items():
        if value.__class__ is str and len(value) <= SHARED_VALUE_CHARS:
            props[key] = word(value, value)  # the same keys: no resize while iterating
    return props


def _props(
    text: str, shared: dict[str, Mapping[str, Any]], word: Callable[[str, str], str]
) -> Mapping[str, Any]:
    """The properties a row's JSON holds; one dict for every short text read before, and
    short string values shared (:func:`_short_shared`)."""
    if len(text) > SHARED_PROPS_CHARS:
        return _short_shared(orjson.loads(text), word)
    props = shared.get(text)
    if props is None:
        props = shared[text] = _short_shared(orjson.loads(text), word)
    return props


def _rows_by_id(db: sqlite3.Connection, select: str, ids: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``select`` whose id is one of ``ids``, asked in chunks SQLite accepts."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        yield from db.execute(f"{select} WHERE id IN ({','.join('?' * len(chunk))})", chunk)


def _dumps(props: Any) -> str:
    return orjson.dumps(props, option=orjson.OPT_SORT_KEYS).decode()


def _forget_cached_results(g: nx.Graph) -> None:
    """What add_node/add_edge do after a change: drop results networkx cached on the graph."""
    cache = getattr(g, "__networkx_cache__", None)
    if cache:
        cache.clear()
