"""agreementsExpiring pages with first/after over HTTP, and refuses a cursor that is no
agreement."""

from __future__ import annotations

from tests import small_graph as g
from tests.api.conftest import GraphQL

QUERY = """query($first: Int, $after: ID) {
  agreementsExpiring(withinDays: 1000, asOf: "2024-12-01", first: $first, after: $after) {
    agreement { id } daysLeft } }"""


def test_pages_follow_each_other(gql: GraphQL) -> None:
    whole = [e["agreement"]["id"] for e in gql.data(QUERY)["agreementsExpiring"]]
    assert whole == [g.A2.id, g.A1.id, g.A3.id]
    first = gql.data(QUERY, first=2)["agreementsExpiring"]
    rest = gql.data(QUERY, first=2, after=first[-1]["agreement"]["id"])["agreementsExpiring"]
    assert [e["agreement"]["id"] for e in first + rest] == whole
    assert first[0]["daysLeft"] == 30


def test_a_cursor_that_is_no_agreement_is_an_error(gql: GraphQL) -> None:
    (message,) = gql.errors(QUERY, first=2, after="community:410611001001")
    assert "after: no agreement 'community:410611001001'" in message
    (too_many,) = gql.errors(QUERY, first=100_000)
    assert "first" in too_many
