"""shortest_connection on the small graph."""

from __future__ import annotations

from datetime import date

import pytest

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.queries.paths import shortest_connection
from tests import small_graph as g


def test_building_leader_to_partner_university(graph: GraphStore) -> None:
    conn = shortest_connection(graph, g.WANG.id, g.UNIVERSITY.id, max_length=6)
    assert conn is not None
    assert [n.name for n in conn.nodes] == [
        "王诚", "楼栋长", "淇园3号楼", "淇园小区", "黎阳社区", "四合同心",
        "河南师范大学社会事业学院",
    ]  # fmt: skip
    assert [r.type for r in conn.relationships] == [
        "HOLDS", "POST_IN", "PART_OF", "PART_OF", "PARTY_TO", "PARTY_TO",
    ]  # fmt: skip
    assert conn.length == 6


def test_too_long_or_out_of_time_is_none(graph: GraphStore) -> None:
    assert shortest_connection(graph, g.WANG.id, g.UNIVERSITY.id, max_length=5) is None
    # Before 2022 the property firm did not yet manage the compound: no link at all.
    assert shortest_connection(graph, g.FIRM.id, g.QIYUAN.id, as_of=date(2021, 1, 1)) is None
    assert shortest_connection(graph, g.FIRM.id, g.QIYUAN.id, as_of=date(2023, 1, 1)) is not None


def test_unknown_end_is_an_error(graph: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        shortest_connection(graph, g.WANG.id, "person:nobody")
