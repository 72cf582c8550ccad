"""The Neo4j native flagship queries: registered, one round trip, and equal to the generic ones.

No Neo4j server exists where this suite usually runs, so the native queries are checked in
three ways here, and against a live server by the domain tests (``tests/test_chain.py``,
``tests/test_gaps.py``, the coverage and agreements tests) whenever ``NEO4J_URI`` is set:

1. every native query is registered, reachable through ``Neo4jStore.native_query`` and sends a
   registered statement (which ``test_cypher_lint.py`` lints);
2. the pure assembly over records gathered by the contract calls equals the generic answer;
3. the rows of each native statement decode into records that hold everything the contract
   calls returned, hop for hop and in the same order;
4. :class:`StatementDouble` answers each native statement from an embedded store, row by row as
   the statement's Cypher reads (wider than the assembly needs, rows shuffled); the native query
   decodes those rows and its answer equals the generic answer, with exactly one round trip.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from neo4j import GraphDatabase

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.memory import MemoryStore
from graph.model import Direction, Hop, Node, Relationship, holds_on
from graph.neo4j import Neo4jStore, flagship
from graph.neo4j.native import NATIVE_QUERIES
from graph.neo4j.statements import STATEMENTS, StatementParameterError
from graph.queries.agreements import assemble_shared, gather_shared, shared_agreements
from graph.queries.chain import assemble_chains, gather_chains, responsibility_chains
from graph.queries.coverage import (
    LINKS_TO_GRID,
    UP_DEPTH,
    NotABuilding,
    assemble_coverage,
    coverage_of_building,
    gather_coverage,
)
from graph.queries.gaps import assemble_gaps, find_gaps, gather_gaps
from graph.queries.grid_links import INCOMING_KINDS, INCOMING_TYPES, LinkMaterial
from schema import ONTOLOGY
from schema.responsibility import CHAIN_ORDER
from tests.chain_graph import (
    LEADER_CHANGE,
    PAIRING_CHANGE,
    Built,
    build_small_district,
    build_synthetic_district,
)
from tests.small_graph import NODES as small_graph_nodes
from tests.small_graph import PAIRING_CHANGE as PAIRING_CHANGE_2
from tests.small_graph import seed_small_graph

NATIVE_NAMES = (
    "responsibility_chain",
    "responsibility_chains",
    "find_gaps",
    "coverage",
    "shared_agreements",
)
DAYS = ("2019-01-01", "2023-06-30", PAIRING_CHANGE, "2024-03-31", LEADER_CHANGE, "2025-01-01")


# -- 1. registration --------------------------------------------------------------------------


@pytest.fixture
def offline_store() -> Iterator[Neo4jStore]:
    """A store on a real driver that never connects (the driver connects lazily)."""
    driver = GraphDatabase.driver("bolt://127.0.0.1:9", auth=("neo4j", "secret"))
    store = Neo4jStore(driver, "neo4j")
    yield store
    store.close()


@pytest.mark.parametrize("name", NATIVE_NAMES)
def test_each_native_query_is_registered(offline_store: Neo4jStore, name: str) -> None:
    bound = offline_store.native_query(name)
    assert bound is not None
    assert bound.func is NATIVE_QUERIES[name]  # type: ignore[attr-defined]
    assert bound.args == (offline_store,)  # type: ignore[attr-defined]


def test_native_statements_are_registered_reads() -> None:
    for name in (flagship.CHAINS, flagship.GAPS, flagship.COVERAGE, flagship.SHARED):
        assert STATEMENTS[name].access == "read"
        assert "UNION ALL" in STATEMENTS[name].text
    assert set(STATEMENTS[flagship.CHAINS].params) == {"building_ids", "event_ids", "as_of"}
    assert set(STATEMENTS[flagship.GAPS].params) == {"as_of"}
    assert set(STATEMENTS[flagship.COVERAGE].params) == {"building_id", "as_of"}
    assert set(STATEMENTS[flagship.SHARED].params) == {"unit_id", "as_of"}


# -- the statement double -----------------------------------------------------------------------


def node_map(node: Node) -> dict[str, Any]:
    """A node as the statements' ``node_map`` returns it (``properties()`` includes ``id``)."""
    return {"id": node.id, "kind": node.kind, "props": {**node.props, "id": node.id}}


def rel_map(rel: Relationship) -> dict[str, Any]:
    return {
        "id": rel.id,
        "type": rel.type,
        "source": rel.source,
        "target": rel.target,
        "props": {**rel.props, "id": rel.id},
    }


def row(part: str, key: str, rel: Relationship | None, node: Node) -> dict[str, Any]:
    return {
        "part": part,
        "key": key,
        "rel": None if rel is None else rel_map(rel),
        "node": node_map(node),
    }


class StatementDouble:
    """Answers the native statements from an embedded store, as their Cypher reads.

    Each branch of a statement is rebuilt from contract calls that select what its MATCH
    selects (no narrower than the Cypher, and deliberately no narrower than needed: every linked
    unit's posts, every post's holders). Rows come back shuffled, as Neo4j promises no order.
    """

    def __init__(self, inner: MemoryStore, seed: int = 0) -> None:
        self.inner = inner
        self.rng = random.Random(seed)
        self.reads: list[str] = []

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        declared = STATEMENTS[name].params
        if set(params) != set(declared):
            raise StatementParameterError(f"{name}: {sorted(params)} != {sorted(declared)}")
        self.reads.append(name)
        rows = {
            flagship.CHAINS: self._chains,
            flagship.GAPS: self._gaps,
            flagship.COVERAGE: self._coverage,
            flagship.SHARED: self._shared,
        }[name](**params)
        self.rng.shuffle(rows)
        return rows

    def _both(self, ids: Iterable[str], types: Any, as_of: str) -> dict[str, list[Hop]]:
        return self.inner.neighbours(list(ids), types, Direction.BOTH, date.fromisoformat(as_of))

    def _out(
        self, ids: Iterable[str], types: Any, as_of: str, kinds: Any = None
    ) -> dict[str, list[Hop]]:
        return self.inner.neighbours(
            list(ids), types, Direction.OUT, date.fromisoformat(as_of), kinds
        )

    def _in(
        self, ids: Iterable[str], types: Any, as_of: str, kinds: Any = None
    ) -> dict[str, list[Hop]]:
        return self.inner.neighbours(
            list(ids), types, Direction.IN, date.fromisoformat(as_of), kinds
        )

    def _trails_up(self, start: str, as_of: str, depth: int) -> list[Hop]:
        """Every link on a PART_OF path from ``start`` of at most ``depth`` links, each in force,
        no link twice (Cypher's relationship uniqueness within a path)."""
        found: dict[str, Hop] = {}  # WITH DISTINCT start_id, r

        def extend(node_id: str, used: frozenset[str], length: int) -> None:
            if length == depth:
                return
            for hop in self._out([node_id], "PART_OF", as_of)[node_id]:
                if hop.relationship.id in used:
                    continue
                found[hop.relationship.id] = hop
                extend(hop.node.id, used | {hop.relationship.id}, length + 1)

        extend(start, frozenset(), 0)
        return list(found.values())

    def _grid_links(self, grids: list[str], as_of: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        incoming = self._in(grids, INCOMING_TYPES, as_of, INCOMING_KINDS)
        linked: dict[str, Node] = {}
        for gid, hops in incoming.items():
            for hop in hops:
                rows.append(row("in", gid, hop.relationship, hop.node))
                linked[hop.node.id] = hop.node
        posts = self._in(sorted(linked), "POST_IN", as_of, "Post")
        candidates = dict(linked)
        for mid, hops in posts.items():
            for hop in hops:
                rows.append(row("post", mid, hop.relationship, hop.node))
                candidates[hop.node.id] = hop.node
        post_ids = sorted(nid for nid, n in candidates.items() if n.kind == "Post")
        for pid, hops in self._in(post_ids, "HOLDS", as_of, "Person").items():
            rows.extend(row("holds", pid, hop.relationship, hop.node) for hop in hops)
        return rows

    def _chains(
        self, building_ids: list[str], event_ids: list[str], as_of: str
    ) -> list[dict[str, Any]]:
        found = self.inner.get_nodes([*building_ids, *event_ids])
        rows = [row("node", nid, None, n) for nid, n in found.items()]
        grids = {b for b in building_ids if b in found}
        for b in sorted(grids):
            for hop in self._trails_up(b, as_of, len(CHAIN_ORDER) - 1):
                rows.append(row("up", b, hop.relationship, hop.node))
                grids.add(hop.node.id)
        rows += self._grid_links(sorted(grids), as_of)
        events = [e for e in event_ids if e in found]
        for eid, hops in self._out(events, ("HANDLED_BY", "IN_CATEGORY"), as_of).items():
            rows.extend(row("event", eid, hop.relationship, hop.node) for hop in hops)
        districts = sorted(
            n.id for n in self.inner.get_nodes(sorted(grids)).values() if n.kind == "District"
        )
        for did, hops in self._in(districts, "DEPARTMENT_OF", as_of).items():
            rows.extend(row("key_unit", did, hop.relationship, hop.node) for hop in hops)
        return rows

    def _gaps(self, as_of: str) -> list[dict[str, Any]]:
        labels = [ONTOLOGY.grid_kind(level).name for level in CHAIN_ORDER]
        grids = [g for label in labels for g in self.inner.iter_nodes(label)]
        rows = [row("grid", g.id, None, g) for g in grids]
        children = [g.id for g in grids if g.kind in labels[:-1]]
        for gid, hops in self._out(children, "PART_OF", as_of).items():
            rows.extend(row("up", gid, hop.relationship, hop.node) for hop in hops)
        rows += self._grid_links([g.id for g in grids], as_of)
        events = list(self.inner.iter_nodes("EventType"))
        rows += [row("event_type", e.id, None, e) for e in events]
        for eid, hops in self._out([e.id for e in events], "HANDLED_BY", as_of).items():
            rows.extend(row("event", eid, hop.relationship, hop.node) for hop in hops)
        return rows

    def _coverage(self, building_id: str, as_of: str) -> list[dict[str, Any]]:
        found = self.inner.get_nodes([building_id])
        rows = [row("node", nid, None, n) for nid, n in found.items()]
        grids = set(found)
        for b in sorted(found):
            for hop in self._trails_up(b, as_of, UP_DEPTH):
                rows.append(row("up", b, hop.relationship, hop.node))
                grids.add(hop.node.id)
        linked: dict[str, Node] = {}
        asked: set[str] = set()
        for gid, hops in self._both(sorted(grids), LINKS_TO_GRID, as_of).items():
            for hop in hops:
                rows.append(row("linked", gid, hop.relationship, hop.node))
                linked[hop.node.id] = hop.node
                party = hop.relationship.type == "PARTY_TO"
                if (not party and hop.node.kind != "Post") or (
                    party and holds_on(hop.node.props, as_of)
                ):
                    asked.add(hop.node.id)
        for mid, hops in self._in(sorted(asked), ("POST_IN", "PARTY_TO"), as_of).items():
            rows.extend(row("second", mid, hop.relationship, hop.node) for hop in hops)
        candidates = dict(linked)
        for hops in self._in(sorted(linked), "POST_IN", as_of, "Post").values():
            candidates.update({hop.node.id: hop.node for hop in hops})
        post_ids = sorted(nid for nid, n in candidates.items() if n.kind == "Post")
        for pid, hops in self._in(post_ids, "HOLDS", as_of, "Person").items():
            rows.extend(row("holds", pid, hop.relationship, hop.node) for hop in hops)
        return rows

    def _shared(self, unit_id: str, as_of: str) -> list[dict[str, Any]]:
        found = self.inner.get_nodes([unit_id])
        rows = [row("node", nid, None, n) for nid, n in found.items()]
        own = self._out([unit_id], "PARTY_TO", as_of)[unit_id]
        rows += [row("own", unit_id, hop.relationship, hop.node) for hop in own]
        agreements = sorted({h.node.id for h in own if holds_on(h.node.props, as_of)})
        parties: set[str] = set()
        for aid, hops in self._in(agreements, "PARTY_TO", as_of).items():
            rows.extend(row("parties", aid, hop.relationship, hop.node) for hop in hops)
            parties |= {hop.node.id for hop in hops}
        theirs: set[str] = set()
        for pid, hops in self._out(sorted(parties), "PARTY_TO", as_of).items():
            rows.extend(row("theirs", pid, hop.relationship, hop.node) for hop in hops)
            theirs |= {hop.node.id for hop in hops if holds_on(hop.node.props, as_of)}
        for aid, hops in self._in(sorted(theirs), "PARTY_TO", as_of).items():
            rows.extend(row("second", aid, hop.relationship, hop.node) for hop in hops)
        return rows


# -- 2 and 3: equal answers ---------------------------------------------------------------------


def all_pairs(b: Built) -> list[tuple[str, str]]:
    nodes = list(b.nodes.values())
    return [
        (n.id, e.id) for n in nodes if n.kind == "Building" for e in nodes if e.kind == "EventType"
    ]


def covers(decoded: Mapping[str, list[Hop]], gathered: Mapping[str, list[Hop]]) -> bool:
    """Every key the contract call answered is decoded with the very same hops, in order; a
    key without hops may be missing (the assembly reads a missing key as no hops)."""
    return all(decoded.get(key, []) == hops for key, hops in gathered.items())


def assert_links_cover(decoded: LinkMaterial, gathered: LinkMaterial) -> None:
    assert covers(decoded.incoming, gathered.incoming)
    assert covers(decoded.org_posts, gathered.org_posts)
    assert covers(decoded.holders, gathered.holders)


def check_chains(store: MemoryStore, pairs: list[tuple[str, str]], day: str, seed: int = 0) -> None:
    generic = responsibility_chains(store, pairs, day)
    as_date = date.fromisoformat(day)
    buildings, events = sorted({b for b, _ in pairs}), sorted({e for _, e in pairs})
    gathered = gather_chains(store, buildings, events, as_date)
    assert assemble_chains(gathered, pairs, as_date) == generic

    double = StatementDouble(store, seed)
    rows = double.read(flagship.CHAINS, building_ids=buildings, event_ids=events, as_of=day)
    decoded = flagship.chain_material(rows, buildings)
    assert decoded.nodes == gathered.nodes and decoded.up == gathered.up
    assert decoded.key_units == gathered.key_units
    assert covers(decoded.event_hops, gathered.event_hops)
    assert_links_cover(decoded.links, gathered.links)
    double.reads.clear()
    assert flagship.responsibility_chains(double, pairs, day) == generic  # type: ignore[arg-type]
    assert double.reads == [flagship.CHAINS]
    b, e = pairs[0]
    one = flagship.responsibility_chain(double, b, e, as_of=as_date)  # type: ignore[arg-type]
    assert one == generic[0]
    assert double.reads == [flagship.CHAINS] * 2


def check_gaps(store: MemoryStore, day: str, seed: int = 0) -> None:
    generic = find_gaps(store, day)
    assert (
        assemble_gaps(gather_gaps(store, date.fromisoformat(day)), date.fromisoformat(day))
        == generic
    )
    double = StatementDouble(store, seed)
    assert flagship.find_gaps(double, day) == generic  # type: ignore[arg-type]
    assert double.reads == [flagship.GAPS]


def check_coverage(store: MemoryStore, building_id: str, day: str, seed: int = 0) -> None:
    as_date = date.fromisoformat(day)
    generic = coverage_of_building(store, building_id, as_date)
    gathered = gather_coverage(store, building_id, as_date)
    assert assemble_coverage(building_id, gathered, as_date) == generic
    double = StatementDouble(store, seed)
    decoded = flagship.coverage_material(
        double.read(flagship.COVERAGE, building_id=building_id, as_of=day), building_id
    )
    assert decoded.building == gathered.building and decoded.up == gathered.up
    assert covers(decoded.linked, gathered.linked) and covers(decoded.holders, gathered.holders)
    assert covers(decoded.second, gathered.second)
    double.reads.clear()
    assert flagship.coverage(double, building_id, as_date) == generic  # type: ignore[arg-type]
    assert double.reads == [flagship.COVERAGE]


def check_shared(store: MemoryStore, unit_id: str, day: str, seed: int = 0) -> None:
    as_date = date.fromisoformat(day)
    generic = shared_agreements(store, unit_id, as_date)
    gathered = gather_shared(store, unit_id, as_date)
    assert assemble_shared(unit_id, gathered, as_date) == generic
    double = StatementDouble(store, seed)
    decoded = flagship.shared_material(
        double.read(flagship.SHARED, unit_id=unit_id, as_of=day), unit_id
    )
    assert decoded.unit == gathered.unit and decoded.own == gathered.own
    assert covers(decoded.parties, gathered.parties) and covers(decoded.theirs, gathered.theirs)
    assert covers(decoded.second_parties, gathered.second_parties)
    double.reads.clear()
    assert flagship.shared_agreements(double, unit_id, as_date) == generic  # type: ignore[arg-type]
    assert double.reads == [flagship.SHARED]


@pytest.fixture(scope="module")
def governance() -> Iterator[MemoryStore]:
    """The small governance graph of the coverage and agreements tests."""
    with MemoryStore() as store:
        seed_small_graph(store)
        yield store


GOVERNANCE_DAYS = ("2021-06-01", "2023-03-01", "2024-06-30", PAIRING_CHANGE_2, "2025-06-01")


@pytest.mark.parametrize("day", GOVERNANCE_DAYS)
def test_native_coverage_equals_generic(governance: MemoryStore, day: str) -> None:
    for building in governance.iter_nodes("Building"):
        check_coverage(governance, building.id, day, seed=len(building.id))


@pytest.mark.parametrize("day", GOVERNANCE_DAYS)
def test_native_shared_agreements_equal_generic(governance: MemoryStore, day: str) -> None:
    asked = 0
    for node in governance.iter_nodes():
        check_shared(governance, node.id, day, seed=len(node.id))
        asked += 1
    assert asked == len(small_graph_nodes)


def test_coverage_and_agreements_refuse_the_same_ids(governance: MemoryStore) -> None:
    double = StatementDouble(governance)
    day = date(2024, 1, 1)
    with pytest.raises(NodeNotFound):
        flagship.coverage(double, "building:nope", day)  # type: ignore[arg-type]
    with pytest.raises(NotABuilding):
        flagship.coverage(double, "district:410611", day)  # type: ignore[arg-type]
    with pytest.raises(NodeNotFound):
        flagship.shared_agreements(double, "unit:nope", day)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def small() -> Iterator[tuple[MemoryStore, Built]]:
    with MemoryStore() as store:
        yield store, build_small_district(store)


@pytest.mark.parametrize("day", DAYS)
def test_native_chains_equal_generic_on_the_small_district(
    small: tuple[MemoryStore, Built], day: str
) -> None:
    store, b = small
    check_chains(store, all_pairs(b), day, seed=len(day))


@pytest.mark.parametrize("day", DAYS)
def test_native_gaps_equal_generic_on_the_small_district(
    small: tuple[MemoryStore, Built], day: str
) -> None:
    check_gaps(small[0], day)


def test_unknown_ids_raise_the_same_errors(small: tuple[MemoryStore, Built]) -> None:
    store, b = small
    double = StatementDouble(store)
    building, event = all_pairs(b)[0]
    cases: list[Callable[[Any], Any]] = [
        lambda s: responsibility_chains(s, [("building:nope", event)], "2024-01-01"),
        lambda s: responsibility_chains(s, [(event, event)], "2024-01-01"),
        lambda s: responsibility_chains(s, [(building, building)], "2024-01-01"),
    ]
    for case in cases:
        with pytest.raises(Exception) as generic:
            case(store)
        native = NATIVE_QUERIES["responsibility_chains"]
        with pytest.raises(type(generic.value), match=str(generic.value).replace("'", ".")):
            case(_Wrapped(double, native))


class _Wrapped:
    """An embedded store that answers ``responsibility_chains`` natively through the double."""

    def __init__(self, double: StatementDouble, function: Callable[..., Any]) -> None:
        self.double, self.function = double, function

    def native_query(self, name: str) -> Callable[..., Any] | None:
        if name == "responsibility_chains":
            return lambda *a, **kw: self.function(self.double, *a, **kw)
        return None


def test_no_pairs_needs_no_round_trip(small: tuple[MemoryStore, Built]) -> None:
    double = StatementDouble(small[0])
    assert flagship.responsibility_chains(double, [], "2024-01-01") == []  # type: ignore[arg-type]
    assert double.reads == []


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    missing=st.floats(min_value=0.0, max_value=1.0),
    day=st.sampled_from(["2019-01-01", "2023-06-01", "2024-06-01", "2026-01-01"]),
)
def test_native_answers_always_equal_generic(seed: int, missing: float, day: str) -> None:
    with MemoryStore() as store:
        b = build_synthetic_district(
            store, communities=3, compounds_per=2, buildings_per=2, event_types=3, seed=seed,
            missing=missing,
        )  # fmt: skip
        check_chains(store, all_pairs(b), day, seed)
        check_gaps(store, day, seed)
        for building in store.iter_nodes("Building"):
            check_coverage(store, building.id, day, seed)


RANDOM_TYPES = (
    "PART_OF", "PARTY_TO", "POST_IN", "HOLDS", "COVERS", "MANAGES", "PAIRED_WITH", "ACTIVE_IN",
    "HANDLED_BY", "IN_CATEGORY",
)  # fmt: skip
PERIODS: tuple[dict[str, str], ...] = (
    {},
    {"valid_from": "2022-01-01"},
    {"valid_to": "2023-12-31"},
    {"valid_from": "2023-01-01", "valid_to": "2024-06-30"},
)


def random_links(
    rng: random.Random, links: int, pool: Iterable[Node] = small_graph_nodes
) -> list[Relationship]:
    """Relationships the ontology allows between the small graph's nodes, drawn at random:
    several parents per grid, agreements with many parties, posts shared between units."""
    by_kind: dict[str, list[Node]] = {}
    for node in pool:
        by_kind.setdefault(node.kind, []).append(node)
    rels: list[Relationship] = []
    for _ in range(links):
        rel = ONTOLOGY.relations[rng.choice(RANDOM_TYPES)]
        sources = [n for k in rel.sources for n in by_kind.get(k, ())]
        targets = [n for k in rel.targets for n in by_kind.get(k, ())]
        if not sources or not targets:
            continue
        source, target = rng.choice(sources), rng.choice(targets)
        if source.id != target.id:
            rels.append(Relationship(rel.name, source.id, target.id, dict(rng.choice(PERIODS))))
    return rels


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    links=st.integers(min_value=0, max_value=60),
    day=st.sampled_from(["2021-06-01", "2023-06-01", "2024-09-01"]),
)
def test_native_answers_equal_generic_on_random_links(seed: int, links: int, day: str) -> None:
    """The small graph plus random links: extra parents at every level (so the statements fetch
    more than the assembly reads), agreements with many parties, posts of several units."""
    with MemoryStore() as store:
        seed_small_graph(store)
        store.upsert_relationships(random_links(random.Random(seed), links))
        for building in store.iter_nodes("Building"):
            check_coverage(store, building.id, day, seed)
        for node in small_graph_nodes:
            check_shared(store, node.id, day, seed)
        check_gaps(store, day, seed)


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    links=st.integers(min_value=0, max_value=60),
    day=st.sampled_from(["2019-01-01", "2023-06-30", "2024-06-01"]),
)
def test_native_chains_equal_generic_on_random_links(seed: int, links: int, day: str) -> None:
    """The hand-built district plus random links (second parents, shared posts, more handlers)."""
    with MemoryStore() as store:
        b = build_small_district(store)
        store.upsert_relationships(random_links(random.Random(seed), links, b.nodes.values()))
        check_chains(store, all_pairs(b), day, seed)
        check_gaps(store, day, seed)


# -- on every store: the native answer equals the contract-gathered one --------------------------


def test_live_native_chains_and_gaps_equal_the_contract_path(store: GraphStore) -> None:
    """On Neo4j (``NEO4J_URI`` set) the native queries answer; gathering with the contract calls
    on the same store and assembling must give the same answers."""
    if store.name == "neo4j":
        assert all(store.native_query(name) is not None for name in NATIVE_NAMES)
    b = build_small_district(store)
    for day in (date.fromisoformat(d) for d in DAYS):
        pairs = all_pairs(b)
        buildings, events = sorted({x for x, _ in pairs}), sorted({e for _, e in pairs})
        gathered = assemble_chains(gather_chains(store, buildings, events, day), pairs, day)
        assert responsibility_chains(store, pairs, day) == gathered
        assert find_gaps(store, day) == assemble_gaps(gather_gaps(store, day), day)


def test_live_native_coverage_and_agreements_equal_the_contract_path(store: GraphStore) -> None:
    seed_small_graph(store)
    for day in (date.fromisoformat(d) for d in GOVERNANCE_DAYS):
        for building in store.iter_nodes("Building"):
            gathered = gather_coverage(store, building.id, day)
            expected = assemble_coverage(building.id, gathered, day)
            assert coverage_of_building(store, building.id, day) == expected
        for node in small_graph_nodes:
            expected_shared = assemble_shared(node.id, gather_shared(store, node.id, day), day)
            assert shared_agreements(store, node.id, day) == expected_shared


def test_the_double_returns_the_parts_each_statement_names(
    small: tuple[MemoryStore, Built], governance: MemoryStore
) -> None:
    """The statement double and the Cypher agree on the parts of the answer (and on a graph
    with every kind of link, every part has rows)."""
    store, b = small
    building, event = all_pairs(b)[0]
    unit = next(n.id for n in small_graph_nodes if n.kind == "Unit")
    covered = next(governance.iter_nodes("Building")).id
    asked = {
        flagship.CHAINS: (store, {"building_ids": [building], "event_ids": [event]}),
        flagship.GAPS: (store, {}),
        flagship.COVERAGE: (governance, {"building_id": covered}),
        flagship.SHARED: (governance, {"unit_id": unit}),
    }
    for name, (inner, params) in asked.items():
        named = set(re.findall(r"'(\w+)' AS part", STATEMENTS[name].text))
        rows = StatementDouble(inner).read(name, as_of="2024-01-01", **params)
        assert {r["part"] for r in rows} == named, name
