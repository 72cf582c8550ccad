"""The Qibin reference graph: every figure counted back from the graph, determinism, the
ontology, the synthetic marker, the deliberate changes over time, and the scale factor.

The graph is generated once per session into an in-memory store. Every date in it is fixed,
so the figures are checked on the report's day and on a day well after every change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from itertools import pairwise

import pytest

from graph.contract import check_node, check_relationship
from graph.memory import MemoryStore
from graph.stats import domain_figures, graph_stats
from loaders.reference import build_district, seed_if_empty, seed_reference_graph
from loaders.reference import names as real
from loaders.reference.figures import FIGURES, SYNTHETIC_CODE_PREFIX
from loaders.reference.timeline import (
    BUILDING_LEADERS_ON_2025_05_01,
    CHANGE_COUNTS,
    HEAD_CHANGE_DAY,
    HISTORY_END,
    REPAIRING_DAY,
    REPORT_DAY,
    day_before,
)
from schema import ONTOLOGY
from schema.codes import validate_uscc

TODAY = date(2026, 3, 1)
# The days every time-bound figure of the seed must hold on: the report's, a day after every
# deliberate change, and the last day of the renewed history.
FIGURE_DAYS = (date.fromisoformat(REPORT_DAY), TODAY, date.fromisoformat(HISTORY_END))


@pytest.fixture(scope="session")
def qibin() -> MemoryStore:
    store = MemoryStore(None)
    seed_reference_graph(store)
    return store


@pytest.fixture(scope="session", params=FIGURE_DAYS, ids=[d.isoformat() for d in FIGURE_DAYS])
def figures(qibin: MemoryStore, request: pytest.FixtureRequest) -> dict[str, float]:
    return domain_figures(qibin, as_of=request.param)


@pytest.fixture(scope="session")
def twin() -> MemoryStore:
    store = MemoryStore(None)
    seed_reference_graph(store, scale=2)
    return store


@pytest.fixture(scope="session")
def twin_figures(twin: MemoryStore) -> dict[str, float]:
    return domain_figures(twin, as_of=TODAY)


# -- every figure ----------------------------------------------------------------------------
@pytest.mark.parametrize("fig", FIGURES, ids=[f.key for f in FIGURES])
def test_figure_counted_from_the_graph(fig, figures) -> None:
    value = figures[fig.key]
    assert value == fig.expected(1), (
        f"{fig.label}: graph has {value}, generator makes {fig.generated}"
    )
    assert fig.satisfied_by(value), f"{fig.label}: graph has {value}, the seed says {fig.statement}"


def test_figures_module_is_consistent() -> None:
    keys = [f.key for f in FIGURES]
    assert len(keys) == len(set(keys))
    for f in FIGURES:
        assert f.satisfied_by(f.generated), f.key
        if f.exact:
            assert f.generated == f.seed, f.key


def test_stats_count_every_figure(figures) -> None:
    assert set(figures) == {f.key for f in FIGURES}


def test_grid_levels_match_the_seed_table(qibin) -> None:
    levels = graph_stats(qibin, as_of=TODAY)["grid_levels"]
    assert {k: v["grids"] for k, v in levels.items()} == {
        "district": 1, "subdistrict": 10, "community": 56, "compound": 312, "building": 2988,
    }  # fmt: skip
    assert {k: v["with_leader"] for k, v in levels.items()} == {
        "district": 1, "subdistrict": 5, "community": 56, "compound": 312, "building": 1589,
    }  # fmt: skip
    assert levels["building"]["meeting_zh"] == "板凳会"


# -- the model's rules ------------------------------------------------------------------------
def test_every_record_obeys_the_ontology(qibin) -> None:
    kinds = {}
    for node in qibin.iter_nodes():
        check_node(node)
        for key in ONTOLOGY.kind(node.kind).key:
            assert node.props.get(key) not in (None, ""), (node.id, key)
        kinds[node.id] = node.kind
    for rel in qibin.iter_relationships():
        check_relationship(rel, kinds[rel.source], kinds[rel.target])
        if rel.type in ("PAIRED_WITH", "HOLDS", "MANAGES", "PARTY_TO", "MEMBER_OF"):
            assert rel.props.get("valid_from"), rel.id
        end = rel.props.get("valid_to")
        assert end is None or rel.props["valid_from"] <= end, rel.id


def test_grid_tree_is_complete(qibin) -> None:
    up = qibin.walk([n.id for n in qibin.iter_nodes("Building")], "PART_OF")
    assert all(
        [n.kind for n in path] == ["Compound", "Community", "Subdistrict", "District"]
        for path in up.values()
    )


def test_head_of_paired_department_leads_community_and_big_committee(qibin) -> None:
    communities = [n.id for n in qibin.iter_nodes("Community")]
    paired = qibin.neighbours(communities, "PAIRED_WITH", "in", as_of=TODAY)
    posts = qibin.neighbours(communities, "POST_IN", "in", as_of=TODAY)
    for community in communities:
        (dept,) = [h.node for h in paired[community]]
        head_post = qibin.neighbours([dept.id], "POST_IN", "in")[dept.id]
        (head,) = [
            h.node.id
            for h in qibin.neighbours(
                [p.node.id for p in head_post if p.node.get("post_type") == "department_head"],
                "HOLDS",
                "in",
                as_of=TODAY,
            ).popitem()[1]
        ]
        leader_post = next(
            h.node.id
            for h in posts[community]
            if h.node.get("post_type") == "community_grid_leader"
        )
        holders = qibin.neighbours([leader_post], "HOLDS", "in", as_of=TODAY)[leader_post]
        assert [h.node.id for h in holders] == [head]


def test_uscc_codes_pass_the_gb32100_check(qibin) -> None:
    codes = [
        n.props["uscc"] for k in ("Unit", "PropertyFirm", "Department") for n in qibin.iter_nodes(k)
    ]
    codes += [
        n.props["code"]
        for n in qibin.iter_nodes("SocialOrganization")
        if n.get("org_type") == "registered"
    ]
    assert len(codes) == len(set(codes)) > 600
    for code in codes:
        assert validate_uscc(code) == code


def test_event_catalogue(qibin) -> None:
    types = list(qibin.iter_nodes("EventType"))
    per_category = Counter(
        h[0].node.id for h in qibin.neighbours([t.id for t in types], "IN_CATEGORY").values()
    )
    assert sorted(per_category.values()) == [7] * 9
    handlers = qibin.neighbours([t.id for t in types], "HANDLED_BY", as_of=TODAY)
    levels = {lvl.value for lvl in ONTOLOGY.grid_levels}
    for t in types:
        assert t.get("response_level") in levels
        assert handlers[t.id], t.name
        for hop in handlers[t.id]:
            assert (hop.relationship.props["role"] == "key") == bool(hop.node.get("key_unit"))
    used = {h.node.get("function") for hops in handlers.values() for h in hops}
    assert {
        "urban_management",
        "municipal_works",
        "sanitation",
        "landscaping",
        "property_management",
        "civil_affairs",
        "health",
        "culture_tourism",
        "education_sports",
        "commerce",
        "market_regulation",
    } <= used


def test_agreements_lapse_soon_and_run_for_years(qibin) -> None:
    today = TODAY.isoformat()
    ends = [n.props["valid_to"] for n in qibin.iter_nodes("Agreement")]
    lapsed = [e for e in ends if e < today]
    soon = [e for e in ends if today <= e <= date.fromordinal(TODAY.toordinal() + 90).isoformat()]
    years = [e for e in ends if e > date.fromordinal(TODAY.toordinal() + 365).isoformat()]
    assert lapsed and soon and years
    topics = {t for n in qibin.iter_nodes("Agreement") for t in n.props.get("topics", ())}
    assert set(real.BRANDS) <= topics


# -- real and synthetic -------------------------------------------------------------------------
def test_named_real_entities_are_present_and_not_synthetic(qibin) -> None:
    not_synthetic = {(n.kind, n.name) for n in qibin.iter_nodes() if n.get("synthetic") is False}
    expected = {
        ("District", real.DISTRICT_NAME), ("LeadingGroup", real.LEADING_GROUP_NAME),
        ("Department", real.GRID_BUREAU_NAME), ("Unit", real.UNIVERSITY_NAME),
        ("Compound", real.NINE_COURTYARDS[0]),
        ("PartyOrganization", "中共鹤壁市淇滨区委员会"),
        *{("Community", c) for c in real.REAL_COMMUNITIES},
        *{("Person", p) for p in real.FIVE_ELDERS},
        *{("SocialOrganization", t) for t in real.VANGUARD_TEAMS},
        *{("VolunteerTeam", f"{t}志愿服务队") for t in real.VOLUNTEER_TEAMS},
    }  # fmt: skip
    agreements = [name for kind, name in not_synthetic if kind == "Agreement"]
    assert len(agreements) == 1 and real.UNIVERSITY_NAME in agreements[0]
    assert {x for x in not_synthetic if x[0] != "Agreement"} == expected


def test_every_generated_record_is_marked_synthetic(qibin) -> None:
    nodes = list(qibin.iter_nodes())
    assert all(isinstance(n.get("synthetic"), bool) for n in nodes)
    assert sum(1 for n in nodes if not n.get("synthetic")) < 25
    assert all(r.props.get("synthetic") is True for r in qibin.iter_relationships())
    (district,) = qibin.iter_nodes("District")
    assert district.props["division_code"] == "410611"
    assert all(
        n.get("synthetic") for n in qibin.iter_nodes("Person") if n.name not in real.FIVE_ELDERS
    )


def test_the_five_elders_are_branch_secretaries(qibin) -> None:
    for name in real.FIVE_ELDERS:
        (person,) = qibin.find(name, kinds="Person")
        assert person.get("five_elder") is True and person.get("party_member") is True
        posts = qibin.neighbours([person.id], "HOLDS", as_of=TODAY)[person.id]
        assert "branch_secretary" in {h.node.get("post_type") for h in posts}


def test_named_communities(qibin) -> None:
    (dongfang,) = qibin.find(real.DONGFANG, kinds="Community")
    assert "全国综合减灾示范点" in dongfang.props["honours"]
    (guanjing,) = qibin.find(real.GUANJING, kinds="Community")
    assert guanjing.props["demonstration_projects"] == ["光影小巷"]
    (liyang,) = qibin.find(real.LIYANG, kinds="Community")
    compounds = qibin.neighbours([liyang.id], "PART_OF", "in")[liyang.id]
    assert real.NINE_COURTYARDS[0] in {h.node.name for h in compounds}


# -- time ---------------------------------------------------------------------------------------
def test_building_leaders_change_on_known_days(qibin) -> None:
    between = domain_figures(qibin, as_of=date(2025, 5, 1))
    assert between["building_leaders"] == BUILDING_LEADERS_ON_2025_05_01
    assert between["buildings_without_leader"] == 2988 - BUILDING_LEADERS_ON_2025_05_01
    for day in (date(2025, 3, 31), date(2025, 7, 1)):  # the last day of the 12, the first of 12
        assert domain_figures(qibin, as_of=day)["building_leaders"] == 1589


def test_time_bound_figures_are_not_yet_reached_before_the_mechanism(qibin) -> None:
    early = domain_figures(qibin, as_of=date(2021, 5, 1))
    assert early["grid_workers"] < 100 and early["partner_units"] < 516
    assert early["community_grid_leaders"] == 0


def test_pairings_and_heads_change_on_known_days(qibin) -> None:
    communities = [n.id for n in qibin.iter_nodes("Community")]

    def paired(day: str) -> dict[str, str]:
        hops = qibin.neighbours(communities, "PAIRED_WITH", "in", as_of=date.fromisoformat(day))
        return {c: h[0].node.id for c, h in hops.items()}

    old, new = paired(day_before(REPAIRING_DAY)), paired(REPAIRING_DAY)
    assert sum(old[c] != new[c] for c in communities) == CHANGE_COUNTS["repairing"]
    for day in (
        day_before(REPAIRING_DAY),
        REPAIRING_DAY,
        day_before(HEAD_CHANGE_DAY),
        HEAD_CHANGE_DAY,
    ):
        f = domain_figures(qibin, as_of=date.fromisoformat(day))
        assert f["community_grid_leaders"] == f["paired_communities"] == 56, day
        assert f["first_secretaries_heading_departments"] == 41, day
    heads = [p for p in qibin.iter_nodes("Post") if p.get("post_type") == "department_head"]
    holds = qibin.neighbours([p.id for p in heads], "HOLDS", "in")
    changed = [p for p in heads if len(holds[p.id]) == 2]
    assert len(changed) == CHANGE_COUNTS["head_change"]
    ends = sorted(h.relationship.props.get("valid_to") or "" for h in holds[changed[0].id])
    assert ends == ["", day_before(HEAD_CHANGE_DAY)]


def test_property_management_changes(qibin) -> None:
    for day in (day_before(REPAIRING_DAY), REPAIRING_DAY):
        f = domain_figures(qibin, as_of=date.fromisoformat(day))
        assert f["owner_managed_compounds"] == 70 and f["firm_managed_compounds"] == 242, day
    managers = defaultdict(set)
    for r in qibin.iter_relationships("MANAGES"):
        managers[r.target].add(r.source)
    assert sum(len(m) == 2 for m in managers.values()) == (
        CHANGE_COUNTS["firm_change"]
        + CHANGE_COUNTS["owners_takeover"]
        + CHANGE_COUNTS["firm_hired"]
    )


def test_contracts_and_agreements_are_renewed_without_gaps(qibin) -> None:
    terms = defaultdict(list)
    for r in qibin.iter_relationships("MANAGES"):
        terms[(r.source, r.target)].append((r.props["valid_from"], r.props.get("valid_to")))
    renewed = 0
    for periods in terms.values():
        periods.sort()
        for (_, end), (start, _) in pairwise(periods):
            assert end is not None and day_before(start) == end
            renewed += 1
    assert renewed > 242  # most contracts were renewed at least once
    last = {}
    for a in qibin.iter_nodes("Agreement"):
        assert a.props["signed_on"] <= a.props["valid_from"] <= a.props["valid_to"]
        last[a.id] = a.props["valid_to"]
    assert max(last.values()) > HISTORY_END


# -- determinism and scale ----------------------------------------------------------------------
def test_generation_is_deterministic() -> None:
    a, b = build_district(0), build_district(0)
    assert [(n.id, n.kind, dict(n.props)) for n in a.nodes] == [
        (n.id, n.kind, dict(n.props)) for n in b.nodes
    ]
    assert [(r.id, dict(r.props)) for r in a.rels] == [(r.id, dict(r.props)) for r in b.rels]


def test_no_date_comes_after_the_history_ends() -> None:
    district = build_district(0)
    starts = [r.props.get("valid_from") or "" for r in district.rels]
    starts += [n.props.get("valid_from") or "" for n in district.nodes]
    assert max(starts) <= HISTORY_END


def test_two_seeded_stores_hold_the_same_graph(qibin) -> None:
    other = MemoryStore(None)
    seed_reference_graph(other)
    assert list(other.iter_nodes()) == list(qibin.iter_nodes())
    assert list(other.iter_relationships()) == list(qibin.iter_relationships())


def test_seeding_again_changes_nothing(qibin) -> None:
    summary = seed_reference_graph(qibin)
    assert not summary.changed
    assert summary.nodes_unchanged == sum(qibin.counts().nodes.values())


def test_seed_if_empty() -> None:
    store = MemoryStore(None)
    assert seed_if_empty(store) is True
    assert store.count_nodes("Building") == 2988
    assert seed_if_empty(store) is False


@pytest.mark.parametrize("fig", FIGURES, ids=[f.key for f in FIGURES])
def test_scale_two_doubles_every_figure(fig, twin_figures) -> None:
    value = twin_figures[fig.key]
    assert value == fig.expected(2)
    assert fig.satisfied_by(value, scale=2)


def test_scale_two_adds_a_synthetic_district(qibin, twin) -> None:
    codes = sorted(n.props["division_code"] for n in twin.iter_nodes("District"))
    assert codes == ["410611", f"{SYNTHETIC_CODE_PREFIX}0001"]
    one, two = qibin.counts().nodes, twin.counts().nodes
    for kind in ("Subdistrict", "Community", "Compound", "Building", "EventType", "Department"):
        assert two[kind] == 2 * one[kind]
    second = {n.id for n in twin.iter_nodes()} - {n.id for n in qibin.iter_nodes()}
    assert all(twin.get_nodes([i])[i].get("synthetic") is True for i in second)
