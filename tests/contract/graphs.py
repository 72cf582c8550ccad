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
