"""coverage_of_building on the small graph: exact answers, before and after the pairing changes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.queries.coverage import Coverage, CoveringUnit, NotABuilding, coverage_of_building
from graph.settings import today
from tests import small_graph as g


def _units(units: tuple[CoveringUnit, ...]) -> list[Any]:
    return [
        (u.node.name, [(p.post_type, [h.name for h in p.holders]) for p in u.posts])
        + ((u.agreement.name,) if u.agreement else ())
        for u in units
    ]


def summary(cov: Coverage) -> dict[str, dict[str, Any]]:
    """The answer as plain names, one entry per level, leaving out empty groups."""
    out = {}
    for lc in cov.levels:
        entry = {
            "grid": lc.grid.name if lc.grid else None,
            "posts": [(p.post_type, [h.name for h in p.holders]) for p in lc.posts],
            "party": _units(lc.party_organizations),
            "committees": _units(lc.committees),
            "managers": _units(lc.managers),
            "paired": _units(lc.paired_departments),
            "active": _units(lc.active),
            "partners": _units(lc.partners),
            "facilities": _units(lc.facilities),
        }
        out[lc.level.value] = {k: v for k, v in entry.items() if v}
    return out


COMMON = {
    "building": {
        "grid": "淇园3号楼",
        "posts": [("building_leader", ["王诚"])],
        "party": [("淇园3号楼党小组", [])],
    },
    "subdistrict": {
        "grid": "九州路街道",
        "posts": [("district_contact_leader", ["钱区长"])],
        "facilities": [("九州路街道网格化社会治理服务中心", [])],
    },
    "district": {"grid": "淇滨区"},
}


def _community(head: str, department: str) -> dict[str, Any]:
    return {
        "grid": "黎阳社区",
        "posts": [("community_grid_leader", [head]), ("police_officer", ["赵警官"])],
        "party": [("黎阳社区大党委", [("first_secretary", [head])])],
        "committees": [("黎阳社区居民委员会", [])],
        "paired": [(department, [("department_head", [head])])],
        "active": [("红肩章", []), ("淇滨某科技公司", []), ("暖阳志愿服务队", [])],
        "partners": [
            ("河南师范大学社会事业学院", [], "四合同心"),
            ("鹤壁某银行", [], "红领巾驿站"),
        ],
        "facilities": [("黎阳社区便民服务站", [])],
    }


COMPOUND = {
    "grid": "淇园小区",
    "party": [("淇园小区党支部", [("branch_secretary", ["刘宪章"])])],
    "managers": [("鹤壁红色物业有限公司", [])],
    "facilities": [("淇园家门口服务站", [])],
}


def test_coverage_before_the_pairing_changes(graph: GraphStore) -> None:
    cov = coverage_of_building(graph, g.B3.id, date(2024, 6, 30))
    assert cov.as_of == date(2024, 6, 30)
    assert [lc.level.value for lc in cov.levels] == [
        "building", "compound", "community", "subdistrict", "district",
    ]  # fmt: skip
    assert summary(cov) == {
        **COMMON,
        "compound": COMPOUND,
        "community": _community("张局长", "区城市管理局"),
    }


def test_coverage_after_the_pairing_changes(graph: GraphStore) -> None:
    cov = coverage_of_building(graph, g.B3.id, date(2024, 7, 1))
    assert summary(cov)["community"] == _community("李局长", "区民政局")
    assert [p.holders[0].name for p in cov.holders_of("first_secretary")] == ["李局长"]


def test_coverage_before_the_firm_and_the_agreements(graph: GraphStore) -> None:
    cov = summary(coverage_of_building(graph, g.B3.id, date(2021, 6, 1)))
    assert cov["compound"]["managers"] == [("淇园小区业主委员会", [])]
    assert "partners" not in cov["community"]
    assert cov["community"]["active"] == [("红肩章", []), ("淇滨某科技公司", [])]
    assert cov["compound"]["party"] == [("淇园小区党支部", [("branch_secretary", ["刘宪章"])])]


def test_coverage_of_a_building_with_no_leader_or_pairing_yet(graph: GraphStore) -> None:
    cov = summary(coverage_of_building(graph, g.B1.id, date(2024, 1, 1)))
    assert cov["building"] == {"grid": "花园1号楼"}
    assert cov["community"] == {
        "grid": "东方社区", "partners": [("河南师范大学社会事业学院", [], "海棠书巷")],
    }  # fmt: skip
    cov_later = summary(coverage_of_building(graph, g.B1.id, date(2025, 1, 1)))
    assert cov_later["community"] == {
        "grid": "东方社区", "paired": [("区城市管理局", [("department_head", ["张局长"])])],
    }  # fmt: skip


def test_coverage_refuses_unknown_ids_and_non_buildings(graph: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        coverage_of_building(graph, "building:nope")
    with pytest.raises(NotABuilding):
        coverage_of_building(graph, g.LIYANG.id)


def test_coverage_defaults_to_today(graph: GraphStore) -> None:
    assert coverage_of_building(graph, g.B3.id).as_of == today()
