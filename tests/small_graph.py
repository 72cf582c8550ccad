"""A small hand-built governance graph whose answers are known exactly.

One district, one subdistrict, two communities (黎阳社区, 东方社区), two compounds, three
buildings, the posts and people that lead them, a pairing that changes on 2024-07-01
(城管局 until 2024-06-30, then 民政局), a property firm that replaced the owners' committee on
2022-01-01, and three co-construction agreements. All synthetic: the seed names none of them.
"""

from __future__ import annotations

from graph.contract import GraphStore
from graph.model import Node, Relationship, new_node

S = {"synthetic": True}
PAIRING_CHANGE = "2024-07-01"


def _n(kind: str, **props: object) -> Node:
    return new_node(kind, **props, **S)


DISTRICT = _n("District", division_code="410611", name="淇滨区")
SUBDISTRICT = _n("Subdistrict", division_code="410611001", name="九州路街道")
LIYANG = _n("Community", division_code="410611001001", name="黎阳社区", aliases=["黎阳"],
            community_type="urban", population=8200)  # fmt: skip
DONGFANG = _n("Community", division_code="410611001002", name="东方社区", community_type="urban",
              population=6100)  # fmt: skip
QIYUAN = _n("Compound", community_code="410611001001", compound_no="007", name="淇园小区",
            households=240)  # fmt: skip
HUAYUAN = _n("Compound", community_code="410611001002", compound_no="001", name="花园小区",
             households=120)  # fmt: skip
B3 = _n("Building", community_code="410611001001", compound_no="007", building_no="03",
        name="淇园3号楼", floors=6, households=36)  # fmt: skip
B4 = _n("Building", community_code="410611001001", compound_no="007", building_no="04",
        name="淇园4号楼", floors=18, households=72)  # fmt: skip
B1 = _n("Building", community_code="410611001002", compound_no="001", building_no="01",
        name="花园1号楼", floors=5, households=20)  # fmt: skip

CHENGGUAN = _n("Department", code="D01", name="区城市管理局", function="urban_management",
               key_unit=True)  # fmt: skip
MINZHENG = _n("Department", code="D02", name="区民政局", function="civil_affairs")
BUILDING_GROUP = _n("PartyOrganization", level="building_group", code=B3.id.split(":")[1],
                    name="淇园3号楼党小组")  # fmt: skip
BRANCH = _n("PartyOrganization", level="compound_branch", code="410611001001-007",
            name="淇园小区党支部")  # fmt: skip
BIG_COMMITTEE = _n("PartyOrganization", level="community_big_committee", code="410611001001",
                   name="黎阳社区大党委")  # fmt: skip
FIRM = _n("PropertyFirm", uscc="91410611MA00000001", name="鹤壁红色物业有限公司", red_property=True)
OWNERS = _n("OwnersCommittee", community_code="410611001001", compound_no="007",
            name="淇园小区业主委员会")  # fmt: skip
RESIDENTS = _n("ResidentsCommittee", community_code="410611001001",
               committee_type="residents_committee", name="黎阳社区居民委员会")  # fmt: skip
RED_EPAULETTE = _n("SocialOrganization", code="SO01", name="红肩章", org_type="vanguard_team")
WARM_SUN = _n("VolunteerTeam", code="VT01", name="暖阳志愿服务队", members=40)
UNIVERSITY = _n("Unit", uscc="12410000MB0000000U", name="河南师范大学社会事业学院",
                unit_type="university")  # fmt: skip
BANK = _n("Unit", uscc="91410600MA00000002", name="鹤壁某银行", unit_type="enterprise")
ACTIVE_FIRM = _n("Unit", uscc="91410600MA00000003", name="淇滨某科技公司", unit_type="enterprise")
A1 = _n("Agreement", code="A1", name="四合同心", signed_on="2023-01-01", valid_from="2023-01-01",
        valid_to="2025-12-31")  # fmt: skip
A2 = _n("Agreement", code="A2", name="海棠书巷", signed_on="2022-01-01", valid_from="2022-01-01",
        valid_to="2024-12-31")  # fmt: skip
A3 = _n("Agreement", code="A3", name="红领巾驿站", signed_on="2023-06-01", valid_from="2023-06-01",
        valid_to="2026-05-31")  # fmt: skip
STATION = _n("ServiceFacility", code="F01", name="黎阳社区便民服务站",
             facility_type="community_service_station")  # fmt: skip
DOORSTEP = _n("ServiceFacility", code="F02", name="淇园家门口服务站",
              facility_type="doorstep_service_station")  # fmt: skip
CENTRE = _n("ServiceFacility", code="F03", name="九州路街道网格化社会治理服务中心",
            facility_type="grid_service_centre")  # fmt: skip

WANG = _n("Person", code="P01", name="王诚", five_elder=True, party_member=True)
LIU = _n("Person", code="P02", name="刘宪章", five_elder=True, party_member=True)
ZHANG = _n("Person", code="P03", name="张局长", party_member=True)
LI = _n("Person", code="P04", name="李局长", party_member=True)
ZHAO = _n("Person", code="P05", name="赵警官")
QIAN = _n("Person", code="P06", name="钱区长", party_member=True)

BUILDING_LEADER = _n("Post", post_type="building_leader", code=B3.id.split(":")[1], name="楼栋长")
GRID_LEADER = _n("Post", post_type="community_grid_leader", code="410611001001", name="社区网格长")
POLICE = _n("Post", post_type="police_officer", code="410611001001", name="社区片警")
CONTACT = _n("Post", post_type="district_contact_leader", code="410611001", name="联系区领导")
BRANCH_SECRETARY = _n("Post", post_type="branch_secretary", code="410611001001-007",
                      name="小区党支部书记")  # fmt: skip
FIRST_SECRETARY = _n("Post", post_type="first_secretary", code="410611001001", name="第一书记")
HEAD_D01 = _n("Post", post_type="department_head", code="D01", name="局长")
HEAD_D02 = _n("Post", post_type="department_head", code="D02", name="局长")

NODES = [v for v in list(globals().values()) if isinstance(v, Node)]

BEFORE, AFTER = {"valid_to": "2024-06-30"}, {"valid_from": PAIRING_CHANGE}


def _r(type_: str, source: Node, target: Node, **props: object) -> Relationship:
    return Relationship(type_, source.id, target.id, {**props, **S})


RELATIONSHIPS = [
    _r("PART_OF", SUBDISTRICT, DISTRICT),
    _r("PART_OF", LIYANG, SUBDISTRICT),
    _r("PART_OF", DONGFANG, SUBDISTRICT),
    _r("PART_OF", QIYUAN, LIYANG),
    _r("PART_OF", HUAYUAN, DONGFANG),
    _r("PART_OF", B3, QIYUAN),
    _r("PART_OF", B4, QIYUAN),
    _r("PART_OF", B1, HUAYUAN),
    _r("PAIRED_WITH", CHENGGUAN, LIYANG, valid_from="2021-01-01", **BEFORE),
    _r("PAIRED_WITH", MINZHENG, LIYANG, **AFTER),
    _r("PAIRED_WITH", CHENGGUAN, DONGFANG, valid_from="2024-07-01"),
    _r("POST_IN", BUILDING_LEADER, B3),
    _r("POST_IN", GRID_LEADER, LIYANG),
    _r("POST_IN", POLICE, LIYANG),
    _r("POST_IN", CONTACT, SUBDISTRICT),
    _r("POST_IN", BRANCH_SECRETARY, BRANCH),
    _r("POST_IN", FIRST_SECRETARY, BIG_COMMITTEE),
    _r("POST_IN", HEAD_D01, CHENGGUAN),
    _r("POST_IN", HEAD_D02, MINZHENG),
    _r("HOLDS", WANG, BUILDING_LEADER, valid_from="2020-01-01"),
    _r("HOLDS", LIU, BRANCH_SECRETARY, valid_from="2019-05-01"),
    _r("HOLDS", ZHANG, GRID_LEADER, valid_from="2021-01-01", **BEFORE),
    _r("HOLDS", LI, GRID_LEADER, **AFTER),
    _r("HOLDS", ZHANG, FIRST_SECRETARY, valid_from="2021-01-01", **BEFORE),
    _r("HOLDS", LI, FIRST_SECRETARY, **AFTER),
    _r("HOLDS", ZHANG, HEAD_D01),
    _r("HOLDS", LI, HEAD_D02),
    _r("HOLDS", ZHAO, POLICE, valid_from="2022-03-01", drawn_from="police"),
    _r("HOLDS", QIAN, CONTACT),
    _r("COVERS", BUILDING_GROUP, B3),
    _r("COVERS", BRANCH, QIYUAN),
    _r("COVERS", BIG_COMMITTEE, LIYANG),
    _r("COVERS", RESIDENTS, LIYANG),
    _r("COVERS", STATION, LIYANG),
    _r("COVERS", DOORSTEP, QIYUAN),
    _r("COVERS", CENTRE, SUBDISTRICT),
    _r("MANAGES", OWNERS, QIYUAN, valid_from="2015-01-01", valid_to="2021-12-31"),
    _r("MANAGES", FIRM, QIYUAN, valid_from="2022-01-01", contract_no="WY-2022-007"),
    _r("ACTIVE_IN", RED_EPAULETTE, LIYANG),
    _r("ACTIVE_IN", WARM_SUN, LIYANG, valid_from="2023-03-05"),
    _r("ACTIVE_IN", ACTIVE_FIRM, LIYANG),
    _r("PARTY_TO", LIYANG, A1, role="community"),
    _r("PARTY_TO", UNIVERSITY, A1, role="partner"),
    _r("PARTY_TO", DONGFANG, A2, role="community"),
    _r("PARTY_TO", UNIVERSITY, A2, role="partner"),
    _r("PARTY_TO", LIYANG, A3, role="community"),
    _r("PARTY_TO", BANK, A3, role="partner"),
]


def seed_small_graph(store: GraphStore) -> None:
    """Write the small graph into ``store`` in one unit of work."""
    with store.transaction() as tx:
        tx.upsert_nodes(NODES)
        tx.upsert_relationships(RELATIONSHIPS)
