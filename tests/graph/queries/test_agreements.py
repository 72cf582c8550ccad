"""shared_agreements and agreements_expiring on the small graph."""

from __future__ import annotations

from datetime import date

import pytest

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.queries.agreements import agreements_expiring, shared_agreements
from tests import small_graph as g


def _names(result: list) -> list[tuple[str, list[str], list[str], list[str]]]:
    return [
        (s.party.name, [a.name for a in s.common], [v.name for v in s.via],
         [a.name for a in s.agreements])
        for s in result
    ]  # fmt: skip


def test_units_that_signed_with_the_same_community(graph: GraphStore) -> None:
    got = _names(shared_agreements(graph, g.UNIVERSITY.id, date(2024, 3, 1)))
    assert got == [
        ("黎阳社区", ["四合同心"], [], ["四合同心"]),
        ("东方社区", ["海棠书巷"], [], ["海棠书巷"]),
        ("鹤壁某银行", [], ["黎阳社区"], ["四合同心", "红领巾驿站"]),
    ]


def test_communities_that_share_a_partner(graph: GraphStore) -> None:
    got = _names(shared_agreements(graph, g.LIYANG.id, date(2024, 3, 1)))
    assert got == [
        ("东方社区", [], ["河南师范大学社会事业学院"], ["四合同心", "海棠书巷"]),
        ("河南师范大学社会事业学院", ["四合同心"], [], ["四合同心"]),
        ("鹤壁某银行", ["红领巾驿站"], [], ["红领巾驿站"]),
    ]


def test_lapsed_agreements_no_longer_link(graph: GraphStore) -> None:
    got = _names(shared_agreements(graph, g.LIYANG.id, date(2025, 6, 1)))
    assert [x[0] for x in got] == ["河南师范大学社会事业学院", "鹤壁某银行"]
    assert shared_agreements(graph, g.LIYANG.id, date(2022, 6, 1)) == []


def test_shared_agreements_of_an_unknown_unit(graph: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        shared_agreements(graph, "unit:nope")


def test_agreements_expiring(graph: GraphStore) -> None:
    got = agreements_expiring(graph, 31, date(2024, 12, 1))
    assert [(e.agreement.name, e.valid_to, e.days_left, sorted(p.name for p in e.parties))
            for e in got] == [
        ("海棠书巷", date(2024, 12, 31), 30, ["东方社区", "河南师范大学社会事业学院"])
    ]  # fmt: skip
    assert [e.agreement.name for e in agreements_expiring(graph, 500, date(2024, 12, 1))] == [
        "海棠书巷", "四合同心",
    ]  # fmt: skip
    assert agreements_expiring(graph, 10, date(2024, 12, 1)) == []
    assert agreements_expiring(graph, 1000, date(2027, 1, 1)) == []
    with pytest.raises(ValueError):
        agreements_expiring(graph, -1)


def test_agreements_expiring_page_by_page(graph: GraphStore) -> None:
    """first/after give the same agreements as one answer, a page at a time; an agreement not
    yet in force in the middle of the order is skipped without shortening a page."""
    from graph.model import new_node

    graph.upsert_nodes([new_node("Agreement", code="A9", name="续签", signed_on="2024-11-01",
                                 valid_from="2025-06-01", valid_to="2025-07-01")])  # fmt: skip
    day = date(2024, 12, 1)
    whole = [e.agreement.id for e in agreements_expiring(graph, 1000, day)]
    assert whole == [g.A2.id, g.A1.id, g.A3.id]
    pages, after = [], None
    while True:
        page = [e.agreement.id for e in agreements_expiring(graph, 1000, day, 1, after)]
        if not page:
            break
        pages.append(page)
        after = page[-1]
    assert pages == [[g.A2.id], [g.A1.id], [g.A3.id]]
    assert [e.agreement.id for e in agreements_expiring(graph, 1000, day, 5, g.A2.id)] == [
        g.A1.id, g.A3.id]  # fmt: skip
    with pytest.raises(NodeNotFound, match="after: no agreement 'agreement:NOPE'"):
        agreements_expiring(graph, 1000, day, 1, "agreement:NOPE")
