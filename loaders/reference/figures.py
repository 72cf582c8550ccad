"""Every figure of the Qibin reference graph, in one place.

Why one module: the generator builds the graph from these numbers, :mod:`graph.stats` counts
them back from the graph, the tests compare the two, and the gaps report must agree with them.

Each :class:`Figure` records the value as the seed states it (``seed``), whether the seed's
number is exact or "N余" (at least N), the value the generator produces for one district
(``generated``: equal to ``seed`` when exact, at least ``seed`` otherwise), and how
:func:`graph.stats.domain_figures` counts it from the graph. Figures marked ``derived`` are not
in the seed: they follow from it (e.g. buildings without a building leader = 2,988 − 1,589) or
from a documented choice of the generator.

With ``scale=N`` the generator builds N districts of the same shape, so every figure with
``per_district=True`` is multiplied by N.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Number = int | float


@dataclass(frozen=True)
class Figure:
    """One figure: what the seed says, what the generator makes, how the graph shows it."""

    key: str
    label: str
    zh: str
    seed: Number
    generated: Number
    counted: str
    exact: bool = True
    source: Literal["seed", "derived"] = "seed"
    per_district: bool = True

    def expected(self, scale: int = 1) -> Number:
        """The value the generator produces at ``scale``."""
        return self.generated * scale if self.per_district else self.generated

    def satisfied_by(self, value: Number, scale: int = 1) -> bool:
        """Whether a counted value states the seed's figure: equal if exact, else at least."""
        target = self.seed * scale if self.per_district else self.seed
        return value == target if self.exact else value >= target

    @property
    def statement(self) -> str:
        """The figure as the seed words it: ``2,988`` or ``8,400+``."""
        text = f"{self.seed:,}"
        return text if self.exact else text + "+"


# -- generator parameters that are not figures of the seed ------------------------------------
REFERENCE_SEED = "qibin-410611"  # the fixed seed; district k draws from f"{REFERENCE_SEED}/{k}"
QIBIN_CODE = "410611"
SYNTHETIC_CODE_PREFIX = "99"  # GB/T 2260 has no province 99: scaled districts are 99kkkk
URBAN_SUBDISTRICT_COMMUNITIES = (9, 8, 8, 8, 8)  # urban communities per grid subdistrict
VTR_SUBDISTRICT_COMMUNITIES = (3, 3, 3, 3, 3)  # village-to-residence communities per subdistrict
DEPARTMENTS = 44  # district departments (区直单位) generated, each paired with 1 or 2 communities
PROPERTY_FIRMS = 36

F = Figure
# fmt: off
FIGURES: tuple[Figure, ...] = (
    # -- the district ----------------------------------------------------------------------
    F("districts", "districts", "区", 1, 1, "District nodes"),
    F("area_km2", "area in km²", "总面积335平方公里", 335, 335, "sum of District.area_km2"),
    F("population", "population", "总人口55万人", 550_000, 550_000,
      "sum of District.population"),
    F("administrative_villages", "administrative villages", "94个行政村", 94, 94,
      "sum of District.administrative_villages"),
    F("towns_and_subdistricts", "towns and subdistricts", "10个乡镇、街道", 10, 10,
      "Subdistrict nodes"),
    F("grid_subdistricts", "subdistricts running a grid service centre",
      "5个街道网格化社会治理服务中心", 5, 5,
      "subdistricts COVERED by a grid_service_centre ServiceFacility"),
    F("communities", "community grids", "56个社区网格", 56, 56, "Community nodes"),
    F("urban_communities", "urban communities", "41个城市社区", 41, 41,
      "Community nodes with community_type urban"),
    F("village_to_residence_communities", "village-to-residence communities", "15个村改居社区",
      15, 15, "Community nodes with community_type village_to_residence"),
    F("compounds", "compound grids", "312个小区网格", 312, 312, "Compound nodes"),
    F("buildings", "building grids", "2988个楼栋网格", 2988, 2988, "Building nodes"),
    # -- grid leadership -------------------------------------------------------------------
    F("leading_groups", "grid governance leading groups", "网格化社会治理领导小组", 1, 1,
      "LeadingGroup nodes COVERING a District"),
    F("district_contact_leaders", "subdistricts with a contacting district leader",
      "区领导联系到街道网格", 5, 5,
      "subdistricts whose district_contact_leader Post is held as of the day"),
    F("community_grid_leaders", "community grids led by the head of their paired department",
      "区直单位一把手任社区网格长", 56, 56, "communities whose community_grid_leader Post is held "
      "by a person who also holds the department_head Post of a department PAIRED_WITH the "
      "community, all as of the day", source="derived"),
    F("paired_communities", "communities paired with a district department", "机关包联社区",
      56, 56, "communities with a PAIRED_WITH in force", source="derived"),
    F("building_leaders", "building leaders", "楼栋长1589名", 1589, 1589,
      "building_leader Posts held as of the day"),
    F("building_leaders_party_members", "building leaders who are party members",
      "以党员为主体的楼栋长", 795, 1262, "current building leaders with party_member true; the "
      "seed says 'mostly', so at least half of 1,589", exact=False),
    F("buildings_without_leader", "buildings without a building leader", "楼栋长空缺",
      1399, 1399, "buildings whose building_leader Post is not held as of the day",
      source="derived"),
    F("grid_workers", "grid workers", "8400余人的网格员队伍", 8400, 8436,
      "distinct persons holding a grid_worker Post as of the day", exact=False),
    F("grid_worker_sources", "sources grid workers are drawn from", "社区居民、业委会、物业公司、"
      "社区片警、法律顾问…", 8, 8, "distinct HOLDS.drawn_from values of grid_worker posts",
      per_district=False),
    F("grid_worker_roles", "roles of a grid worker", "八大员", 8, 8,
      "distinct roles on grid_worker Posts", per_district=False),
    F("community_police_officers", "communities with a community police officer", "社区片警",
      56, 56, "communities whose police_officer Post is held as of the day", source="derived"),
    # -- departments and events -------------------------------------------------------------
    F("key_units", "key responsible units (the 5 of 1+5+N)", "5家重点责任单位", 5, 5,
      "Department nodes with key_unit true"),
    F("n_departments_named", "N departments the seed names",
      "民政、卫健、文旅、教体、商务、市场监管", 6, 6, "departments of the six named N functions"),
    F("event_categories", "event categories", "9大类", 9, 9, "EventCategory nodes"),
    F("event_types", "event types", "63项事件", 63, 63, "EventType nodes"),
    F("event_types_handled", "event types with a handling department", "事件处置单位", 63, 63,
      "EventType nodes with a HANDLED_BY in force", source="derived"),
    F("response_activations", "three-level response activations since 2022", "启动网格响应机制21次",
      21, 21, "sum of District.response_activations"),
    F("response_days", "days under three-level response since 2022", "350天", 350, 350,
      "sum of District.response_days"),
    F("demonstration_projects", "demonstration projects from the pairing", "示范项目13个", 13, 13,
      "entries of Community.demonstration_projects"),
    F("hard_issues_coordinated", "hard issues coordinated", "重点难点问题2000余件", 2000, 2000,
      "sum of District.hard_issues_coordinated", exact=False),
    # -- party organisation ------------------------------------------------------------------
    F("district_committees", "district party committees", "区委", 1, 1,
      "PartyOrganization level district_committee"),
    F("subdistrict_working_committees", "subdistrict party working committees", "街道党工委", 5, 5,
      "PartyOrganization level subdistrict_working_committee", source="derived"),
    F("committee_secretaries", "district and working committees with a secretary in office",
      "区委书记、街道党工委书记", 6, 6, "district_committee and subdistrict_working_committee "
      "PartyOrganizations whose party_secretary Post is held as of the day", source="derived"),
    F("community_big_committees", "community big party committees", "41个城市社区大党委", 41, 41,
      "PartyOrganization level community_big_committee"),
    F("first_secretaries_heading_departments",
      "big committees whose first secretary heads a district department",
      "区直单位主要负责人担任第一书记", 41, 41,
      "big committees whose first_secretary Post is held by a person who also holds a "
      "department_head Post, as of the day"),
    F("compound_branches", "compound party branches", "小区党支部167个", 167, 167,
      "PartyOrganization level compound_branch"),
    F("compounds_without_branch", "compounds without a party branch", "未建小区党支部",
      145, 145, "compounds not COVERED by a compound_branch", source="derived"),
    F("five_elder_secretaries", "five-elder branch secretaries", "46名“五老”任小区党支部书记",
      46, 46, "branch_secretary Posts held by a person with five_elder true, as of the day"),
    F("building_party_groups", "building party groups", "楼栋党小组", 560, 560,
      "PartyOrganization level building_group; the seed gives no number: the generator makes "
      "560, each in a building of a branch compound whose leader is a party member",
      source="derived"),
    F("provincial_five_star_branches", "provincial five-star branches", "省级“五星”支部2个", 2, 2,
      "PartyOrganization nodes with honour 省级五星支部"),
    F("municipal_five_excellent_communities", "municipal five-excellent communities",
      "市级“五优”社区7个", 7, 7, "Community nodes with honour 市级五优社区"),
    # -- property management -----------------------------------------------------------------
    F("red_property_points", "red property demonstration points", "“红色物业”示范点位16个", 16, 16,
      "Compound nodes with red_property set"),
    F("red_property_city_points", "red property points at city level", "市级示范点位8个", 8, 8,
      "Compound nodes with red_property city"),
    F("red_property_subsidy_yuan", "red property subsidies (yuan)", "奖补资金32万元", 320_000,
      320_000, "sum of District.red_property_subsidy_yuan"),
    F("red_property_leveraged_yuan", "funds leveraged (yuan)", "撬动各类资金600余万元", 6_000_000,
      6_000_000, "sum of District.red_property_leveraged_yuan", exact=False),
    F("owner_managed_compounds", "owner-managed compounds", "70个小区业主自管", 70, 70,
      "compounds MANAGED by an OwnersCommittee as of the day"),
    F("firm_managed_compounds", "compounds managed by a property firm", "专业物业服务", 242, 242,
      "compounds MANAGED by a PropertyFirm as of the day (312 − 70)", source="derived"),
    F("smart_security_compounds", "compounds with smart security", "120个小区部署智慧安防",
      120, 120,
      "Compound nodes with smart_security true"),
    # -- services ----------------------------------------------------------------------------
    F("citizen_service_centres", "district citizen service centres", "区级市民服务中心1个", 1, 1,
      "ServiceFacility citizen_service_centre"),
    F("government_service_centres", "one-stop government service centres",
      "街道一站式政务服务中心5个", 5, 5, "ServiceFacility government_service_centre"),
    F("community_service_stations", "community service stations", "社区便民服务站41个", 41, 41,
      "ServiceFacility community_service_station"),
    F("doorstep_service_stations", "doorstep service stations", "小区家门口服务站143个", 143, 143,
      "ServiceFacility doorstep_service_station"),
    F("grid_service_centres", "subdistrict grid service centres", "街道网格化社会治理服务中心5个",
      5, 5, "ServiceFacility grid_service_centre"),
    F("grid_service_stations", "community grid service stations", "社区网格化社会治理服务站56个",
      56, 56, "ServiceFacility grid_service_station"),
    F("led_screens", "outdoor LED screens", "室外LED全彩大屏25个", 25, 25,
      "sum of District.led_screens"),
    F("service_kiosks", "kiosks and service robots", "一体机、机器人共75台", 75, 75,
      "sum of District.service_kiosks"),
    F("proxy_service_kinds", "kinds of proxy services", "五大类帮办代办服务", 5, 5,
      "sum of District.proxy_service_kinds"),
    # -- residents' self-governance ------------------------------------------------------------
    F("residents_committees", "residents' committees", "居委会", 56, 56,
      "ResidentsCommittee of type residents_committee", source="derived"),
    F("residents_committee_chairs", "residents' committees with a chair in office", "居委会主任",
      56, 56, "residents' committees whose committee_director Post is held as of the day",
      source="derived"),
    F("owners_committee_chairs", "owners' committees with a chair in office", "业委会主任",
      160, 160, "OwnersCommittees whose committee_director Post is held as of the day",
      source="derived"),
    F("residents_subcommittees", "residents'-committee sub-committees", "133个居委会下属委员会",
      133, 133, "ResidentsCommittee of any other type"),
    F("communities_with_subcommittees", "communities with sub-committees", "在27个社区成立",
      27, 27, "communities COVERED by a residents' committee that has a SUBORDINATE_TO "
      "sub-committee"),
    F("resident_representative_teams", "resident-representative teams", "41支居民代表队伍", 41, 41,
      "Community nodes with resident_representatives > 0"),
    F("resident_representatives", "resident representatives", "2000余人", 2000, 2046,
      "sum of Community.resident_representatives", exact=False),
    F("major_matters_consulted", "major matters consulted", "重大事项320次", 320, 320,
      "sum of District.major_matters_consulted"),
    # -- social partners ---------------------------------------------------------------------
    F("registered_social_organisations", "registered social organisations since 2019",
      "登记注册社会组织109家", 109, 109,
      "SocialOrganization registered with registered_on from 2019 to the day"),
    F("social_work_stations", "subdistrict social-work stations", "5个街道社工服务站", 5, 5,
      "SocialOrganization social_work_station"),
    F("community_social_organisations", "community social organisations", "136个社区社会组织",
      136, 136, "SocialOrganization community"),
    F("communities_with_social_organisations", "communities with community social organisations",
      "在29个社区", 29, 29, "communities a community SocialOrganization is ACTIVE_IN"),
    F("vanguard_teams", "vanguard teams", "“先锋团队”100余支", 100, 104,
      "SocialOrganization vanguard_team", exact=False),
    F("volunteer_teams", "volunteer teams", "志愿服务队1000余支", 1000, 1012,
      "VolunteerTeam nodes", exact=False),
    F("volunteer_activities", "volunteer activities", "志愿服务活动2800余次", 2800, 2800,
      "sum of District.volunteer_activities", exact=False),
    F("commended_volunteers", "commended volunteers", "表彰360名优秀社区志愿者", 360, 360,
      "sum of District.commended_volunteers"),
    F("partner_units", "outside units with co-construction agreements",
      "与500余家行政、企事业单位签订联建共建协议", 500, 516,
      "Units PARTY_TO an agreement a subdistrict or community is also party to, both in force on "
      "the day", exact=False),
    F("agreement_subdistricts", "subdistricts with co-construction agreements", "5个街道", 5, 5,
      "Subdistricts PARTY_TO an agreement in force on the day"),
    F("agreement_urban_communities", "urban communities with co-construction agreements",
      "41个城市社区", 41, 41, "urban Communities PARTY_TO an agreement in force on the day"),
    F("joint_meetings", "co-construction joint meetings", "社区联席会议40余次", 40, 40,
      "sum of District.joint_meetings", exact=False),
    F("joint_activities", "joint activities", "服务活动800余次", 800, 800,
      "sum of District.joint_activities", exact=False),
    F("university_masters_interns", "master's interns from the university", "硕士研究生54名",
      54, 54, "sum of Agreement.masters_interns over agreements in force on the day"),
    F("university_undergraduate_interns", "undergraduate interns from the university", "本科生21名",
      21, 21, "sum of Agreement.undergraduate_interns over agreements in force on the day"),
)
# fmt: on

BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}


def figure(key: str) -> Figure:
    return BY_KEY[key]


def generated(key: str) -> int:
    """The integer the generator produces for one district."""
    return int(BY_KEY[key].generated)
