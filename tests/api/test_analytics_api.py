"""The analytics root fields over real HTTP, on the small graph (a pairing changes on
2024-07-01; agreements A1-A3 with the university and the bank lapse one by one)."""

from __future__ import annotations

from graph.memory import MemoryStore
from graph.queries.analytics import co_construction
from tests.api.conftest import GraphQL
from tests.small_graph import PAIRING_CHANGE, UNIVERSITY

ANALYTICS = """
query Analytics($d: Date) {
  pairingLoad(asOf: $d) { department { name } communityCount population communities { name } }
  buildingLeaderCoverage(asOf: $d) { community { name } buildings led vacant ratio }
  coConstruction(asOf: $d) {
    asOf partyCount linkCount componentCount
    partners { partner { id name } communityCount communities { name } agreements
               degreeCentrality betweenness }
    components { size communityCount partnerCount agreements parties { name } }
    communitiesWithoutPartners { name }
  }
  partnersByReach(asOf: $d, first: 1) { partner { name } }
  communitiesWithoutPartners(asOf: $d) { name }
}
"""


def test_the_district_on_a_day_with_every_agreement_in_force(gql: GraphQL) -> None:
    got = gql.data(ANALYTICS, d="2024-06-01")
    assert got["pairingLoad"] == [
        {"department": {"name": "区城市管理局"}, "communityCount": 1, "population": 8200,
         "communities": [{"name": "黎阳社区"}]},
        {"department": {"name": "区民政局"}, "communityCount": 0, "population": 0,
         "communities": []},
    ]  # fmt: skip
    assert got["buildingLeaderCoverage"] == [
        {"community": {"name": "东方社区"}, "buildings": 1, "led": 0, "vacant": 1, "ratio": 0.0},
        {"community": {"name": "黎阳社区"}, "buildings": 2, "led": 1, "vacant": 1, "ratio": 0.5},
    ]
    net = got["coConstruction"]
    assert (net["asOf"], net["partyCount"], net["linkCount"], net["componentCount"]) == (
        "2024-06-01",
        4,
        3,
        1,
    )
    university, bank = net["partners"]
    assert university["partner"]["id"] == UNIVERSITY.id
    assert university["communities"] == [{"name": "黎阳社区"}, {"name": "东方社区"}]
    assert (university["agreements"], university["betweenness"]) == (2, round(2 / 3, 9))
    assert (bank["partner"]["name"], bank["communityCount"], bank["betweenness"]) == (
        "鹤壁某银行",
        1,
        0.0,
    )
    assert net["components"] == [
        {"size": 4, "communityCount": 2, "partnerCount": 2, "agreements": 3,
         "parties": [{"name": "黎阳社区"}, {"name": "东方社区"},  # by id
                     {"name": "河南师范大学社会事业学院"}, {"name": "鹤壁某银行"}]},
    ]  # fmt: skip
    assert net["communitiesWithoutPartners"] == got["communitiesWithoutPartners"] == []
    assert got["partnersByReach"] == [{"partner": {"name": "河南师范大学社会事业学院"}}]


def test_answers_follow_the_day(gql: GraphQL, small_store: MemoryStore) -> None:
    after = gql.data(ANALYTICS, d=PAIRING_CHANGE)
    assert [(x["department"]["name"], x["communityCount"]) for x in after["pairingLoad"]] == [
        ("区民政局", 1),
        ("区城市管理局", 1),
    ]
    lapsed = gql.data(ANALYTICS, d="2025-06-01")  # A2 (东方社区) ended 2024-12-31
    assert lapsed["communitiesWithoutPartners"] == [{"name": "东方社区"}]
    assert lapsed["coConstruction"]["componentCount"] == 2
    direct = co_construction(small_store, "2025-06-01")
    assert [p["partner"]["id"] for p in lapsed["coConstruction"]["partners"]] == [
        p.partner.id for p in direct.partners
    ]


def test_agreements_by_topic_and_year_filters(gql: GraphQL) -> None:
    rows = gql.data("{ agreementsByTopicAndYear { topic year agreements } }")
    assert rows["agreementsByTopicAndYear"] == [
        {"topic": None, "year": 2022, "agreements": 1},
        {"topic": None, "year": 2023, "agreements": 2},
    ]
    one = gql.data("{ agreementsByTopicAndYear(year: 2022) { year agreements } }")
    assert one["agreementsByTopicAndYear"] == [{"year": 2022, "agreements": 1}]
    none = gql.data('{ agreementsByTopicAndYear(topic: "助老服务") { year } }')
    assert none["agreementsByTopicAndYear"] == []


def test_pages_are_bounded(gql: GraphQL) -> None:
    [message] = gql.errors("{ pairingLoad(first: 51) { communityCount } }")
    assert "maximum page size of 50" in message
    got = gql.data("{ pairingLoad(first: 1) { communityCount } }")
    assert len(got["pairingLoad"]) == 1
