"""Small hand-built graphs for the contract suite: a slice of one district, by hand."""

from __future__ import annotations

from graph.model import Node, Relationship, new_node

DISTRICT = new_node("District", division_code="410611", name="淇滨区")
SUBDISTRICT = new_node("Subdistrict", division_code="410611001", name="黎阳路街道", synthetic=True)
LIYANG = new_node(
    "Community", division_code="410611001001", name="黎阳社区", aliases=["黎阳"],
    community_type="urban",
)  # fmt: skip
DONGFANG = new_node(
    "Community", division_code="410611001002", name="东方社区", community_type="urban"
)
COMPOUND = new_node(
    "Compound", community_code="410611001001", compound_no="001", name="九院合一小区",
    synthetic=True,
)  # fmt: skip
BUILDING_1 = new_node(
    "Building", community_code="410611001001", compound_no="001", building_no="01",
    name="1号楼", synthetic=True,
)  # fmt: skip
BUILDING_2 = new_node(
    "Building", community_code="410611001001", compound_no="001", building_no="02",
    name="2号楼", synthetic=True,
)  # fmt: skip
DEPT_A = new_node("Department", code="urban-management", name="区城市管理局", key_unit=True)
DEPT_B = new_node("Department", code="civil-affairs", name="区民政局", key_unit=False)

GRIDS: list[Node] = [DISTRICT, SUBDISTRICT, LIYANG, DONGFANG, COMPOUND, BUILDING_1, BUILDING_2]

PART_OF: list[Relationship] = [
    Relationship("PART_OF", SUBDISTRICT.id, DISTRICT.id),
    Relationship("PART_OF", LIYANG.id, SUBDISTRICT.id),
    Relationship("PART_OF", DONGFANG.id, SUBDISTRICT.id),
    Relationship("PART_OF", COMPOUND.id, LIYANG.id),
    Relationship("PART_OF", BUILDING_1.id, COMPOUND.id),
    Relationship("PART_OF", BUILDING_2.id, COMPOUND.id),
]

# Department A was paired with 黎阳社区 until the end of 2023, department B from 2024 on.
PAIRING_A = Relationship(
    "PAIRED_WITH", DEPT_A.id, LIYANG.id, {"valid_from": "2021-01-01", "valid_to": "2023-12-31"}
)
PAIRING_B = Relationship("PAIRED_WITH", DEPT_B.id, LIYANG.id, {"valid_from": "2024-01-01"})


def district_slice() -> tuple[list[Node], list[Relationship]]:
    """Grids, two departments and a pairing that changes hands on 2024-01-01."""
    return [*GRIDS, DEPT_A, DEPT_B], [*PART_OF, PAIRING_A, PAIRING_B]


# -- a planner's slice: partners, agreements, posts (for listing requests) -----------------
DEPT_C = new_node("Department", code="health", name="区卫健委", key_unit=False)
UNIT_X = new_node(
    "Unit", uscc="12410000MB0000000X", name="鹤壁职业技术学院", unit_type="institution"
)
UNIT_Y = new_node("Unit", uscc="91410600MA0000000Y", name="淇滨供电公司", unit_type="enterprise")
AG_1 = new_node("Agreement", code="A1", name="黎阳共建", signed_on="2022-03-01", topics=["教育"])
AG_2 = new_node("Agreement", code="A2", name="黎阳电力共建", signed_on="2024-05-01")
AG_3 = new_node("Agreement", code="A3", name="东方共建", signed_on="2023-01-01", topics=["文化"])
LEADER_1 = new_node(
    "Post", post_type="building_leader", code="410611001001-001-01", name="1号楼楼栋长"
)
LEADER_2 = new_node(
    "Post", post_type="building_leader", code="410611001001-001-02", name="2号楼楼栋长"
)
WORKER_2 = new_node("Post", post_type="grid_worker", code="410611001001-001-02", name="2号楼网格员")
PERSON_1 = new_node("Person", code="p1", name="王诚", party_member=True)
PERSON_2 = new_node("Person", code="p2", name="刘宪章", party_member=True)


def _party(party: Node, agreement: Node, role: str, start: str, end: str | None) -> Relationship:
    props = {"role": role, "valid_from": start, **({"valid_to": end} if end else {})}
    return Relationship("PARTY_TO", party.id, agreement.id, props)


def planning_slice() -> tuple[list[Node], list[Relationship]]:
    """The district slice plus what planners filter and count by.

    Pairings on 2024-06-01: 区民政局 → 黎阳; 区卫健委 → 黎阳, 东方 and the subdistrict;
    区城市管理局 none (it held 黎阳 until 2023). Agreements: A1 黎阳 + X (2022-03-01 to
    2024-12-31), A2 黎阳 + Y (from 2024-05-01), A3 东方 + X (2023 only). Building 1's leader
    post is held; building 2's fell vacant after 2023-06-30, and its grid worker is held.
    """
    nodes, rels = district_slice()
    nodes += [DEPT_C, UNIT_X, UNIT_Y, AG_1, AG_2, AG_3, LEADER_1, LEADER_2, WORKER_2]
    nodes += [PERSON_1, PERSON_2]
    since = {"valid_from": "2024-01-01"}
    rels += [
        Relationship("PAIRED_WITH", DEPT_C.id, LIYANG.id, since),
        Relationship("PAIRED_WITH", DEPT_C.id, DONGFANG.id, since),
        Relationship("PAIRED_WITH", DEPT_C.id, SUBDISTRICT.id, since),
        _party(LIYANG, AG_1, "community", "2022-03-01", "2024-12-31"),
        _party(UNIT_X, AG_1, "partner", "2022-03-01", "2024-12-31"),
        _party(LIYANG, AG_2, "community", "2024-05-01", None),
        _party(UNIT_Y, AG_2, "partner", "2024-05-01", None),
        _party(DONGFANG, AG_3, "community", "2023-01-01", "2023-12-31"),
        _party(UNIT_X, AG_3, "partner", "2023-01-01", "2023-12-31"),
        Relationship("POST_IN", LEADER_1.id, BUILDING_1.id),
        Relationship("POST_IN", LEADER_2.id, BUILDING_2.id),
        Relationship("POST_IN", WORKER_2.id, BUILDING_2.id),
        Relationship("HOLDS", PERSON_1.id, LEADER_1.id, {"valid_from": "2020-01-01"}),
        Relationship(
            "HOLDS",
            PERSON_2.id,
            LEADER_2.id,
            {"valid_from": "2020-01-01", "valid_to": "2023-06-30"},
        ),
        Relationship("HOLDS", PERSON_2.id, WORKER_2.id, {"valid_from": "2020-01-01"}),
    ]
    return nodes, rels
