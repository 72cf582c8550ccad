"""The relationship types of the governance graph, with the kinds they may connect."""

from __future__ import annotations

from schema.kinds import ALL_KINDS, GRID, ORGANIZATION
from schema.ontology import Prop, RelType
from schema.vocab import AgreementRole, values

#: The kinds that declare the interface, in declaration order: a new organisation kind is one
#: that says it is an Organization, and every relationship an organisation may have follows.
GRIDS = tuple(k.name for k in ALL_KINDS if GRID in k.interfaces)
ORGS = tuple(k.name for k in ALL_KINDS if ORGANIZATION in k.interfaces)

PART_OF = RelType(
    "PART_OF",
    "隶属",
    "A grid lies inside the grid one level up (building → compound → community → subdistrict → "
    "district).",
    sources=("Subdistrict", "Community", "Compound", "Building"),
    targets=("District", "Subdistrict", "Community", "Compound"),
)

PAIRED_WITH = RelType(
    "PAIRED_WITH",
    "包联",
    "A district department is paired with a community (机关包联社区); its head is the community "
    "grid leader and it shares accountability for the community (分包责任).",
    sources=("Department",),
    targets=("Community", "Subdistrict"),
    synonyms=(("valid_from", ("包联时间", "包联日期", "包联起始时间")),),
    temporal=True,
)

DEPARTMENT_OF = RelType(
    "DEPARTMENT_OF",
    "所属区",
    "A department belongs to a district's government (区直单位): its key units are the five "
    "key responsible units (1+5+N) that the district's community grids can convene.",
    sources=("Department",),
    targets=("District",),
)

POST_IN = RelType(
    "POST_IN",
    "岗位所属",
    "A post belongs to a grid or an organisation (e.g. the building leader post of a building).",
    sources=("Post",),
    targets=(*GRIDS, *ORGS),
)

HOLDS = RelType(
    "HOLDS",
    "任职",
    "A person holds a post for a period (Popolo Membership with a post).",
    sources=("Person",),
    targets=("Post",),
    props=(
        Prop(
            "drawn_from",
            description="Where a grid worker comes from: residents, owners' "
            "committee, property firm, police, legal adviser, department, subdistrict, community",
            zh="人员来源",
        ),
    ),
    synonyms=(("valid_from", ("任职时间", "任职日期", "任职起始时间")),),
    temporal=True,
)

MEMBER_OF = RelType(
    "MEMBER_OF",
    "成员",
    "A person is a member or staff of an organisation for a period.",
    sources=("Person",),
    targets=ORGS,
    temporal=True,
)

SUBORDINATE_TO = RelType(
    "SUBORDINATE_TO",
    "下级",
    "An organisation reports to another: a party organisation to the one a level up, a "
    "sub-committee to its residents' committee, a leading group's office to the group.",
    sources=("PartyOrganization", "ResidentsCommittee", "SocialOrganization", "Department"),
    targets=("PartyOrganization", "ResidentsCommittee", "LeadingGroup", "Department"),
)

COVERS = RelType(
    "COVERS",
    "覆盖",
    "An organisation or facility serves a grid: the party organisation of a grid, the residents' "
    "or owners' committee of a community or compound, a service station, a leading group.",
    sources=(*ORGS, "ServiceFacility"),
    targets=GRIDS,
    temporal=True,
)

MANAGES = RelType(
    "MANAGES",
    "物业管理",
    "A property firm manages a compound under contract, or its owners manage it themselves "
    "(业主自管).",
    sources=("PropertyFirm", "OwnersCommittee"),
    targets=("Compound",),
    props=(Prop("contract_no", description="Property service contract number", zh="合同编号"),),
    synonyms=(
        ("valid_from", ("合同起始日期", "服务起始日期")),
        ("valid_to", ("合同终止日期", "合同截止日期", "服务截止日期")),
    ),
    temporal=True,
)

ACTIVE_IN = RelType(
    "ACTIVE_IN",
    "服务社区",
    "A social organisation, volunteer team or unit is active in a community or subdistrict.",
    sources=("SocialOrganization", "VolunteerTeam", "Unit", "PropertyFirm"),
    targets=("Community", "Subdistrict", "District"),
    temporal=True,
)

PARTY_TO = RelType(
    "PARTY_TO",
    "协议方",
    "A party signed a co-construction agreement (联建共建), as community, subdistrict or partner.",
    sources=("Community", "Subdistrict", "District", *ORGS),
    targets=("Agreement",),
    props=(
        Prop(
            "role",
            description="Side of the agreement",
            zh="协议角色",
            choices=values(AgreementRole),
        ),
    ),
    temporal=True,
)

HANDLED_BY = RelType(
    "HANDLED_BY",
    "处置单位",
    "An event type is handled by a functional department: one of the five key units or one of "
    "the N departments (1+5+N).",
    sources=("EventType",),
    targets=("Department",),
    props=(
        Prop(
            "role",
            description="key (one of the five key units) or n",
            zh="角色",
            choices=("key", "n"),
        ),
    ),
    temporal=True,
)

IN_CATEGORY = RelType(
    "IN_CATEGORY",
    "所属大类",
    "An event type belongs to one of the nine categories.",
    sources=("EventType",),
    targets=("EventCategory",),
)

ALL_RELATIONS: tuple[RelType, ...] = (
    PART_OF, DEPARTMENT_OF, PAIRED_WITH, POST_IN, HOLDS, MEMBER_OF, SUBORDINATE_TO, COVERS, MANAGES,
    ACTIVE_IN, PARTY_TO, HANDLED_BY, IN_CATEGORY,
)  # fmt: skip
