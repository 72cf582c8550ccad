"""The Neo4j native flagship queries: registered, one round trip, and equal to the embedded ones.

1. Every flagship query has a Neo4j version registered on it (``graph.queries.dispatch``),
   chosen for a Neo4j store and for wrappers of one, and sends a registered read statement
   (which ``test_cypher_lint.py`` lints); no pairs, no round trip.
2. On every store, the native answer (Neo4j) equals the one gathered with the contract calls
   on the same store and assembled: small hand-built graphs, every pair, several days.
3. The Qibin reference graph, built into the embedded store and copied into a
   real Neo4j (``copy_graph``, the function behind ``gridgraph copy``): Neo4j's native answers
   equal the embedded store's for a broad, seeded sample: responsibility chains and coverage for
   hundreds of (building, event type, day) triples, the days chosen where pairings and posts
   start and end (and the buildings those changes touch); the gaps report on several days;
   shared agreements of units and communities on days agreements start and end; shortest
   connections (equal length, each a real path on both stores); the same errors for bad ids.
   The copy is made once and checked before each test (``tests/reference_neo4j.py``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from neo4j import GraphDatabase

from graph.audit import AuditTrail
from graph.audited import AuditedStore
from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.memory import MemoryStore
from graph.model import Direction, Relationship
from graph.neo4j import Neo4jStore
from graph.neo4j.statements import STATEMENTS
from graph.queries.agreements import assemble_shared, gather_shared, shared_agreements
from graph.queries.agreements.cypher import SHARED
from graph.queries.chain import (
    assemble_chains,
    gather_chains,
    responsibility_chain,
    responsibility_chains,
)
from graph.queries.chain.cypher import CHAINS
from graph.queries.coverage import (
    NotABuilding,
    assemble_coverage,
    coverage_of_building,
    gather_coverage,
)
from graph.queries.coverage.cypher import COVERAGE
from graph.queries.dispatch import Dispatchable
from graph.queries.flagship import native_queries
from graph.queries.gaps import assemble_gaps, find_gaps, gather_gaps
from graph.queries.gaps.cypher import GAPS
from graph.queries.paths import Connection, shortest_connection
from schema import ONTOLOGY
from schema.responsibility import CHAIN_ORDER
from tests.chain_graph import LEADER_CHANGE, PAIRING_CHANGE, Built, build_small_district
from tests.conftest import Neo4jServer
from tests.reference_neo4j import GROUP, build_reference, ensure_copied
from tests.small_graph import NODES as small_graph_nodes
from tests.small_graph import PAIRING_CHANGE as PAIRING_CHANGE_2
from tests.small_graph import seed_small_graph

NATIVE_QUERIES: tuple[Dispatchable[..., Any], ...] = (
    responsibility_chains,
    find_gaps,
    coverage_of_building,
    shared_agreements,
)
DAYS = ("2019-01-01", "2023-06-30", PAIRING_CHANGE, "2024-03-31", LEADER_CHANGE, "2025-01-01")
GOVERNANCE_DAYS = ("2021-06-01", "2023-03-01", "2024-06-30", PAIRING_CHANGE_2, "2025-06-01")
GRID_KINDS = frozenset(ONTOLOGY.grid_kind(level).name for level in CHAIN_ORDER)


# -- 1. registration --------------------------------------------------------------------------


@pytest.fixture
def offline_store() -> Iterator[Neo4jStore]:
    """A store on a real driver that never connects (the driver connects lazily)."""
    driver = GraphDatabase.driver("bolt://127.0.0.1:9", auth=("neo4j", "secret"))
    store = Neo4jStore(driver, "neo4j")
    yield store
    store.close()


@pytest.mark.parametrize("query", NATIVE_QUERIES, ids=lambda q: q.generic.__name__)
def test_each_flagship_query_has_a_neo4j_version(
    offline_store: Neo4jStore, query: Dispatchable[..., Any]
) -> None:
    native = query.natives["neo4j"]
    assert query.implementation(offline_store) is native
    assert query.implementation(MemoryStore()) is query.generic
    audited = AuditedStore(offline_store, AuditTrail(None), "t", None, "a")
    assert query.implementation(audited) is native  # type: ignore[arg-type]
    assert native_queries()[query.generic.__name__] is query


def test_the_flagship_registry_lists_every_native_query() -> None:
    names = set(native_queries())
    assert {q.generic.__name__ for q in NATIVE_QUERIES} <= names
    assert native_queries("memory") == {}


def test_native_statements_are_registered_reads() -> None:
    for statement in (CHAINS, GAPS, COVERAGE, SHARED):
        assert STATEMENTS[statement.name] is statement
        assert statement.access == "read"
        assert "UNION ALL" in statement.text
    assert set(CHAINS.params) == {"building_ids", "event_ids", "as_of"}
    assert set(GAPS.params) == {"as_of"}
    assert set(COVERAGE.params) == {"building_id", "as_of"}
    assert set(SHARED.params) == {"unit_id", "as_of"}


def test_no_pairs_needs_no_round_trip(offline_store: Neo4jStore) -> None:
    """The offline store would fail on any round trip."""
    assert responsibility_chains(offline_store, [], "2024-01-01") == []


# -- 2. on every store: the native answer equals the contract-gathered one ---------------------


def all_pairs(b: Built) -> list[tuple[str, str]]:
    nodes = list(b.nodes.values())
    return [
        (n.id, e.id) for n in nodes if n.kind == "Building" for e in nodes if e.kind == "EventType"
    ]


def test_live_native_chains_and_gaps_equal_the_contract_path(store: GraphStore) -> None:
    """On Neo4j the native queries answer; gathering with the contract calls on the same store
    and assembling must give the same answers."""
    natives = {q.implementation(store) for q in NATIVE_QUERIES}
    assert (store.backend == "neo4j") == (natives == {q.natives["neo4j"] for q in NATIVE_QUERIES})
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


# -- 3. the reference graph: Neo4j's native answers equal the embedded store's ----------------


@pytest.fixture(scope="module")
def reference() -> Iterator[MemoryStore]:
    """The reference graph in an embedded store: the answers Neo4j must give."""
    store = build_reference()
    yield store
    store.close()


@pytest.fixture
def in_neo4j(neo4j_server: Neo4jServer, reference: MemoryStore) -> Iterator[Neo4jStore]:
    """The suite's Neo4j holding the reference graph (copied again if something wiped it)."""
    store = Neo4jStore.from_settings(neo4j_server.settings())
    try:
        ensure_copied(reference, store)
        yield store
    finally:
        store.close()


def day_after(day: str, days: int = 1) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def change_days(rels: list[Relationship]) -> Counter[str]:
    """The days around which ``rels`` start or end (the last day before and the first after),
    counted by how many relationships change there."""
    days: Counter[str] = Counter()
    for rel in rels:
        if start := rel.props.get("valid_from"):
            days.update([day_after(start, -1), start])
        if end := rel.props.get("valid_to"):
            days.update([end, day_after(end)])
    return days


class Sample:
    """A deterministic sample of the reference graph's questions (seeded random)."""

    def __init__(self, store: MemoryStore, seed: int = 9) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.buildings = sorted(n.id for n in store.iter_nodes("Building"))
        self.event_types = sorted(n.id for n in store.iter_nodes("EventType"))
        pairings = list(store.iter_relationships("PAIRED_WITH"))
        holds = list(store.iter_relationships("HOLDS"))
        self.changing = [*pairings, *holds]
        pairing_days = sorted(change_days(pairings))
        busiest = [d for d, _ in change_days(holds).most_common(8)]
        others = sorted(set(change_days(holds)) - set(busiest))
        self.days = sorted({*pairing_days, *busiest, *self.rng.sample(others, 4)})

    def touched_buildings(self, day: str) -> list[str]:
        """Buildings under the grids whose pairing or post changes around ``day``."""
        edges = {day, day_after(day, -1), day_after(day)}
        grids: set[str] = set()
        for rel in self.changing:
            if not edges & {rel.props.get("valid_from"), rel.props.get("valid_to")}:
                continue
            if rel.type == "PAIRED_WITH":
                grids.add(rel.target)
                continue
            for hop in self.store.neighbours([rel.target], "POST_IN", Direction.OUT)[rel.target]:
                place = hop.node
                if place.kind in GRID_KINDS:
                    grids.add(place.id)
                else:
                    covered = self.store.neighbours([place.id], ("COVERS", "ACTIVE_IN"))
                    grids.update(h.node.id for h in covered[place.id])
        found: set[str] = {g for g in grids if g.startswith("building:")}
        below = self.store.walk(sorted(grids), "PART_OF", Direction.IN, 4)
        for nodes in below.values():
            found.update(n.id for n in nodes if n.kind == "Building")
        return sorted(found)

    def triples(self, per_day: int = 10, events_per_building: int = 3) -> dict[str, list[Any]]:
        """Per day, (building, event type) pairs: touched buildings first, then random ones."""
        asked: dict[str, list[Any]] = {}
        for day in self.days:
            touched = self.touched_buildings(day)
            chosen = self.rng.sample(touched, min(len(touched), per_day // 2))
            rest = [b for b in self.buildings if b not in chosen]
            chosen += self.rng.sample(rest, per_day - len(chosen))
            asked[day] = [
                (b, e)
                for b in chosen
                for e in self.rng.sample(self.event_types, events_per_building)
            ]
        return asked


@pytest.fixture(scope="module")
def sample(reference: MemoryStore) -> Sample:
    return Sample(reference)


def differences(native: list[Any], embedded: list[Any], keys: list[Any]) -> list[Any]:
    """The keys whose answers differ (a readable failure instead of a giant diff)."""
    assert len(native) == len(embedded) == len(keys)
    return [key for key, a, b in zip(keys, native, embedded, strict=True) if a != b]


@pytest.mark.xdist_group(GROUP)
def test_the_sample_is_broad(sample: Sample) -> None:
    """Hundreds of triples, on days where pairings and posts change, with answers that differ
    from one side of a change to the other."""
    triples = sample.triples()
    assert sum(len(pairs) for pairs in triples.values()) >= 300
    assert len(sample.days) >= 12
    assert {"2023-12-31", "2024-01-01"} <= set(sample.days)  # the 2024 re-pairing
    before = responsibility_chains(sample.store, triples["2023-12-31"], "2023-12-31")
    after = responsibility_chains(sample.store, triples["2023-12-31"], "2024-01-01")
    assert before != after


@pytest.mark.neo4j
@pytest.mark.xdist_group(GROUP)
def test_chains_and_coverage_equal_the_embedded_store(in_neo4j: Neo4jStore, sample: Sample) -> None:
    embedded = sample.store
    asked = 0
    for day, pairs in sample.triples().items():
        native = responsibility_chains(in_neo4j, pairs, day)
        assert not differences(native, responsibility_chains(embedded, pairs, day), pairs), day
        b, e = pairs[0]
        assert responsibility_chain(in_neo4j, b, e, day) == native[0]
        buildings = sorted({b for b, _ in pairs})
        as_of = date.fromisoformat(day)
        covered = [coverage_of_building(in_neo4j, b, as_of) for b in buildings]
        expected = [coverage_of_building(embedded, b, as_of) for b in buildings]
        assert not differences(covered, expected, buildings), day
        asked += len(pairs)
    assert asked >= 300


@pytest.mark.neo4j
@pytest.mark.xdist_group(GROUP)
def test_gaps_equal_the_embedded_store(in_neo4j: Neo4jStore, sample: Sample) -> None:
    for day in ("2021-05-31", "2024-01-01", "2026-03-01"):
        native, embedded = find_gaps(in_neo4j, day), find_gaps(sample.store, day)
        assert native.rows, day
        assert native.checked == embedded.checked, day
        assert native.counts() == embedded.counts(), day
        assert native == embedded, day


@pytest.mark.neo4j
@pytest.mark.xdist_group(GROUP)
def test_shared_agreements_equal_the_embedded_store(in_neo4j: Neo4jStore, sample: Sample) -> None:
    store, rng = sample.store, random.Random(11)
    units = rng.sample(sorted(n.id for n in store.iter_nodes("Unit")), 40)
    communities = rng.sample(sorted(n.id for n in store.iter_nodes("Community")), 15)
    starts = change_days(list(store.iter_relationships("PARTY_TO")))
    days = [date.fromisoformat(d) for d in sorted(rng.sample(sorted(starts), 3))]
    days.append(date(2026, 3, 1))
    shared = 0
    for day in days:
        for party in units + communities:
            native = shared_agreements(in_neo4j, party, day)
            assert native == shared_agreements(store, party, day), (party, day)
            shared += len(native)
    assert shared > 0


def check_path(store: GraphStore, path: Connection, day: date) -> None:
    """``path`` is a path of ``store``: each relationship joins its neighbours and holds."""
    rels = store.get_relationships([r.id for r in path.relationships])
    for a, rel, b in zip(path.nodes, path.relationships, path.nodes[1:], strict=False):
        assert rels[rel.id] == rel and rel.holds_on(day)
        assert {rel.source, rel.target} == {a.id, b.id}
    assert store.get_nodes([n.id for n in path.nodes]) == {n.id: n for n in path.nodes}


@pytest.mark.neo4j
@pytest.mark.xdist_group(GROUP)
def test_paths_are_as_short_as_on_the_embedded_store(in_neo4j: Neo4jStore, sample: Sample) -> None:
    """The same path (of several equally short ones, the least by node ids), and each a real
    path of the other store."""
    store, rng = sample.store, random.Random(13)
    ends = [
        *rng.sample(sample.buildings, 10),
        *rng.sample(sorted(n.id for n in store.iter_nodes("Unit")), 5),
        *rng.sample(sorted(n.id for n in store.iter_nodes("Department")), 5),
        *rng.sample(sorted(n.id for n in store.iter_nodes("Person")), 5),
    ]
    found = 0
    for _ in range(60):
        source, target = rng.sample(ends, 2)
        day = date.fromisoformat(rng.choice(sample.days))
        native = shortest_connection(in_neo4j, source, target, 6, day)
        embedded = shortest_connection(store, source, target, 6, day)
        assert (native is None) == (embedded is None), (source, target, day)
        if native is None or embedded is None:
            continue
        assert native.length == embedded.length, (source, target, day)
        assert [n.id for n in native.nodes] == [n.id for n in embedded.nodes], (source, target)
        assert [r.id for r in native.relationships] == [r.id for r in embedded.relationships]
        assert (native.nodes[0].id, native.nodes[-1].id) == (source, target)
        check_path(store, native, day)
        check_path(in_neo4j, embedded, day)
        found += 1
    assert found >= 15


def raised(call: Callable[[GraphStore], Any], store: GraphStore) -> tuple[type, str]:
    with pytest.raises(Exception) as caught:
        call(store)
    return type(caught.value), str(caught.value)


@pytest.mark.neo4j
@pytest.mark.xdist_group(GROUP)
def test_bad_ids_raise_the_same_errors(in_neo4j: Neo4jStore, sample: Sample) -> None:
    building, event = sample.buildings[0], sample.event_types[0]
    community = next(sample.store.iter_nodes("Community")).id
    day = date(2024, 1, 1)
    cases: list[tuple[Callable[[GraphStore], Any], type]] = [
        (lambda s: responsibility_chains(s, [("building:nope", event)], day), NodeNotFound),
        (lambda s: responsibility_chains(s, [(event, event)], day), NodeNotFound),
        (lambda s: responsibility_chains(s, [(building, building)], day), NodeNotFound),
        (lambda s: responsibility_chain(s, building, "event_type:nope", day), NodeNotFound),
        (lambda s: coverage_of_building(s, "building:nope", day), NodeNotFound),
        (lambda s: coverage_of_building(s, community, day), NotABuilding),
        (lambda s: shared_agreements(s, "unit:nope", day), NodeNotFound),
        (lambda s: shortest_connection(s, building, "unit:nope", 6, day), NodeNotFound),
    ]
    for call, kind in cases:
        native = raised(call, in_neo4j)
        assert native == raised(call, sample.store)
        assert issubclass(native[0], kind), native


@pytest.mark.xdist_group(GROUP)
def test_find_through_the_names_index_equals_the_embedded_store(
    in_neo4j: Neo4jStore, reference: MemoryStore
) -> None:
    """Texts of Chinese characters go through Neo4j's full-text names index, the rest through
    the scan; both answer as the embedded store's n-gram index does: same nodes, same order."""
    rng = random.Random(11)
    names = sorted({str(n.props["name"]) for n in reference.iter_nodes() if n.props.get("name")})
    texts = {"黎阳", "社区", "淇水街道", "王", "3号楼", "志愿服务队", "不存在的名字", "A座"}
    for name in rng.sample(names, 40):
        start = rng.randrange(len(name))
        texts.add(name[start : start + rng.choice((2, 3, 4))])
    # kinds asked: every node's scan, one label's, two labels' merged (nodes.find[Kind])
    kinds = [None, "Community", ("Unit", "PropertyFirm"), ("Building", "Compound")]
    for text in sorted(t for t in texts if t.strip()):
        for kind in kinds:
            embedded = [n.id for n in reference.find(text, kind, limit=30)]
            native = [n.id for n in in_neo4j.find(text, kind, limit=30)]
            assert native == embedded, (text, kind)
    found = STATEMENTS.get("nodes.find_fulltext")
    assert found is not None and found.access == "read"
