"""Chains at district scale: every building times every event type, on a generated district
of Qibin's size (56 communities, ~3,000 buildings, 63 event types), and the gaps report
agreeing with the union of those chains' gaps.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.memory import MemoryStore
from graph.queries.chain import responsibility_chains
from graph.queries.gaps import find_gaps
from schema.responsibility import CHAIN_ORDER
from tests.chain_graph import Built, build_synthetic_district

DAY = "2024-06-01"


@pytest.fixture(scope="module")
def qibin_sized() -> Iterator[tuple[MemoryStore, Built]]:
    store = MemoryStore()
    built = build_synthetic_district(
        store, communities=56, compounds_per=6, buildings_per=9, event_types=63, seed=2988
    )
    yield store, built
    store.close()


def test_every_building_has_a_chain_for_every_event_type(
    qibin_sized: tuple[MemoryStore, Built],
) -> None:
    store, built = qibin_sized
    buildings = [n.id for n in built.nodes.values() if n.kind == "Building"]
    events = [n.id for n in built.nodes.values() if n.kind == "EventType"]
    assert len(buildings) == 3024 and len(events) == 63
    pairs = [(b, e) for b in buildings for e in events]
    chains = responsibility_chains(store, pairs, DAY)
    assert len(chains) == len(pairs)
    for (b, e), chain in zip(pairs, chains, strict=True):
        assert chain.building.id == b and chain.event_type.id == e
        assert tuple(lvl.level for lvl in chain.levels) == CHAIN_ORDER
        assert all(lvl.grid is not None for lvl in chain.levels)
        # A level without a person in charge always says why.
        for lvl in chain.levels:
            if not lvl.in_charge:
                assert lvl.gaps, (b, lvl.level)
        assert sum(lvl.default_response for lvl in chain.levels) == 1


def test_report_equals_the_union_of_all_chain_gaps(
    qibin_sized: tuple[MemoryStore, Built],
) -> None:
    store, built = qibin_sized
    buildings = [n.id for n in built.nodes.values() if n.kind == "Building"]
    events = [n.id for n in built.nodes.values() if n.kind == "EventType"]
    union: set[tuple[str, str, str]] = set()
    for chain in responsibility_chains(store, [(b, events[0]) for b in buildings], DAY):
        union |= {g.key for g in chain.gaps if g.level != "event"}
    for chain in responsibility_chains(store, [(buildings[0], e) for e in events], DAY):
        union |= {g.key for g in chain.gaps if g.level == "event"}
    report = find_gaps(store, DAY)
    assert {r.gap.key for r in report.rows} == union
    counts = report.counts()
    assert counts[("building", "no_person_in_charge")] > 100
    assert report.checked["building"] == 3024
