"""A hub's links by type (graph/adjacency.py) give exactly what a pass over every link would.

``neighbours`` answers from the index at a hub and by scanning elsewhere; both are compared
with a brute-force filter over ``iter_relationships`` after random writes from two handles on
one file (so that catching up with the other's commits is covered too), with the hub line set
low so that nodes become hubs and stop being hubs all the time; and on the reference graph.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import graph.adjacency as adjacency
from graph.memory import MemoryStore
from graph.model import Direction, Hop, Node, Relationship, holds_on, hop_order
from loaders.reference import seed_reference_graph

_KINDS = {"c": "Community", "d": "Department"}
#: type -> (source prefix, target prefix), all allowed by the ontology
_TYPES = {
    "PART_OF": ("c", "c"),
    "PAIRED_WITH": ("d", "c"),
    "COVERS": ("d", "c"),
    "SUBORDINATE_TO": ("d", "d"),
}
_DAYS = ["2024-01-01", "2024-06-01", "2025-01-01"]
_ASKED_DAYS = [None, date(2024, 3, 1), date(2025, 6, 1)]
_TYPE_FILTERS: list[frozenset[str] | None] = [
    None,
    *(frozenset([t]) for t in _TYPES),
    frozenset(["PAIRED_WITH", "COVERS"]),
    frozenset(["HOLDS"]),  # a type no link here has
]
_KIND_FILTERS: list[frozenset[str] | None] = [None, frozenset(["Community"])]


def _node(prefix: str, n: int) -> Node:
    kind = _KINDS[prefix]
    props = {"name": f"{kind}{n}"}
    if kind == "Community":
        props["division_code"] = f"41061100{n:04d}"
    return Node(f"{'community' if prefix == 'c' else 'department'}:{n}", kind, props)


def _indexed_sides_match_the_graph(store: MemoryStore) -> None:
    """Every side with enough neighbours is indexed, none far below the line is, and each
    indexed side holds exactly that side's links by type."""
    g, typed, hub = store.graph, store._typed, adjacency.HUB_NEIGHBOURS
    for name, side, look in (("out", g._succ, typed.typed_out), ("in", g._pred, typed.typed_in)):
        for nid, neighbours in side.items():
            index = look(nid)
            if len(neighbours) >= hub:
                assert index is not None, (name, nid)
            if len(neighbours) < hub // 2:
                assert index is None, (name, nid)
            if index is not None:
                grouped: dict[str, dict[str, str]] = {}
                for other, keyed in neighbours.items():
                    for rid in keyed:
                        grouped.setdefault(store._rels[rid].type, {})[rid] = other
                assert index == grouped, (name, nid)
    for _, nid, _ in typed.hubs():
        assert nid in g


def _same_as_a_scan(store: MemoryStore, ids: list[str]) -> None:
    rels = list(store.iter_relationships())
    nodes = {n.id: n for n in store.iter_nodes()}
    for direction in Direction:
        for types in _TYPE_FILTERS:
            for as_of in _ASKED_DAYS:
                for kinds in _KIND_FILTERS:
                    got = store.neighbours(ids, types, direction, as_of, kinds)
                    want = _scan(rels, nodes, ids, types, direction, as_of, kinds)
                    assert got == want, (direction, types, as_of, kinds)
    _indexed_sides_match_the_graph(store)


_END = st.integers(min_value=0, max_value=4)
_OPS = st.lists(
    st.tuples(
        st.one_of(
            st.tuples(
                st.just("link"),
                st.sampled_from(sorted(_TYPES)),
                _END,
                _END,
                st.sampled_from(_DAYS),
                st.sampled_from([None, *_DAYS]),
            ),
            st.tuples(st.just("unlink"), st.integers(min_value=0, max_value=10**6)),
            st.tuples(st.just("drop"), st.sampled_from(sorted(_KINDS)), _END),
            st.tuples(st.just("node"), st.sampled_from(sorted(_KINDS)), _END),
            st.tuples(st.just("retype"), st.sampled_from(sorted(_TYPES)), _END, _END, _END),
            st.tuples(st.just("look")),
        ),
        st.booleans(),  # which handle writes
    ),
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_OPS)
@example(  # one id moved off a hub: the hub's index must let it go
    ops=[
        *((("link", "PAIRED_WITH", 0, c, "2024-01-01", None), True) for c in range(3)),
        (("retype", "COVERS", 0, 3, 0), True),
        (("retype", "PART_OF", 1, 2, 0), False),
    ]
)
def test_neighbours_equal_a_scan_after_any_writes_from_two_handles(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[tuple[object, ...], bool]]
) -> None:
    path = tmp_path_factory.mktemp("adjacency") / "s.sqlite"
    ids = [_node(p, n).id for p in sorted(_KINDS) for n in range(5)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adjacency, "HUB_NEIGHBOURS", 3)  # low: hubs come and go all the time
        stores = MemoryStore(path), MemoryStore(path)
        stores[0].upsert_nodes(_node(p, n) for p in sorted(_KINDS) for n in range(5))
        for op, first in ops:
            _write(stores[0 if first else 1], op)
            _same_as_a_scan(stores[0 if first else 1], ids)
        for store in stores:  # the other has caught up with whatever it did not write
            _same_as_a_scan(store, ids)
        stores[0].close()
        reopened = MemoryStore(path)  # and a full load builds the same
        _same_as_a_scan(reopened, ids)
        assert [stores[1].neighbours(ids, direction=d) for d in Direction] == [
            reopened.neighbours(ids, direction=d) for d in Direction
        ]
        reopened.close()
        stores[1].close()


def _write(store: MemoryStore, op: tuple[object, ...]) -> None:
    match op:
        case ("link", str(type_), int(a), int(b), str(start), end):
            s, t = _TYPES[type_]
            source, target = _node(s, a).id, _node(t, b).id
            if len(store.get_nodes([source, target])) == len({source, target}):
                props = {"valid_from": start} | ({"valid_to": end} if end and end >= start else {})
                store.upsert_relationships([Relationship(type_, source, target, props)])
        case ("unlink", int(pick)):
            rels = list(store.iter_relationships())
            if rels:
                store.delete_relationships([rels[pick % len(rels)].id])
        case ("drop", str(prefix), int(n)):
            store.delete_nodes([_node(prefix, n).id])
        case ("node", str(prefix), int(n)):
            store.upsert_nodes([_node(prefix, n)])
        case ("retype", str(type_), int(a), int(b), int(k)):
            # the same id written again with another type and other ends
            s, t = _TYPES[type_]
            source, target = _node(s, a).id, _node(t, b).id
            if len(store.get_nodes([source, target])) == len({source, target}):
                store.upsert_relationships([Relationship(type_, source, target, {}, f"x:{k}")])
        case ("look",):
            store.counts()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MemoryStore, Path]]:
    path = tmp_path_factory.mktemp("reference") / "s.sqlite"
    store = MemoryStore(path)
    seed_reference_graph(store, scale=2)
    yield store, path
    store.close()


def _hub_check(store: MemoryStore, rng: random.Random) -> int:
    """Compare the hubs and a sample of other nodes with a scan; the number of hub sides."""
    hubs = sorted({nid for _, nid, _ in store._typed.hubs()})
    others = rng.sample(sorted(set(store.graph) - set(hubs)), 200)
    types = sorted({r.type for r in store.iter_relationships()})
    rels = list(store.iter_relationships())
    nodes = {n.id: n for n in store.iter_nodes()}
    filters = [None, *(frozenset([t]) for t in types), frozenset(rng.sample(types, 3))]
    for direction in Direction:
        for type_set in filters:
            for as_of in (None, date(2024, 6, 1)):
                kinds = None if rng.random() < 0.5 else frozenset(rng.sample(sorted(
                    {n.kind for n in nodes.values()}), 3))  # fmt: skip
                ids = hubs + others
                got = store.neighbours(ids, type_set, direction, as_of, kinds)
                want = _scan(rels, nodes, ids, type_set, direction, as_of, kinds)
                assert got == want, (direction, type_set, as_of, kinds)
    _indexed_sides_match_the_graph(store)
    return len(list(store._typed.hubs()))


def _scan(
    rels: list[Relationship],
    nodes: dict[str, Node],
    ids: list[str],
    types: frozenset[str] | None,
    direction: Direction,
    as_of: date | None,
    kinds: frozenset[str] | None,
) -> dict[str, list[Hop]]:
    out: dict[str, list[Hop]] = {nid: [] for nid in ids}
    for rel in rels:
        if (types is not None and rel.type not in types) or not holds_on(rel.props, as_of):
            continue
        for here, there, way in ((rel.source, rel.target, Direction.OUT),
                                 (rel.target, rel.source, Direction.IN)):  # fmt: skip
            if here in out and direction in (way, Direction.BOTH):
                node = nodes[there]
                if kinds is None or node.kind in kinds:
                    out[here].append(Hop(rel, node))
    return {nid: sorted(hops, key=hop_order) for nid, hops in out.items()}


def test_neighbours_equal_a_scan_on_the_reference_graph_at_scale_2(
    reference: tuple[MemoryStore, Path],
) -> None:
    store, path = reference
    rng = random.Random(11)
    assert _hub_check(store, rng) > 0  # the reference graph has hubs at the default line
    # writes at the hubs: half the links of some hubs go, some hubs go, new links arrive
    hubs = sorted({nid for _, nid, _ in store._typed.hubs()})
    touching = sorted({rid for nid in rng.sample(hubs, 5) for rid in store._touching(nid)})
    store.delete_relationships(rng.sample(touching, len(touching) // 2))
    store.delete_nodes(rng.sample(hubs, 3))
    _hub_check(store, rng)
    reopened = MemoryStore(path)
    _hub_check(reopened, rng)
    reopened.close()
