"""Chains and gaps on the Qibin reference graph, checked against the graph's own figures.

Every one of the 2,988 buildings gets a chain for every one of the 63 event types without
error, and ``find_gaps`` counts agree with :mod:`loaders.reference.figures` (e.g. the 1,399
buildings without a building leader; the 70 owner-managed compounds show their owners'
committee, not a gap).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from graph.memory import MemoryStore
from graph.queries.chain import responsibility_chains
from graph.queries.gaps import GapReport, find_gaps
from schema.responsibility import CHAIN_ORDER, UnitRole

generator = pytest.importorskip("loaders.reference.generator")
figures = pytest.importorskip("loaders.reference.figures")
timeline = pytest.importorskip("loaders.reference.timeline")

TODAY = date.today()


def g(key: str) -> int:
    return int(figures.generated(key))


@pytest.fixture(scope="module")
def qibin() -> Iterator[MemoryStore]:
    store = MemoryStore()
    generator.seed_reference_graph(store, scale=1)
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(qibin: MemoryStore) -> GapReport:
    return find_gaps(qibin, TODAY)


def ids(store: MemoryStore, kind: str) -> list[str]:
    return [n.id for n in store.nodes_of_kind(kind)]


def test_every_building_has_a_chain_for_every_event_type(qibin: MemoryStore) -> None:
    buildings, events = ids(qibin, "Building"), ids(qibin, "EventType")
    assert (len(buildings), len(events)) == (g("buildings"), g("event_types"))
    pairs = [(b, e) for b in buildings for e in events]
    chains = responsibility_chains(qibin, pairs, TODAY)
    assert len(chains) == len(pairs) == 2988 * 63
    for chain in chains:
        assert tuple(lvl.level for lvl in chain.levels) == CHAIN_ORDER
        assert all(lvl.grid is not None for lvl in chain.levels)
        assert chain.handlers, chain.event_type.id
        assert chain.response_level is not None
        assert chain.accountability.pairing and len(chain.accountability.territory) == 2


def test_gap_counts_agree_with_the_reference_figures(report: GapReport) -> None:
    counts = report.counts()
    expected = {
        ("building", "no_person_in_charge"): g("buildings_without_leader"),
        ("building", "no_party_organization"): g("buildings") - g("building_party_groups"),
        ("compound", "no_person_in_charge"): 0,
        ("compound", "no_party_organization"): g("compounds_without_branch"),
        ("compound", "no_property_manager"): (
            g("compounds") - g("owner_managed_compounds") - g("firm_managed_compounds")
        ),
        ("community", "no_pairing"): g("communities") - g("paired_communities"),
        ("community", "no_person_in_charge"): g("communities") - g("community_grid_leaders"),
        ("community", "no_party_organization"): (g("communities") - g("community_big_committees")),
        ("subdistrict", "no_person_in_charge"): (
            g("grid_subdistricts") - g("district_contact_leaders")
        ),
        ("subdistrict", "no_party_organization"): (
            g("grid_subdistricts") - g("subdistrict_working_committees")
        ),
        ("district", "no_leading_group"): g("districts") - g("leading_groups"),
        ("event", "no_handler"): g("event_types") - g("event_types_handled"),
    }
    assert {k: counts.get(k, 0) for k in expected} == expected
    assert set(counts) <= set(expected)
    assert report.checked == {
        "building": g("buildings"),
        "compound": g("compounds"),
        "community": g("communities"),
        "subdistrict": g("grid_subdistricts"),  # the towns carry no communities
        "district": g("districts"),
        "event": g("event_types"),
    }


def test_owner_managed_compounds_show_the_owners_committee(qibin: MemoryStore) -> None:
    compounds = {n.id: n for n in qibin.nodes_of_kind("Compound")}
    first_building: dict[str, str] = {}
    hops = qibin.neighbours(ids(qibin, "Building"), "PART_OF")
    for building, up in hops.items():
        first_building.setdefault(up[0].node.id, building)
    event = ids(qibin, "EventType")[0]
    pairs = [(first_building[c], event) for c in sorted(compounds)]
    roles: dict[str, list[UnitRole]] = {}
    for chain in responsibility_chains(qibin, pairs, TODAY):
        compound = chain.level("compound")
        assert compound.grid is not None
        roles[compound.grid.id] = [u.role for u in compound.convenes]
    owners = [c for c, r in roles.items() if r == [UnitRole.OWNERS_COMMITTEE]]
    firms = [c for c, r in roles.items() if r == [UnitRole.PROPERTY_FIRM]]
    assert len(owners) == g("owner_managed_compounds")
    assert len(firms) == g("firm_managed_compounds")


def test_gaps_follow_the_reference_timeline(qibin: MemoryStore) -> None:
    counts = find_gaps(qibin, "2025-05-01").counts()
    led = timeline.BUILDING_LEADERS_ON_2025_05_01
    assert counts[("building", "no_person_in_charge")] == g("buildings") - led


def test_report_equals_union_of_chain_gaps(qibin: MemoryStore, report: GapReport) -> None:
    event = ids(qibin, "EventType")[0]
    chains = responsibility_chains(qibin, [(b, event) for b in ids(qibin, "Building")], TODAY)
    union = {gap.key for chain in chains for gap in chain.gaps}
    assert {r.gap.key for r in report.rows} == union


def test_each_district_convenes_only_its_own_key_units() -> None:
    """At scale 2 there are two districts with five key units each; a chain names its own."""
    store = MemoryStore(None)
    generator.seed_reference_graph(store, scale=2)
    districts = store.nodes_of_kind("District")
    assert len(districts) == 2
    for district in districts:
        own = {
            h.node.id
            for h in store.neighbours([district.id], "DEPARTMENT_OF", "in")[district.id]
            if h.node.get("key_unit") is True
        }
        assert len(own) == 5
        building = store.walk([district.id], "PART_OF", "in", max_depth=4)[district.id][-1]
        event = store.nodes_of_kind("EventType", limit=1)[0]
        [chain] = responsibility_chains(store, [(building.id, event.id)])
        community = next(lvl for lvl in chain.levels if lvl.level == "community")
        # a key unit that is also the paired department is listed once, in that role
        key_units = {u.unit.id for u in community.convenes if u.unit.get("key_unit") is True}
        assert key_units == own


def test_upper_party_levels_have_their_secretaries(qibin: MemoryStore) -> None:
    """Every chain names the working committee's and the district committee's secretary."""
    event = ids(qibin, "EventType")[0]
    pairs = [(b, event) for b in ids(qibin, "Building")]
    for day in (date.fromisoformat(timeline.REPORT_DAY), TODAY):
        secretaries: dict[str, set[str]] = {}
        for chain in responsibility_chains(qibin, pairs, day):
            for level in ("subdistrict", "district"):
                [org] = chain.level(level).party_organizations
                assert [p.post_type for p in org.leaders] == ["party_secretary"], (level, day)
                secretaries.setdefault(org.organization.id, set()).add(org.leaders[0].person.id)
        assert len(secretaries) == g("subdistrict_working_committees") + g("district_committees")
        assert all(len(people) == 1 for people in secretaries.values())


def test_residents_and_owners_committees_have_chairs(qibin: MemoryStore) -> None:
    """A chair (committee_director) holds office in every committee, on the report day and
    today; 18 residents' committees changed chair at the 2026 election."""
    committees = [
        *(n for n in qibin.nodes_of_kind("ResidentsCommittee")
          if n.get("committee_type") == "residents_committee"),
        *qibin.nodes_of_kind("OwnersCommittee"),
    ]  # fmt: skip
    owners = qibin.nodes_of_kind("OwnersCommittee")
    assert len(committees) == g("residents_committees") + len(owners) and owners
    committee_ids = [c.id for c in committees]
    for day in (timeline.REPORT_DAY, TODAY.isoformat()):
        posts = qibin.neighbours(committee_ids, "POST_IN", "in", day, "Post")
        chairs = {
            c: [h.node for h in posts[c] if h.node.get("post_type") == "committee_director"]
            for c in committee_ids
        }
        assert all(len(p) == 1 for p in chairs.values())
        post_ids = [p[0].id for p in chairs.values()]
        holders = qibin.neighbours(post_ids, "HOLDS", "in", day, "Person")
        assert all(len(holders[p]) == 1 for p in post_ids), day
    rc_posts = qibin.neighbours(committee_ids[: g("residents_committees")], "POST_IN", "in")
    tenures = qibin.neighbours([h.node.id for hs in rc_posts.values() for h in hs], "HOLDS", "in")
    changed = [p for p, hops in tenures.items() if len(hops) == 2]
    assert len(changed) == timeline.CHANGE_COUNTS["chair_election"]


def test_a_paired_key_unit_keeps_both_roles(qibin: MemoryStore) -> None:
    """Where the paired department is one of the five key units, the community level lists it
    once with both roles; elsewhere the paired department and the key units are apart."""
    communities = ids(qibin, "Community")
    first_building: dict[str, str] = {}
    for building, up in qibin.walk(ids(qibin, "Building"), "PART_OF", "out", 2).items():
        community = next(n.id for n in up if n.kind == "Community")
        first_building.setdefault(community, building)
    event = ids(qibin, "EventType")[0]
    both = 0
    for chain in responsibility_chains(qibin, [(first_building[c], event) for c in communities]):
        level = chain.level("community")
        [paired] = chain.accountability.pairing
        units = {u.unit.id: u.roles for u in level.convenes}
        assert len(units) == len(level.convenes)  # each unit once
        key = paired.get("key_unit") is True
        expected = (
            (UnitRole.PAIRED_DEPARTMENT, UnitRole.KEY_UNIT)
            if key
            else (UnitRole.PAIRED_DEPARTMENT,)
        )
        assert units[paired.id][: len(expected)] == expected
        assert level.convenes[0].unit.id == paired.id
        assert sum(UnitRole.KEY_UNIT in r for r in units.values()) == 5
        both += key
    assert both > 0  # the reference graph pairs some key units: the case is exercised
