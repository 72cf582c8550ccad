"""A scoped admin's unit of work, judged on both stores: what lies within 黎阳社区 may change,
what reaches outside it is refused whole and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.audit import AuditTrail
from graph.audited import AuditedStore
from graph.contract import GraphStore, UnitOfWork
from graph.model import Node, Relationship, new_node
from graph.scope import OutOfScope
from tests import small_graph as g
from tests.small_graph import seed_small_graph

SCOPE = g.LIYANG.id
Write = Callable[[UnitOfWork], None]


def _renamed(node: Node, name: str) -> Node:
    return Node(node.id, node.kind, {**node.props, "name": name})


def _run(store: GraphStore, write: Write, scope: str = SCOPE) -> None:
    audited = AuditedStore(store, AuditTrail(None), "钱社区管理", "admin", "test", scope=scope)
    with audited.transaction() as tx:
        write(tx)


NEW_UNIT = new_node("Unit", uscc="91410611MA0000009X", name="淇滨某新公司", synthetic=True)
NEW_AGREEMENT = new_node("Agreement", code="S1", name="新共建", signed_on="2024-01-01",
                         synthetic=True)  # fmt: skip
NEW_BUILDING = new_node("Building", community_code="410611001001", compound_no="007",
                        building_no="09", name="淇园9号楼", synthetic=True)  # fmt: skip
ELSEWHERE_BUILDING = new_node("Building", community_code="410611001002", compound_no="001",
                              building_no="09", name="花园9号楼", synthetic=True)  # fmt: skip


def _rel(type_: str, source: Node, target: Node, **props: object) -> Relationship:
    return Relationship(type_, source.id, target.id, {**props, "synthetic": True})


WITHIN: dict[str, Write] = {
    "a new agreement of the community with a new unit": lambda tx: (
        tx.upsert_nodes([NEW_UNIT, NEW_AGREEMENT]),
        tx.upsert_relationships(
            [
                _rel("PARTY_TO", g.LIYANG, NEW_AGREEMENT, role="community"),
                _rel("PARTY_TO", NEW_UNIT, NEW_AGREEMENT, role="partner"),
            ]
        ),
    ),
    "an existing partner (also elsewhere) joins a new agreement here": lambda tx: (
        tx.upsert_nodes([NEW_AGREEMENT]),
        tx.upsert_relationships(
            [
                _rel("PARTY_TO", g.LIYANG, NEW_AGREEMENT, role="community"),
                _rel("PARTY_TO", g.UNIVERSITY, NEW_AGREEMENT, role="partner"),
            ]
        ),
    ),
    "a new building in a compound of the community": lambda tx: (
        tx.upsert_nodes([NEW_BUILDING]),
        tx.upsert_relationships([_rel("PART_OF", NEW_BUILDING, g.QIYUAN)]),
    ),
    "a compound of the community renamed": lambda tx: tx.upsert_nodes(
        [_renamed(g.QIYUAN, "淇园新村")]
    ),
    "a partner working only here renamed": lambda tx: tx.upsert_nodes([_renamed(g.BANK, "某行")]),
    "a person holding a post here renamed": lambda tx: tx.upsert_nodes([_renamed(g.WANG, "王成")]),
    "an agreement of the community ended": lambda tx: tx.upsert_nodes(
        [Node(g.A3.id, "Agreement", {**g.A3.props, "valid_to": "2025-01-01"})]
    ),
    "a new unit on its own (a units sheet)": lambda tx: tx.upsert_nodes([NEW_UNIT]),
}

OUTSIDE: dict[str, tuple[Write, str]] = {
    "the other community renamed": (
        lambda tx: tx.upsert_nodes([_renamed(g.DONGFANG, "东方新社区")]),
        g.DONGFANG.id,
    ),
    "a new building in the other community": (
        lambda tx: (
            tx.upsert_nodes([ELSEWHERE_BUILDING]),
            tx.upsert_relationships([_rel("PART_OF", ELSEWHERE_BUILDING, g.HUAYUAN)]),
        ),
        ELSEWHERE_BUILDING.id,
    ),
    "a pairing with the other community": (
        lambda tx: tx.upsert_relationships(
            [_rel("PAIRED_WITH", g.MINZHENG, g.DONGFANG, valid_from="2025-01-01")]
        ),
        "PAIRED_WITH",
    ),
    "the other community's agreement ended": (
        lambda tx: tx.upsert_nodes(
            [Node(g.A2.id, "Agreement", {**g.A2.props, "valid_to": "2023-01-01"})]
        ),
        g.A2.id,
    ),
    "a partner that also works elsewhere renamed": (
        lambda tx: tx.upsert_nodes([_renamed(g.UNIVERSITY, "某大学")]),
        g.UNIVERSITY.id,
    ),
    "a department paired with both communities renamed": (
        lambda tx: tx.upsert_nodes([_renamed(g.CHENGGUAN, "城管局")]),
        g.CHENGGUAN.id,
    ),
    "the subdistrict above the scope renamed": (
        lambda tx: tx.upsert_nodes([_renamed(g.SUBDISTRICT, "某街道")]),
        g.SUBDISTRICT.id,
    ),
    "a link of the other community removed": (
        lambda tx: tx.delete_relationships([g.RELATIONSHIPS[2].id]),  # Dongfang PART_OF
        g.RELATIONSHIPS[2].id,
    ),
    "one change within and one outside": (
        lambda tx: tx.upsert_nodes(
            [_renamed(g.QIYUAN, "淇园新村"), _renamed(g.HUAYUAN, "花园新村")]
        ),
        g.HUAYUAN.id,
    ),
}


def _everything(store: GraphStore) -> tuple[dict[str, dict], dict[str, dict]]:
    nodes = {n.id: dict(n.props) for n in store.iter_nodes()}
    rels = {r.id: dict(r.props) for r in store.iter_relationships()}
    return nodes, rels


@pytest.mark.parametrize("case", list(WITHIN))
def test_a_change_within_the_scope_is_written(store: GraphStore, case: str) -> None:
    seed_small_graph(store)
    before = _everything(store)
    _run(store, WITHIN[case])
    assert _everything(store) != before


@pytest.mark.parametrize("case", list(OUTSIDE))
def test_a_change_reaching_outside_is_refused_and_nothing_is_written(
    store: GraphStore, case: str
) -> None:
    seed_small_graph(store)
    write, named = OUTSIDE[case]
    before = _everything(store)
    with pytest.raises(OutOfScope) as refused:
        _run(store, write)
    assert named in str(refused.value)
    assert "钱社区管理 is an admin for community:410611001001 only" in str(refused.value)
    assert "超出管理范围" in str(refused.value)
    assert _everything(store) == before
    _run(store, write, scope=g.SUBDISTRICT.id)  # the subdistrict's admin may (but not above it)
    assert _everything(store) != before or case.startswith("the subdistrict")


def test_a_scope_that_is_no_place_changes_nothing(store: GraphStore) -> None:
    seed_small_graph(store)
    with pytest.raises(OutOfScope, match="not a place in this graph"):
        _run(store, WITHIN["a new unit on its own (a units sheet)"], scope="community:999")
    assert not store.get_nodes([NEW_UNIT.id])
