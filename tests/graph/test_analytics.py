"""The district's analytics: worked out by hand on the small graph, on every store; held to
the reference graph's figures; and Neo4j's native answers equal to the embedded store's on the
reference graph, on days where pairings, leaders and agreements change."""

from __future__ import annotations

import doctest
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest

import graph.queries.analytics.query as analytics_module
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import new_node
from graph.queries.analytics import (
    agreements_by_topic_and_year,
    assemble_leader_coverage,
    assemble_network,
    assemble_pairing_load,
    building_leader_coverage,
    co_construction,
    count_topics,
    gather_leader_coverage,
    gather_network,
    gather_pairing_load,
    pairing_load,
)
from tests import small_graph as sg
from tests.conftest import Neo4jServer
from tests.reference_neo4j import GROUP, build_reference, ensure_copied


@pytest.fixture
def small(store: GraphStore) -> GraphStore:
    sg.seed_small_graph(store)
    return store


def named(nodes: Iterator[object] | tuple[object, ...] | list[object]) -> list[str]:
    return [n.name for n in nodes]  # type: ignore[attr-defined]


# -- the small graph, by hand ---------------------------------------------------------------


def test_pairing_load_before_and_after_the_change(small: GraphStore) -> None:
    before = pairing_load(small, "2024-06-30")
    assert [(x.department.name, named(x.communities), x.population) for x in before] == [
        ("区城市管理局", ["黎阳社区"], 8200),
        ("区民政局", [], 0),
    ]
    after = pairing_load(small, sg.PAIRING_CHANGE)  # each paired with one: more residents first
    assert [(x.department.name, named(x.communities), x.population) for x in after] == [
        ("区民政局", ["黎阳社区"], 8200),
        ("区城市管理局", ["东方社区"], 6100),
    ]


def test_building_leader_coverage_worst_first(small: GraphStore) -> None:
    rows = building_leader_coverage(small, "2024-06-01")
    assert [(r.community.name, r.buildings, r.led, r.vacant, r.ratio) for r in rows] == [
        ("东方社区", 1, 0, 1, 0.0),  # 花园1号楼 has no building leader post at all
        ("黎阳社区", 2, 1, 1, 0.5),  # 淇园3号楼 led by 王诚 since 2020, 4号楼 not
    ]
    early = {r.community.name: r.led for r in building_leader_coverage(small, "2019-12-31")}
    assert early == {"东方社区": 0, "黎阳社区": 0}  # before 王诚 took the post


def test_the_network_while_every_agreement_is_in_force(small: GraphStore) -> None:
    net = co_construction(small, "2024-06-01")
    # BANK - 黎阳 - UNIVERSITY - 东方: the university bridges the two communities.
    assert [
        (named([p.partner])[0], named(p.communities), p.agreements, p.betweenness)
        for p in net.partners
    ] == [
        ("河南师范大学社会事业学院", ["黎阳社区", "东方社区"], 2, round(2 / 3, 9)),
        ("鹤壁某银行", ["黎阳社区"], 1, 0.0),
    ]
    assert net.partners[0].degree_centrality == round(2 / 3, 9)
    assert [(len(c.parties), c.communities, c.partners, c.agreements) for c in net.components] == [
        (4, 2, 2, 3)
    ]
    assert net.without_partners == ()


def test_the_network_after_agreements_lapse(small: GraphStore) -> None:
    net = co_construction(small, "2025-06-01")  # A2 (东方 with the university) ended 2024-12-31
    assert [named([p.partner])[0] for p in net.partners] == [
        "河南师范大学社会事业学院",
        "鹤壁某银行",
    ]
    assert [named(p.communities) for p in net.partners] == [["黎阳社区"], ["黎阳社区"]]
    assert [sorted(named(c.parties)) for c in net.components] == [
        sorted(["黎阳社区", "河南师范大学社会事业学院", "鹤壁某银行"]),
        ["东方社区"],
    ]
    assert named(net.without_partners) == ["东方社区"]
    after_all = co_construction(small, "2026-06-01")  # A3, the last, ended 2026-05-31
    assert after_all.partners == ()
    assert named(after_all.without_partners) == ["黎阳社区", "东方社区"]  # by id
    assert [len(c.parties) for c in after_all.components] == [1, 1]


def test_agreements_by_topic_and_year(small: GraphStore) -> None:
    small.upsert_nodes(
        [
            new_node("Agreement", code="T1", name="甲", valid_from="2023-03-01",
                     topics=["助老服务", "党员共建", "助老服务"], synthetic=True),
            new_node("Agreement", code="T2", name="乙", signed_on="2023-05-01",
                     topics=["助老服务"], synthetic=True),
        ]
    )  # fmt: skip
    rows = [(r.topic, r.year, r.agreements) for r in agreements_by_topic_and_year(small)]
    assert rows == [
        (None, 2022, 1),  # A2: no topics recorded
        ("党员共建", 2023, 1),
        ("助老服务", 2023, 2),  # T1 counted once although it lists the topic twice
        (None, 2023, 2),  # A1, A3
    ]


def test_doctests() -> None:
    assert doctest.testmod(analytics_module).failed == 0


# -- the reference graph --------------------------------------------------------------------

figures = pytest.importorskip("loaders.reference.figures")
timeline = pytest.importorskip("loaders.reference.timeline")
TODAY = date.today()
REPORT_DAY = date.fromisoformat(timeline.REPORT_DAY)


def g(key: str) -> int:
    return int(figures.generated(key))


@pytest.fixture(scope="module")
def reference() -> Iterator[MemoryStore]:
    store = build_reference()
    yield store
    store.close()


@pytest.mark.parametrize("day", [REPORT_DAY, TODAY], ids=["report_day", "today"])
def test_reference_pairing_load(reference: MemoryStore, day: date) -> None:
    loads = pairing_load(reference, day)
    assert len(loads) == figures.DEPARTMENTS
    assert sum(len(x.communities) for x in loads) == g("paired_communities")
    if day == REPORT_DAY:  # each department paired with one or two (the 2024 re-pairing
        assert {len(x.communities) for x in loads} == {1, 2}  # leaves some with 0 or 3)
    assert [len(x.communities) for x in loads] == sorted(
        (len(x.communities) for x in loads), reverse=True
    )


def test_reference_building_leader_coverage(reference: MemoryStore) -> None:
    for day, led in (
        (REPORT_DAY, g("building_leaders")),
        (TODAY, g("building_leaders")),
        (date(2025, 5, 1), timeline.BUILDING_LEADERS_ON_2025_05_01),
    ):
        rows = building_leader_coverage(reference, day)
        assert len(rows) == g("communities")
        assert sum(r.buildings for r in rows) == g("buildings")
        assert sum(r.led for r in rows) == led, day
        assert [r.ratio for r in rows] == sorted(r.ratio for r in rows)


def test_reference_partners_and_network(reference: MemoryStore) -> None:
    net = co_construction(reference, REPORT_DAY)
    local = [  # the figure counts units that signed with a subdistrict or community
        p for p in net.partners if p.partner.kind == "Unit"
        and any(n.startswith(("community:", "subdistrict:")) for n in net.graph[p.partner.id])
    ]  # fmt: skip
    assert len(local) == g("partner_units")
    assert {p.partner.name for p in net.partners} >= {"河南师范大学社会事业学院"}  # the district's
    reach = [len(p.communities) for p in net.partners]
    assert reach == sorted(reach, reverse=True)
    # the urban communities sign agreements; the village-to-residence ones do not
    assert len(net.without_partners) == g("communities") - g("agreement_urban_communities")
    assert {c.get("community_type") for c in net.without_partners} == {"village_to_residence"}
    parties = Counter(p.id for c in net.components for p in c.parties)
    assert set(parties.values()) == {1}  # each party in exactly one component
    assert len(parties) == len(net.graph)
    assert net.components[0].communities > 1  # partners shared across communities join them
    assert all(0.0 <= p.betweenness <= 1.0 for p in net.partners)
    assert any(p.betweenness > 0 for p in net.partners)


def test_reference_topics_count_every_agreement(reference: MemoryStore) -> None:
    rows = agreements_by_topic_and_year(reference)
    agreements = list(reference.iter_nodes("Agreement"))
    expected = sum(len(set(a.get("topics") or [])) or 1 for a in agreements)
    assert sum(r.agreements for r in rows) == expected
    years = {r.year for r in rows}
    assert min(y for y in years if y is not None) == int(timeline.EARLIEST_AGREEMENT[:4])


# -- Neo4j's native answers equal the embedded store's --------------------------------------

NATIVE = (pairing_load, building_leader_coverage, agreements_by_topic_and_year, co_construction)


def test_natives_are_registered_reads() -> None:
    from graph.neo4j.statements import STATEMENTS
    from graph.queries.analytics.cypher import LEADER_COVERAGE, NETWORK, PAIRING_LOAD, TOPICS

    assert all("neo4j" in query.natives for query in NATIVE)
    for statement in (PAIRING_LOAD, LEADER_COVERAGE, TOPICS, NETWORK):
        assert STATEMENTS[statement.name] is statement
        assert statement.access == "read"


def test_native_and_contract_gathering_agree_on_the_small_graph(small: GraphStore) -> None:
    """On each store, the answer (native on Neo4j) equals assembling the contract calls."""
    for day in (date(2024, 6, 1), date(2024, 7, 1), date(2025, 6, 1)):
        assert pairing_load(small, day) == assemble_pairing_load(gather_pairing_load(small, day))
        assert building_leader_coverage(small, day) == assemble_leader_coverage(
            gather_leader_coverage(small, day)
        )
        assert co_construction(small, day) == assemble_network(gather_network(small, day), day)
    assert agreements_by_topic_and_year(small) == count_topics(small.iter_nodes("Agreement"))


@pytest.mark.neo4j
@pytest.mark.xdist_group(GROUP)
def test_neo4j_analytics_equal_the_embedded_store(
    neo4j_server: Neo4jServer, reference: MemoryStore
) -> None:
    from graph.neo4j import Neo4jStore

    neo = Neo4jStore.from_settings(neo4j_server.settings())
    try:
        ensure_copied(reference, neo)
        days = [
            date(2021, 5, 31),  # before the pairing mechanism
            REPORT_DAY,
            date.fromisoformat(timeline.REPAIRING_DAY),
            date(2025, 5, 1),  # building leaders who left, newcomers not yet started
            TODAY,
        ]
        for day in days:
            assert pairing_load(neo, day) == pairing_load(reference, day), day
            assert building_leader_coverage(neo, day) == building_leader_coverage(reference, day)
            assert co_construction(neo, day) == co_construction(reference, day), day
        assert agreements_by_topic_and_year(neo) == agreements_by_topic_and_year(reference)
    finally:
        neo.close()
