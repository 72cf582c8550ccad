"""Responsibility chains on a hand-built district, written out in full, on every store."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.queries.chain import (
    ResponsibilityChain,
    responsibility_chain,
    responsibility_chains,
)
from schema.ontology import GridLevel
from tests.chain_graph import LEADER_CHANGE, PAIRING_CHANGE, Built, build_small_district


@pytest.fixture
def district(store: GraphStore) -> Built:
    return build_small_district(store)


def digest(chain: ResponsibilityChain, b: Built) -> dict[str, Any]:
    """The chain with every node replaced by its short name in the fixture."""
    name = {n.id: k for k, n in b.nodes.items()}

    def n(node: Any) -> str | None:
        return None if node is None else name[node.id]

    return {
        "levels": [
            (
                lvl.level.value,
                n(lvl.grid),
                [(n(p.person), p.post_type, n(p.via)) for p in lvl.in_charge],
                [
                    (n(o.organization), [n(x.person) for x in o.leaders])
                    for o in lvl.party_organizations
                ],
                lvl.meeting.zh,
                [(n(u.unit), "+".join(r.value for r in u.roles)) for u in lvl.convenes],
                [n(g) for g in lvl.leading_groups],
                lvl.default_response,
                [(g.what.value, n_id(g.node_id, name)) for g in lvl.gaps],
            )
            for lvl in chain.levels
        ],
        "handlers": [(n(h.department), h.role) for h in chain.handlers],
        "response_level": chain.response_level,
        "category": n(chain.category),
        "territory": [n(x) for x in chain.accountability.territory],
        "pairing": [n(x) for x in chain.accountability.pairing],
        "gaps": [(g.level, g.what.value, n_id(g.node_id, name)) for g in chain.gaps],
    }


def n_id(node_id: str, name: dict[str, str]) -> str:
    return name[node_id]


KEYS_AFTER_PAIRED = [
    ("mw", "key_unit"),
    ("sa", "key_unit"),
    ("ls", "key_unit"),
    ("pm", "key_unit"),
    ("mr", "n_department"),
]


def expected_b1(pairing: str, building_leader: str) -> dict[str, Any]:
    """The chain of building 01 for event 占道经营, given who is paired and who leads it."""
    head = {"ca": "p_head_ca", "um": "p_head_um"}[pairing]
    if pairing == "um":  # the paired department is also a key unit: listed once, both roles
        units = [("um", "paired_department+key_unit")]
    else:
        units = [(pairing, "paired_department"), ("um", "key_unit")]
    units += KEYS_AFTER_PAIRED
    return {
        "levels": [
            (
                "building",
                "b1",
                [(building_leader, "building_leader", None)],
                [("group_b1", ["p_old"])],
                "板凳会",
                [],
                [],
                False,
                [],
            ),
            (
                "compound",
                "k1",
                [("p_wang", "branch_secretary", "branch_k1")],
                [("branch_k1", ["p_wang"])],
                "网格议事会",
                [("firm", "property_firm")],
                [],
                False,
                [],
            ),
            (
                "community",
                "c1",
                [(head, "department_head", pairing)],
                [("big_c1", ["p_head_um"])],
                "网格联席会",
                units,
                [],
                True,
                [],
            ),
            (
                "subdistrict",
                "sub",
                [("p_contact", "district_contact_leader", None)],
                [("working_committee", [])],
                "网格研判会",
                [],
                [],
                False,
                [],
            ),
            (
                "district",
                "district",
                [("p_group_head", "leading_group_head", "group")],
                [("district_committee", ["p_dc_secretary"])],
                "网格调度会",
                [],
                ["group"],
                False,
                [],
            ),
        ],
        "handlers": [("um", "key"), ("mr", "n")],
        "response_level": GridLevel.COMMUNITY,
        "category": "cat",
        "territory": ["sub", "c1"],
        "pairing": [pairing],
        "gaps": [],
    }


@pytest.mark.parametrize(
    ("day", "pairing", "leader"),
    [
        ("2023-01-15", "ca", "p_old"),
        ("2023-06-30", "ca", "p_old"),  # last day of the old pairing
        (PAIRING_CHANGE, "um", "p_old"),  # first day of the new pairing
        ("2024-03-31", "um", "p_old"),  # last day of the old building leader
        (LEADER_CHANGE, "um", "p_new"),
        ("2025-01-01", "um", "p_new"),
    ],
)
def test_exact_chain_before_and_after_each_change(
    store: GraphStore, district: Built, day: str, pairing: str, leader: str
) -> None:
    chain = responsibility_chain(store, district.id("b1"), district.id("e1"), as_of=day)
    assert chain.as_of.isoformat() == day
    assert digest(chain, district) == expected_b1(pairing, leader)
    assert chain.complete


def test_missing_building_leader_and_party_group_are_gaps(
    store: GraphStore, district: Built
) -> None:
    chain = responsibility_chain(store, district.id("b2"), district.id("e1"), as_of="2024-06-01")
    got = digest(chain, district)
    building = got["levels"][0]
    assert building[:3] == ("building", "b2", [])
    assert got["gaps"] == [
        ("building", "no_person_in_charge", "b2"),
        ("building", "no_party_organization", "b2"),
    ]
    # The levels above are the full chain of the same compound, not a shorter chain.
    assert [lvl[1] for lvl in got["levels"]] == ["b2", "k1", "c1", "sub", "district"]
    assert chain.gaps[0].reason == (
        "桃园小区2号楼 (building:410611001001-001-02): nobody holds building_leader on 2024-06-01"
    )


def test_owner_managed_compound_shows_the_owners_committee(
    store: GraphStore, district: Built
) -> None:
    chain = responsibility_chain(store, district.id("b3"), district.id("e1"), as_of="2024-06-01")
    got = digest(chain, district)
    compound = got["levels"][1]
    assert compound[:3] == ("compound", "k2", [("p_grid_k2", "compound_grid_leader", None)])
    assert compound[5] == [("owners_k2", "owners_committee")]
    assert got["gaps"] == [("compound", "no_party_organization", "k2")]


def test_no_property_firm_and_no_pairing_are_gaps(store: GraphStore, district: Built) -> None:
    chain = responsibility_chain(store, district.id("b4"), district.id("e1"), as_of="2024-06-01")
    got = digest(chain, district)
    assert got["gaps"] == [
        ("compound", "no_property_manager", "k3"),
        ("community", "no_pairing", "c2"),
    ]
    community = got["levels"][2]
    assert community[2] == []  # no community grid leader without a pairing
    # 1+5+N still lists the five key units and the event's N department, but no paired unit.
    assert community[5] == [("um", "key_unit"), *KEYS_AFTER_PAIRED]
    assert got["pairing"] == []
    assert got["territory"] == ["sub", "c2"]
    assert "management_mode: none" in chain.gaps[0].reason


def test_contract_not_yet_signed_is_a_gap(store: GraphStore, district: Built) -> None:
    chain = responsibility_chain(store, district.id("b1"), district.id("e1"), as_of="2021-06-01")
    got = digest(chain, district)
    assert got["gaps"] == [("compound", "no_property_manager", "k1")]
    assert got["levels"][1][5] == []


def test_event_without_handler_is_a_gap(store: GraphStore, district: Built) -> None:
    chain = responsibility_chain(store, district.id("b1"), district.id("e2"), as_of="2024-06-01")
    got = digest(chain, district)
    assert got["handlers"] == []
    assert got["gaps"] == [("event", "no_handler", "e2")]
    assert got["response_level"] == GridLevel.BUILDING
    assert [lvl[7] for lvl in got["levels"]] == [True, False, False, False, False]
    community_units = got["levels"][2][5]
    assert ("mr", "n_department") not in community_units


def test_missing_parent_is_a_gap_not_a_shorter_chain(store: GraphStore, district: Built) -> None:
    store.delete_relationships(
        [r.id for r in district.rels if r.type == "PART_OF" and r.source == district.id("k3")]
    )
    chain = responsibility_chain(store, district.id("b4"), district.id("e1"), as_of="2024-06-01")
    got = digest(chain, district)
    assert [lvl[0] for lvl in got["levels"]] == [g.value for g in reversed(GridLevel)]
    assert [lvl[1] for lvl in got["levels"]] == ["b4", "k3", None, None, None]
    assert ("compound", "no_parent_grid", "k3") in got["gaps"]
    assert got["territory"] == []


def test_batched_chains_equal_single_chains(store: GraphStore, district: Built) -> None:
    pairs = [
        (district.id(b), district.id(e)) for b in ("b1", "b2", "b3", "b4") for e in ("e1", "e2")
    ]
    batch = responsibility_chains(store, pairs, "2024-06-01")
    singles = [responsibility_chain(store, b, e, "2024-06-01") for b, e in pairs]
    assert batch == singles


def test_as_of_defaults_to_today(store: GraphStore, district: Built) -> None:
    from graph.settings import today

    chain = responsibility_chain(store, district.id("b1"), district.id("e1"))
    assert chain.as_of == today()  # Asia/Shanghai's day unless GRIDGRAPH_TIMEZONE says otherwise
    assert chain.level("community").in_charge[0].person.id == district.id("p_head_um")


def test_unknown_or_wrong_kind_ids_raise(store: GraphStore, district: Built) -> None:
    with pytest.raises(NodeNotFound, match="no Building"):
        responsibility_chain(store, "building:nope", district.id("e1"))
    with pytest.raises(NodeNotFound, match="is a Compound, not a Building"):
        responsibility_chain(store, district.id("k1"), district.id("e1"))
    with pytest.raises(NodeNotFound, match="no EventType"):
        responsibility_chain(store, district.id("b1"), "event_type:nope")


def test_to_dict_is_json(store: GraphStore, district: Built) -> None:
    chain = responsibility_chain(store, district.id("b2"), district.id("e1"), "2024-06-01")
    data = json.loads(json.dumps(chain.to_dict(), ensure_ascii=False))
    assert data["as_of"] == "2024-06-01"
    assert data["levels"][2]["in_charge"][0]["person"]["name"] == "城管局长(模拟)"
    assert data["gaps"][0]["what"] == "no_person_in_charge"
    assert data["levels"][3]["meeting"] == {
        "name": "grid analysis meeting",
        "zh": "网格研判会",
        "purpose": "difficult situations (疑难情况)",
    }


def test_a_native_version_is_used_on_its_backend(store: GraphStore, district: Built) -> None:
    """A version registered on ``responsibility_chains`` for a store's backend answers in
    place of the contract-based query, given the query's own arguments; ``responsibility_chain``
    goes through it too. Wrappers pass the inner store's backend through."""
    calls: list[tuple[Any, ...]] = []

    class Wrapped:
        backend = "test-native"

        def __getattr__(self, attr: str) -> Any:
            return getattr(store, attr)

    @responsibility_chains.native("test-native")
    def native(s: Any, requests: Any, as_of: date | str | None = None) -> Any:
        calls.append((list(requests), as_of))
        return ["native"]

    try:
        out = responsibility_chain(Wrapped(), "building:x", "event_type:y", "2024-01-02")  # type: ignore[arg-type]
        direct = responsibility_chains(
            store, [(district.id("b1"), district.id("e1"))], "2024-01-02"
        )
    finally:
        responsibility_chains.remove_native("test-native")
    assert out == "native"
    assert calls == [([("building:x", "event_type:y")], date(2024, 1, 2))]
    assert direct != ["native"]  # the store's own backend has no such version


def test_routing_territory_first_then_owner_then_handlers(
    store: GraphStore, district: Built
) -> None:
    chain = responsibility_chain(store, district.id("b1"), district.id("e1"), "2024-06-01")
    name = {n.id: k for k, n in district.nodes.items()}
    steps = [(s.order, s.stage.value, s.level, name[s.unit.id]) for s in chain.routing() if s.unit]
    assert steps == [
        (1, "territory", "building", "b1"),
        (2, "territory", "compound", "k1"),
        (3, "territory", "community", "c1"),
        (4, "owner", "compound", "firm"),
        (5, "handler", None, "um"),
        (6, "handler", None, "mr"),
        (7, "escalation", "subdistrict", "sub"),
        (8, "escalation", "district", "district"),
    ]
    assert chain.routing()[0].people[0].person.id == district.id("p_new")
    assert chain.to_dict()["routing"][6]["meeting"]["zh"] == "网格研判会"


def test_a_person_is_listed_once_per_level(store: GraphStore, district: Built) -> None:
    """The head of the paired department also holds the community grid leader post."""
    from graph.model import Relationship, new_node

    post = new_node("Post", post_type="community_grid_leader", code="410611001001")
    store.upsert_nodes([post])
    store.upsert_relationships(
        [
            Relationship("POST_IN", post.id, district.id("c1")),
            Relationship(
                "HOLDS", district.id("p_head_um"), post.id, {"valid_from": PAIRING_CHANGE}
            ),
        ]
    )
    chain = responsibility_chain(store, district.id("b1"), district.id("e1"), "2024-06-01")
    got = [(p.person.id, p.post_type) for p in chain.level("community").in_charge]
    assert got == [(district.id("p_head_um"), "community_grid_leader")]
    before = responsibility_chain(store, district.id("b1"), district.id("e1"), "2023-01-15")
    got = [(p.person.id, p.post_type) for p in before.level("community").in_charge]
    assert got == [(district.id("p_head_ca"), "department_head")]
