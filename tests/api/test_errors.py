"""Wrong ids and values are GraphQL errors that name them, never empty answers; what a person
types (an exact name, a code) is accepted where the CLI accepts it."""

from __future__ import annotations

import pytest

from tests import small_graph as g
from tests.api.conftest import GraphQL


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            '{ buildings(where: {within: "community:nowhere"}) { totalCount } }',
            "within: no grid with id 'community:nowhere' (找不到网格 'community:nowhere')",
        ),
        (
            '{ buildings(where: {within: "' + g.CHENGGUAN.id + '"}) { nodes { id } } }',
            f"within: '{g.CHENGGUAN.id}' is a Department, not a grid",
        ),
        (
            '{ gridCounts(level: BUILDING, per: COMPOUND, within: "unit:nowhere") { count } }',
            "within: no grid with id 'unit:nowhere'",
        ),
        (
            "{ posts(where: {postType: {eq: MAYOR}}) { totalCount } }",
            "Value 'MAYOR' does not exist in 'PostType' enum",
        ),
        (
            "{ departments(where: {function: {in: [URBAN_MANAGEMENT, WIZARDRY]}}) { totalCount } }",
            "'WIZARDRY' does not exist in 'DepartmentFunction' enum",
        ),
        (
            '{ coverage(building: "' + g.LIYANG.id + '") { asOf } }',
            f"{g.LIYANG.id} is a Community, not a building",
        ),
        (
            '{ coverage(building: "黎阳社区") { asOf } }',
            "no Building '黎阳社区': give an id, a code or an exact name (找不到楼栋 '黎阳社区'",
        ),
        (
            '{ coverage(building: "' + g.B3.id + '", asOf: "2024-13-01") { asOf } }',
            "'2024-13-01' is not a date: give YYYY-MM-DD, YYYY/M/D or YYYY年M月D日",
        ),
    ],
)
def test_a_wrong_id_or_value_is_an_error_naming_it(gql: GraphQL, query: str, expected: str) -> None:
    (message,) = gql.errors(query)
    assert expected in message


def test_a_bad_date_variable_names_the_forms_in_both_languages(gql: GraphQL) -> None:
    query = "query($d: Date) { gaps(asOf: $d) { asOf } }"
    (message,) = gql.errors(query, d="2024年13月1日")
    assert "is not a date" in message and "不是日期" in message and "2024/7/1" in message


def test_enum_filters_still_find_what_they_name(gql: GraphQL) -> None:
    query = """{ posts(where: {postType: {in: [BUILDING_LEADER, POLICE_OFFICER]}}) { nodes { id } }
      departments(where: {function: {eq: CIVIL_AFFAIRS}}) { nodes { name } } }"""
    got = gql.data(query)
    assert sorted(n["id"] for n in got["posts"]["nodes"]) == sorted(
        [g.BUILDING_LEADER.id, g.POLICE.id]
    )
    assert got["departments"]["nodes"] == [{"name": "区民政局"}]


def test_days_are_read_in_every_typed_form(gql: GraphQL) -> None:
    for typed in ("2024-07-01", "2024/7/1", "2024年7月1日"):
        query = "query($b: ID!, $d: Date) { coverage(building: $b, asOf: $d) { asOf } }"
        got = gql.data(query, b=g.B3.id, d=typed)
        assert got["coverage"]["asOf"] == "2024-07-01"


def test_a_building_is_found_by_its_exact_name(gql: GraphQL) -> None:
    got = gql.data('{ coverage(building: "淇园3号楼", asOf: "2024-07-01") { building { id } } }')
    assert got["coverage"]["building"]["id"] == g.B3.id
