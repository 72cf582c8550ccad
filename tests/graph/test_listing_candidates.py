"""A listing with a top-level ``within`` or ``id_in`` starts from those nodes, not from every
node of the kind (graph.listing.candidates), and answers exactly what the scan answers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.listing import (
    AllOf,
    Below,
    EvaluatedListings,
    Evaluator,
    IdIn,
    KindIn,
    Listing,
    ListingError,
    Not,
    Predicate,
    PropTest,
    Related,
    Step,
    check_listing,
    evaluate,
)
from graph.memory import MemoryStore
from graph.model import Direction, Node
from tests.contract import graphs as g

STORE = MemoryStore(None)
_nodes, _rels = g.planning_slice()
with STORE.transaction() as _tx:
    _tx.upsert_nodes(_nodes)
    _tx.upsert_relationships(_rels)
GRIDS = sorted(
    n.id for n in _nodes if n.kind in ("District", "Subdistrict", "Community", "Compound")
)
IDS = [*sorted(n.id for n in _nodes), "building:none"]
KINDS = sorted({n.kind for n in _nodes})

STEPS = [
    Step(t, d)
    for t in ("PARTY_TO", "PART_OF", "PAIRED_WITH", "POST_IN")
    for d in (Direction.IN, Direction.OUT)
]
named = st.one_of(
    st.builds(Below, st.sampled_from(GRIDS)),
    st.builds(lambda ids: IdIn(tuple(ids)), st.lists(st.sampled_from(IDS), max_size=6)),
)
narrowing = st.recursive(
    named,
    lambda inner: st.builds(Related, st.sampled_from(STEPS), st.just("some"), inner),
    max_leaves=3,
)
other = st.one_of(
    st.builds(Not, narrowing),
    st.just(KindIn(("Building", "Agreement", "Community"))),
    st.builds(Related, st.sampled_from(STEPS), st.sampled_from(["none", "all"]), named),
)
where = st.one_of(
    narrowing,
    st.builds(lambda parts: AllOf(tuple(parts)), st.lists(st.one_of(narrowing, other), max_size=3)),
)


def scanned(listing: Listing) -> list[Any]:
    """The answer without narrowing: every node of the kind, tested one by one."""
    check_listing(listing)
    ev = Evaluator(STORE, listing.as_of)
    return ev.passing(STORE.nodes_of_kind(listing.kind), listing.where)


@settings(max_examples=400, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    pred=where,
    day=st.sampled_from([None, date(2023, 6, 1), date(2024, 6, 1)]),
)
def test_narrowed_answers_equal_the_scan(kind: str, pred: Predicate, day: date | None) -> None:
    listing = Listing(kind, pred, (), day)
    try:
        expected = scanned(listing)
    except ListingError:  # a step the ontology does not allow for the kind: refused either way
        with pytest.raises(ListingError):
            evaluate(STORE, listing)
        return
    assert evaluate(STORE, listing) == expected


class Counting(MemoryStore):
    scans = 0

    def nodes_of_kind(self, *args: Any, **kwargs: Any) -> Any:
        Counting.scans += 1
        return super().nodes_of_kind(*args, **kwargs)


def test_a_local_question_does_not_read_every_node_of_the_kind() -> None:
    store = Counting(None)
    store.upsert_nodes(_nodes)
    store.upsert_relationships(_rels)
    below = Listing("Building", AllOf((PropTest("building_no", "eq", "02"), Below(g.LIYANG.id))))
    assert [n.props["name"] for n in evaluate(store, below)] == ["2号楼"]
    assert [n.id for n in evaluate(store, Listing("Building", IdIn((g.LIYANG.id,))))] == []
    assert Counting.scans == 0
    evaluate(store, Listing("Building", Not(Below(g.LIYANG.id))))
    assert Counting.scans == 1
    signed = Related(Step("PARTY_TO", Direction.IN), "some", IdIn((g.LIYANG.id,)))
    assert evaluate(store, Listing("Agreement", signed)) == scanned(Listing("Agreement", signed))
    assert evaluate(store, Listing("Agreement", signed)), "the slice has Liyang's agreements"
    assert Counting.scans == 1


def test_a_listing_is_evaluated_once_per_store_version() -> None:
    """Pages, totals and aggregates of one listing reuse one evaluation until the data
    changes; a write, or another process's commit, makes the next ask evaluate again."""
    store = Counting(None)
    store.upsert_nodes(_nodes)
    store.upsert_relationships(_rels)
    listing = Listing("Building", Not(IdIn(("building:none",))))
    before = Counting.scans
    first = store.list_nodes(listing, limit=1)
    second = store.list_nodes(listing, after=first.nodes[0].id, limit=1)
    assert store.aggregate_nodes(listing).count == first.total == second.total == 2
    assert Counting.scans == before + 1
    renamed = next(n for n in _nodes if n.id == first.nodes[0].id)
    store.upsert_nodes([Node(renamed.id, renamed.kind, {**renamed.props, "name": "新楼"})])
    assert store.list_nodes(listing, limit=1).nodes[0].props["name"] == "新楼"
    assert Counting.scans == before + 2
    unhashable = Listing("Building", PropTest("name", "eq", ["新楼"]))  # not a key: not kept
    assert store.list_nodes(unhashable).nodes == []


def test_the_kept_listings_are_bounded_by_the_nodes_they_hold() -> None:
    kept = EvaluatedListings(max_nodes=3)
    for kind in ("Building", "Community", "Agreement"):
        kept.nodes(STORE, Listing(kind))
    assert kept._held <= 3
