"""List fields per kind: filters, ordering, cursor pages, totals; counts per grid level."""

from __future__ import annotations

from tests.api.conftest import PLANNER_TOKEN, GraphQL


def test_equality_in_contains_and_ranges(gql: GraphQL) -> None:
    q = "query($w: BuildingWhere) { buildings(where: $w) { totalCount nodes { name } } }"
    assert gql.data(q, w={"floors": {"eq": 6}})["buildings"] == {
        "totalCount": 1,
        "nodes": [{"name": "淇园3号楼"}],
    }
    assert (
        gql.data(q, w={"floors": {"gte": 6}, "name": {"contains": "淇园"}})["buildings"][
            "totalCount"
        ]
        == 2
    )
    assert gql.data(q, w={"buildingNo": {"in": ["01", "04"]}})["buildings"]["nodes"] == [
        {"name": "淇园4号楼"},
        {"name": "花园1号楼"},
    ]
    assert gql.data(q, w={"within": "community:410611001002"})["buildings"]["nodes"] == [
        {"name": "花园1号楼"}
    ]
    dated = "query($w: AgreementWhere) { agreements(where: $w) { nodes { code } } }"
    got = gql.data(dated, w={"validTo": {"from": "2025-01-01", "to": "2025-12-31"}})
    assert got["agreements"]["nodes"] == [{"code": "A1"}]
    assert gql.data(dated, w={"signedOn": {"eq": "2022-01-01"}})["agreements"]["nodes"] == [
        {"code": "A2"}
    ]


def test_order_and_cursor_pages(gql: GraphQL) -> None:
    q = """query($after: String) {
      buildings(first: 2, after: $after, orderBy: [{field: FLOORS, direction: DESC}]) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { floors } } }"""
    first = gql.data(q)["buildings"]
    assert first["totalCount"] == 3
    assert first["nodes"] == [{"floors": 18}, {"floors": 6}]
    assert first["pageInfo"]["hasNextPage"] is True
    second = gql.data(q, after=first["pageInfo"]["endCursor"])["buildings"]
    assert second["nodes"] == [{"floors": 5}]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second["pageInfo"]["endCursor"],
    }


def test_simple_pages_follow_ids(gql: GraphQL) -> None:
    q = """query($after: String) { people(first: 4, after: $after) {
        edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""
    assert gql.errors(q) == [  # people in bulk: planners and up, every page logged
        "listing Person nodes needs the planner role or above; anonymous callers may not"
    ]
    ids, after = [], None
    auth = {"Authorization": f"Bearer {PLANNER_TOKEN}"}
    for _ in range(3):
        body = gql.client.post(
            "/graphql", json={"query": q, "variables": {"after": after}}, headers=auth
        ).json()
        page = body["data"]["people"]
        ids += [e["node"]["id"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert ids == [f"person:P0{i}" for i in range(1, 7)]


def test_counts_per_grid_level_without_rows(gql: GraphQL) -> None:
    data = gql.data(
        """{ perCommunity: gridCounts(level: BUILDING, per: COMMUNITY) { grid { name } count }
             perSubdistrict: gridCounts(level: COMPOUND, per: SUBDISTRICT,
                                        within: "district:410611") { grid { name } count }
             node(id: "community:410611001001") { ... on Grid {
                 descendantCount(level: BUILDING) } } }"""
    )
    assert data["perCommunity"] == [
        {"grid": {"name": "黎阳社区"}, "count": 2},
        {"grid": {"name": "东方社区"}, "count": 1},
    ]
    assert data["perSubdistrict"] == [{"grid": {"name": "九州路街道"}, "count": 2}]
    assert data["node"] == {"descendantCount": 2}
    assert gql.errors("{ gridCounts(level: COMMUNITY, per: BUILDING) { count } }") == [
        "level COMMUNITY must lie below per BUILDING"
    ]
