"""The flagship queries over real HTTP on the small graph, with their exact answers."""

from __future__ import annotations

import httpx

from tests import small_graph as g
from tests.api.conftest import GraphQL

COVERAGE = """
query Coverage($building: ID!, $asOf: Date) {
  coverage(building: $building, asOf: $asOf) {
    asOf
    building { name }
    levels {
      level
      grid { name }
      posts { postType holders { name } }
      partyOrganizations { unit { name } posts { postType holders { name } } }
      managers { unit { name } }
      pairedDepartments { unit { name } relationship { validFrom validTo } }
      socialOrganizations { unit { name } }
      volunteerTeams { unit { name } }
      partners { unit { name } agreement { name } }
      facilities { unit { name } }
    }
    firstSecretary: holders(postType: "first_secretary") { holders { name } }
  }
}
"""


def _names(items: list[dict]) -> list[str]:
    return [i["unit"]["name"] for i in items]


def test_healthz(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "store": "memory"}


def test_graphiql_is_served_to_browsers(client: httpx.Client) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


def test_coverage_before_and_after_the_pairing_changes(gql: GraphQL) -> None:
    before = gql.data(COVERAGE, building=g.B3.id, asOf="2024-06-30")["coverage"]
    after = gql.data(COVERAGE, building=g.B3.id, asOf="2024-07-01")["coverage"]
    assert before["asOf"] == "2024-06-30"
    assert before["building"] == {"name": "淇园3号楼"}
    levels = {lv["level"]: lv for lv in before["levels"]}
    assert list(levels) == ["BUILDING", "COMPOUND", "COMMUNITY", "SUBDISTRICT", "DISTRICT"]
    assert levels["BUILDING"]["posts"] == [
        {"postType": "building_leader", "holders": [{"name": "王诚"}]}
    ]
    assert _names(levels["BUILDING"]["partyOrganizations"]) == ["淇园3号楼党小组"]
    assert levels["COMPOUND"]["partyOrganizations"] == [
        {
            "unit": {"name": "淇园小区党支部"},
            "posts": [{"postType": "branch_secretary", "holders": [{"name": "刘宪章"}]}],
        }
    ]
    assert _names(levels["COMPOUND"]["managers"]) == ["鹤壁红色物业有限公司"]
    community = levels["COMMUNITY"]
    assert community["grid"] == {"name": "黎阳社区"}
    assert community["posts"] == [
        {"postType": "community_grid_leader", "holders": [{"name": "张局长"}]},
        {"postType": "police_officer", "holders": [{"name": "赵警官"}]},
    ]
    assert community["pairedDepartments"] == [
        {
            "unit": {"name": "区城市管理局"},
            "relationship": {"validFrom": "2021-01-01", "validTo": "2024-06-30"},
        }
    ]
    assert _names(community["socialOrganizations"]) == ["红肩章"]
    assert _names(community["volunteerTeams"]) == ["暖阳志愿服务队"]
    assert community["partners"] == [
        {"unit": {"name": "河南师范大学社会事业学院"}, "agreement": {"name": "四合同心"}},
        {"unit": {"name": "鹤壁某银行"}, "agreement": {"name": "红领巾驿站"}},
    ]
    assert _names(community["facilities"]) == ["黎阳社区便民服务站"]
    assert _names(levels["SUBDISTRICT"]["facilities"]) == ["九州路街道网格化社会治理服务中心"]
    assert levels["DISTRICT"]["grid"] == {"name": "淇滨区"}
    assert before["firstSecretary"] == [{"holders": [{"name": "张局长"}]}]

    after_community = {lv["level"]: lv for lv in after["levels"]}["COMMUNITY"]
    assert after_community["pairedDepartments"] == [
        {"unit": {"name": "区民政局"}, "relationship": {"validFrom": "2024-07-01", "validTo": None}}
    ]
    assert after_community["posts"][0] == {
        "postType": "community_grid_leader",
        "holders": [{"name": "李局长"}],
    }
    assert after["firstSecretary"] == [{"holders": [{"name": "李局长"}]}]


def test_coverage_of_unknown_building_is_a_clear_error(gql: GraphQL) -> None:
    assert gql.errors(COVERAGE, building="building:nope") == ["no node with id building:nope"]


def test_shared_agreements_and_expiring(gql: GraphQL) -> None:
    data = gql.data(
        """query($u: ID!) {
          sharedAgreements(unit: $u, asOf: "2024-03-01") {
            party { name } common { name } via { name } agreements { name } }
          agreementsExpiring(withinDays: 31, asOf: "2024-12-01") {
            agreement { name } validTo daysLeft parties { name } }
        }""",
        u=g.UNIVERSITY.id,
    )
    assert data["sharedAgreements"] == [
        {
            "party": {"name": "黎阳社区"},
            "common": [{"name": "四合同心"}],
            "via": [],
            "agreements": [{"name": "四合同心"}],
        },
        {
            "party": {"name": "东方社区"},
            "common": [{"name": "海棠书巷"}],
            "via": [],
            "agreements": [{"name": "海棠书巷"}],
        },
        {
            "party": {"name": "鹤壁某银行"},
            "common": [],
            "via": [{"name": "黎阳社区"}],
            "agreements": [{"name": "四合同心"}, {"name": "红领巾驿站"}],
        },
    ]
    assert data["agreementsExpiring"] == [
        {
            "agreement": {"name": "海棠书巷"},
            "validTo": "2024-12-31",
            "daysLeft": 30,
            "parties": [{"name": "东方社区"}, {"name": "河南师范大学社会事业学院"}],
        }
    ]


def test_path(gql: GraphQL) -> None:
    query = """query($a: ID!, $b: ID!, $n: Int!) {
      path(from: $a, to: $b, maxLength: $n) { length nodes { name } relationships { type } } }"""
    data = gql.data(query, a=g.WANG.id, b=g.UNIVERSITY.id, n=6)
    assert data["path"] == {
        "length": 6,
        "nodes": [
            {"name": n}
            for n in [
                *("王诚", "楼栋长", "淇园3号楼", "淇园小区", "黎阳社区", "四合同心"),
                "河南师范大学社会事业学院",
            ]
        ],
        "relationships": [
            {"type": t} for t in ["HOLDS", "POST_IN", "PART_OF", "PART_OF", "PARTY_TO", "PARTY_TO"]
        ],
    }
    assert gql.data(query, a=g.WANG.id, b=g.UNIVERSITY.id, n=5) == {"path": None}


def test_node_relationship_fields_filter_by_day(gql: GraphQL) -> None:
    query = """query($id: ID!, $d: Date) { node(id: $id) { ... on Community {
        pairedBy(asOf: $d) { name }
        relationships(types: [PAIRED_WITH], direction: IN, asOf: $d) {
          type node { name } relationship { validTo } } } } }"""
    before = gql.data(query, id=g.LIYANG.id, d="2024-06-30")["node"]
    assert before["pairedBy"] == [{"name": "区城市管理局"}]
    assert before["relationships"] == [
        {
            "type": "PAIRED_WITH",
            "node": {"name": "区城市管理局"},
            "relationship": {"validTo": "2024-06-30"},
        }
    ]
    after = gql.data(query, id=g.LIYANG.id, d="2024-07-01")["node"]
    assert after["pairedBy"] == [{"name": "区民政局"}]


def test_node_and_nodes(gql: GraphQL) -> None:
    data = gql.data(
        """{ node(id: "building:410611001001-007-03") { id kind name
               ... on Grid { level ancestors { name } } ... on Building { floors partOf { name } } }
             nodes(ids: ["community:410611001002", "nope:1"]) { name } }"""
    )
    assert data["node"] == {
        "id": "building:410611001001-007-03",
        "kind": "Building",
        "name": "淇园3号楼",
        "level": "BUILDING",
        "ancestors": [{"name": n} for n in ["淇园小区", "黎阳社区", "九州路街道", "淇滨区"]],
        "floors": 6,
        "partOf": [{"name": "淇园小区"}],
    }
    assert data["nodes"] == [{"name": "东方社区"}, None]


def test_search_by_chinese_pinyin_and_initials(gql: GraphQL) -> None:
    query = "query($t: String!) { search(text: $t, kinds: [Community]) { name } }"
    for text in ["黎阳", "liyang", "LiYang", "ly", "lysq"]:
        assert gql.data(query, t=text)["search"] == [{"name": "黎阳社区"}], text
    assert gql.data(query, t="dongfang")["search"] == [{"name": "东方社区"}]
    assert gql.data(query, t="zzzz")["search"] == []
    everything = gql.data('{ search(text: "liyang", first: 2) { name } }')["search"]
    assert everything == [{"name": "黎阳社区"}, {"name": "黎阳社区大党委"}]


def test_search_ignores_blank_latin_text(gql: GraphQL) -> None:
    assert gql.data('{ search(text: " \' ") { id } }') == {"search": []}
