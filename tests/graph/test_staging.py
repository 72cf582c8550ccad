"""The store-agnostic write rules and walk order used by the Neo4j store equal the embedded one's.

Neo4j cannot run here, so the two pieces of the Neo4j store that carry the contract's semantics
in Python are checked against the embedded store on random units of work and random graphs:
:func:`graph.staging.stage` (merge, deletes, integrity, the summary) and
:func:`graph.neo4j.store.breadth_first` (walk order).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from graph.errors import IntegrityError
from graph.memory import MemoryStore
from graph.model import Direction, Node, Relationship, new_node
from graph.neo4j.store import breadth_first
from graph.staging import WriteBuffer, stage

POOL: list[Node] = [
    new_node("Subdistrict", division_code="410611001"),
    new_node("Community", division_code="410611001001"),
    new_node("Community", division_code="410611001002"),
    new_node("Compound", community_code="410611001001", compound_no="001"),
    new_node("Department", code="civil-affairs"),
]
IDS = [n.id for n in POOL] + ["community:410611009999"]  # one id never created
KIND = {n.id: n.kind for n in POOL}

props = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["甲", "乙", None]),
        "population": st.one_of(st.none(), st.integers(0, 3)),
        "aliases": st.one_of(st.none(), st.lists(st.sampled_from(["a", "b"]), max_size=2)),
    },
)
nodes = st.builds(
    lambda i, p: Node(POOL[i].id, POOL[i].kind, p), st.integers(0, len(POOL) - 1), props
)
rel_props = st.fixed_dictionaries(
    {}, optional={"valid_from": st.sampled_from(["2024-01-01", None]), "synthetic": st.booleans()}
)
S, C1, C2, CP, D = (n.id for n in POOL)
VALID = [
    ("PART_OF", C1, S), ("PART_OF", C2, S), ("PART_OF", CP, C1),
    ("PAIRED_WITH", D, C1), ("PAIRED_WITH", D, C2), ("PAIRED_WITH", D, S),
]  # fmt: skip
INVALID = [("PART_OF", S, C1), ("PAIRED_WITH", C1, D), ("PART_OF", CP, IDS[-1])]
rels = st.builds(
    lambda end, p, custom: Relationship(*end, p, f"custom:{end[1]}" if custom else ""),
    st.one_of(st.sampled_from(VALID), st.sampled_from(VALID), st.sampled_from(INVALID)),
    rel_props,
    st.booleans(),
)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("upsert_nodes"), st.lists(nodes, max_size=4)),
        st.tuples(st.just("upsert_relationships"), st.lists(rels, max_size=3)),
        st.tuples(st.just("delete_nodes"), st.lists(st.sampled_from(IDS), max_size=2)),
        st.tuples(st.just("delete_relationships"), st.lists(rels.map(lambda r: r.id), max_size=2)),
    ),
    max_size=5,
)


def _apply(buffer: Any, unit: list[tuple[str, list[Any]]]) -> None:
    for op, items in unit:
        getattr(buffer, op)(items)


def _try_commit(store: MemoryStore, unit: list[tuple[str, list[Any]]]) -> bool:
    try:
        with store.transaction() as tx:
            _apply(tx, unit)
    except IntegrityError:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=ops, second=ops)
def test_stage_counts_and_ends_like_the_embedded_store(
    first: list[tuple[str, list[Any]]], second: list[tuple[str, list[Any]]]
) -> None:
    store = MemoryStore(None)
    store.upsert_nodes(POOL)
    store.upsert_relationships([Relationship(*end) for end in VALID])
    _try_commit(store, first)  # more committed state, or none if the unit was refused

    def stored_node(nid: str) -> Node | None:
        return store.get_nodes([nid]).get(nid)

    def stored_rel(rid: str) -> Relationship | None:
        return store.get_relationships([rid]).get(rid)

    def touching(nid: str) -> list[str]:
        hops = store.neighbours([nid], None, Direction.BOTH)[nid]
        return [h.relationship.id for h in hops]

    buffer = WriteBuffer()
    _apply(buffer, second)
    try:
        staged = stage(buffer.ops, stored_node, stored_rel, touching)
    except IntegrityError as e:
        staged_error: str | None = str(e)
    else:
        staged_error = None

    before_nodes, before_rels = list(store.iter_nodes()), list(store.iter_relationships())
    committed = _try_commit(store, second)
    if staged_error is not None:
        assert not committed, staged_error
        assert list(store.iter_nodes()) == before_nodes
        assert list(store.iter_relationships()) == before_rels
        return
    assert committed
    assert staged.summary == store.last_summary
    for nid, node in staged.nodes.items():
        assert stored_node(nid) == node
    for rid, rel in staged.relationships.items():
        assert stored_rel(rid) == rel
    store.close()


def test_buffer_lists_every_id_a_unit_of_work_reads() -> None:
    buffer = WriteBuffer()
    buffer.upsert_nodes([POOL[0]])
    buffer.upsert_relationships([Relationship("PART_OF", POOL[1].id, POOL[0].id)])
    buffer.delete_nodes([POOL[3].id])
    buffer.delete_relationships(["PAIRED_WITH:x>y"])
    assert buffer.node_ids() == {POOL[0].id, POOL[1].id, POOL[3].id}
    assert buffer.relationship_ids() == {
        f"PART_OF:{POOL[1].id}>{POOL[0].id}",
        "PAIRED_WITH:x>y",
    }
    assert buffer.deleted_node_ids() == {POOL[3].id}


def test_buffer_turns_tuples_into_lists() -> None:
    buffer = WriteBuffer()
    buffer.upsert_nodes([Node(POOL[1].id, "Community", {"aliases": ("a", "b")})])
    assert buffer.ops[0][1][0].props == {"aliases": ["a", "b"]}


WALK_IDS = [f"department:d{i}" for i in range(7)]
edges = st.lists(
    st.tuples(
        st.sampled_from(WALK_IDS),
        st.sampled_from(WALK_IDS),
        st.sampled_from([None, "2020-01-01", "2024-06-01"]),
    ),
    max_size=14,
)


@settings(max_examples=150, deadline=None)
@given(
    links=edges,
    direction=st.sampled_from(list(Direction)),
    depth=st.integers(1, 4),
    starts=st.lists(st.sampled_from([*WALK_IDS, "department:none"]), min_size=1, max_size=3),
    as_of=st.sampled_from([None, date(2022, 1, 1), date(2025, 1, 1)]),
)
def test_breadth_first_walks_like_the_embedded_store(
    links: list[tuple[str, str, str | None]],
    direction: Direction,
    depth: int,
    starts: list[str],
    as_of: date | None,
) -> None:
    store = MemoryStore(None)
    store.upsert_nodes([Node(i, "Department", {}) for i in WALK_IDS])
    store.upsert_relationships(
        [Relationship("SUBORDINATE_TO", s, t, {"valid_from": v} if v else {}) for s, t, v in links]
    )
    expected = store.walk(starts, "SUBORDINATE_TO", direction, depth, as_of)

    # What the variable-length statement hands back at most: every link in force.
    triples = [(r.id, r.source, r.target) for r in store.iter_relationships() if r.holds_on(as_of)]
    unique = list(dict.fromkeys(starts))
    seen = {s: {s} for s in unique}
    order: dict[str, list[str]] = {s: [] for s in unique}
    breadth_first({s: [s] for s in unique}, seen, order, triples, direction, depth)
    assert {s: [n.id for n in nodes] for s, nodes in expected.items()} == order
    store.close()
