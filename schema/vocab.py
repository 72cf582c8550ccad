"""Controlled vocabularies: the closed lists of values that properties draw from."""

from __future__ import annotations

from enum import StrEnum


class PartyLevel(StrEnum):
    """The five levels of the party organisation (五级党建组织架构)."""

    DISTRICT_COMMITTEE = "district_committee"  # 区委
    SUBDISTRICT_WORKING_COMMITTEE = "subdistrict_working_committee"  # 街道党工委
    COMMUNITY_BIG_COMMITTEE = "community_big_committee"  # 社区大党委
    COMPOUND_BRANCH = "compound_branch"  # 小区党支部
    BUILDING_GROUP = "building_group"  # 楼栋党小组


class PostType(StrEnum):
    """Positions that exist apart from whoever holds them (Popolo's Post)."""

    LEADING_GROUP_HEAD = "leading_group_head"  # 网格化社会治理领导小组组长
    DISTRICT_CONTACT_LEADER = "district_contact_leader"  # 联系街道的区领导
    SUBDISTRICT_GRID_LEADER = "subdistrict_grid_leader"  # 街道网格长
    COMMUNITY_GRID_LEADER = "community_grid_leader"  # 社区网格长 (区直单位一把手)
    COMPOUND_GRID_LEADER = "compound_grid_leader"  # 小区网格长
    BUILDING_LEADER = "building_leader"  # 楼栋长
    DEPARTMENT_HEAD = "department_head"  # 区直单位一把手
    PARTY_SECRETARY = "party_secretary"  # 书记 (working committee, big committee)
    FIRST_SECRETARY = "first_secretary"  # 社区大党委第一书记
    BRANCH_SECRETARY = "branch_secretary"  # 小区党支部书记
    GROUP_LEADER = "group_leader"  # 楼栋党小组组长
    POLICE_OFFICER = "police_officer"  # 社区片警
    LEGAL_ADVISER = "legal_adviser"  # 法律顾问
    GRID_WORKER = "grid_worker"  # 网格员
    COMMITTEE_DIRECTOR = "committee_director"  # 居委会主任 / 业委会主任


class GridWorkerRole(StrEnum):
    """The eight roles a grid worker plays (八大员)."""

    FIGHTER = "fighter"  # 战斗员
    MEDIATOR = "mediator"  # 调解员
    INVESTIGATOR = "investigator"  # 调查员
    GUARDIAN = "guardian"  # 守护员
    HAZARD_INSPECTOR = "hazard_inspector"  # 排查员
    PATROLLER = "patroller"  # 巡逻员
    PUBLICIST = "publicist"  # 宣传员
    SERVANT = "servant"  # 服务员


class CadreRole(StrEnum):
    """The three roles of department cadres (三大员)."""

    GUIDE = "guide"  # 指导员
    COORDINATOR = "coordinator"  # 协调员
    FIGHTER = "fighter"  # 战斗员


class DepartmentFunction(StrEnum):
    """What a district department does; the first five are the key units of "1+5+N"."""

    URBAN_MANAGEMENT = "urban_management"  # 城管
    MUNICIPAL_WORKS = "municipal_works"  # 市政
    SANITATION = "sanitation"  # 环卫
    LANDSCAPING = "landscaping"  # 园林
    PROPERTY_MANAGEMENT = "property_management"  # 物业
    CIVIL_AFFAIRS = "civil_affairs"  # 民政
    HEALTH = "health"  # 卫健
    CULTURE_TOURISM = "culture_tourism"  # 文旅
    EDUCATION_SPORTS = "education_sports"  # 教体
    COMMERCE = "commerce"  # 商务
    MARKET_REGULATION = "market_regulation"  # 市场监管
    PUBLIC_SECURITY = "public_security"  # 公安
    EMERGENCY_MANAGEMENT = "emergency_management"  # 应急管理
    HOUSING = "housing"  # 住建
    ECOLOGY_ENVIRONMENT = "ecology_environment"  # 生态环境
    HUMAN_RESOURCES = "human_resources"  # 人社
    JUSTICE = "justice"  # 司法
    GRID_GOVERNANCE = "grid_governance"  # 城市社会治理和社区服务局
    GENERAL = "general"  # other district bodies


KEY_FIVE: tuple[DepartmentFunction, ...] = (
    DepartmentFunction.URBAN_MANAGEMENT,
    DepartmentFunction.MUNICIPAL_WORKS,
    DepartmentFunction.SANITATION,
    DepartmentFunction.LANDSCAPING,
    DepartmentFunction.PROPERTY_MANAGEMENT,
)

# The N departments the seed names for the "5+N" service model
# (民政、卫健、文旅、教体、商务、市场监管).
SEED_N: tuple[DepartmentFunction, ...] = (
    DepartmentFunction.CIVIL_AFFAIRS,
    DepartmentFunction.HEALTH,
    DepartmentFunction.CULTURE_TOURISM,
    DepartmentFunction.EDUCATION_SPORTS,
    DepartmentFunction.COMMERCE,
    DepartmentFunction.MARKET_REGULATION,
)


class UnitType(StrEnum):
    """Kinds of outside co-construction partner (驻区单位)."""

    GOVERNMENT = "government"  # 行政机关
    ENTERPRISE = "enterprise"  # 企业
    INSTITUTION = "institution"  # 事业单位
    UNIVERSITY = "university"  # 高校
    OTHER = "other"


class SocialOrgType(StrEnum):
    REGISTERED = "registered"  # 登记注册社会组织
    SOCIAL_WORK_STATION = "social_work_station"  # 街道社工服务站
    COMMUNITY = "community"  # 社区社会组织
    VANGUARD_TEAM = "vanguard_team"  # 先锋团队


class CommitteeType(StrEnum):
    """Residents' committees and the sub-committees under them (居委会下属委员会)."""

    RESIDENTS_COMMITTEE = "residents_committee"  # 居民委员会
    MEDIATION = "mediation"  # 人民调解委员会
    SECURITY = "security"  # 治安保卫委员会
    SOCIAL_SECURITY = "social_security"  # 社会保障委员会
    PUBLIC_HEALTH = "public_health"  # 公共卫生委员会
    ENVIRONMENT_PROPERTY = "environment_property"  # 环境和物业管理委员会
    WOMEN_CHILDREN = "women_children"  # 妇女和儿童工作委员会
    CULTURE_EDUCATION = "culture_education"  # 文化教育委员会
    ELDERLY = "elderly"  # 养老服务委员会


class FacilityType(StrEnum):
    CITIZEN_SERVICE_CENTRE = "citizen_service_centre"  # 区级市民服务中心
    GOVERNMENT_SERVICE_CENTRE = "government_service_centre"  # 街道一站式政务服务中心
    COMMUNITY_SERVICE_STATION = "community_service_station"  # 社区便民服务站
    DOORSTEP_SERVICE_STATION = "doorstep_service_station"  # 小区家门口服务站
    GRID_SERVICE_CENTRE = "grid_service_centre"  # 街道网格化社会治理服务中心
    GRID_SERVICE_STATION = "grid_service_station"  # 社区网格化社会治理服务站


class ManagementMode(StrEnum):
    PROPERTY_FIRM = "property_firm"  # 专业物业
    OWNERS = "owners"  # 业主自管
    NONE = "none"  # 无人管理


class AgreementRole(StrEnum):
    COMMUNITY = "community"
    SUBDISTRICT = "subdistrict"
    PARTNER = "partner"
    DISTRICT = "district"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


# Chinese labels of vocabulary values, accepted in spreadsheet cells instead of the English value
# (the first label is the one templates and docs show). Keyed by value: where two vocabularies
# share a value (``community``), both labels are listed and either is accepted.
CHOICE_ZH: dict[str, tuple[str, ...]] = {
    # PartyLevel
    "district_committee": ("区委",),
    "subdistrict_working_committee": ("街道党工委",),
    "community_big_committee": ("社区大党委",),
    "compound_branch": ("小区党支部",),
    "building_group": ("楼栋党小组",),
    # PostType
    "leading_group_head": ("领导小组组长",),
    "district_contact_leader": ("联系街道的区领导", "联系区领导"),
    "subdistrict_grid_leader": ("街道网格长",),
    "community_grid_leader": ("社区网格长",),
    "compound_grid_leader": ("小区网格长",),
    "building_leader": ("楼栋长",),
    "department_head": ("区直单位一把手", "单位负责人"),
    "party_secretary": ("书记", "党组织书记"),
    "first_secretary": ("第一书记",),
    "branch_secretary": ("支部书记", "小区党支部书记"),
    "group_leader": ("党小组组长",),
    "police_officer": ("社区片警", "片警"),
    "legal_adviser": ("法律顾问",),
    "grid_worker": ("网格员",),
    "committee_director": ("主任", "居委会主任", "业委会主任"),
    # DepartmentFunction
    "urban_management": ("城管",),
    "municipal_works": ("市政",),
    "sanitation": ("环卫",),
    "landscaping": ("园林",),
    "property_management": ("物业",),
    "civil_affairs": ("民政",),
    "health": ("卫健",),
    "culture_tourism": ("文旅",),
    "education_sports": ("教体",),
    "commerce": ("商务",),
    "market_regulation": ("市场监管",),
    "public_security": ("公安",),
    "emergency_management": ("应急管理",),
    "housing": ("住建",),
    "ecology_environment": ("生态环境",),
    "human_resources": ("人社",),
    "justice": ("司法",),
    "grid_governance": ("社会治理", "城市社会治理和社区服务局"),
    "general": ("其他", "综合"),
    # UnitType
    "government": ("行政机关", "机关"),
    "enterprise": ("企业",),
    "institution": ("事业单位",),
    "university": ("高校", "大学"),
    "other": ("其他",),
    # SocialOrgType, AgreementRole
    "registered": ("登记注册社会组织", "登记注册"),
    "social_work_station": ("社工服务站", "街道社工服务站"),
    "community": ("社区", "社区社会组织"),
    "vanguard_team": ("先锋团队",),
    "partner": ("共建单位",),
    # CommitteeType
    "residents_committee": ("居民委员会", "居委会"),
    "mediation": ("人民调解委员会",),
    "security": ("治安保卫委员会",),
    "social_security": ("社会保障委员会",),
    "public_health": ("公共卫生委员会",),
    "environment_property": ("环境和物业管理委员会",),
    "women_children": ("妇女和儿童工作委员会",),
    "culture_education": ("文化教育委员会",),
    "elderly": ("养老服务委员会",),
    # FacilityType
    "citizen_service_centre": ("市民服务中心",),
    "government_service_centre": ("一站式政务服务中心", "政务服务中心"),
    "community_service_station": ("社区便民服务站", "便民服务站"),
    "doorstep_service_station": ("家门口服务站",),
    "grid_service_centre": ("网格化社会治理服务中心",),
    "grid_service_station": ("网格化社会治理服务站",),
    # ManagementMode
    "property_firm": ("专业物业", "物业公司"),
    "owners": ("业主自管",),
    "none": ("无人管理",),
    # Choices declared inline in schema/kinds.py and schema/relations.py
    "subdistrict": ("街道",),
    "town": ("乡镇", "镇"),
    "urban": ("城市社区",),
    "village_to_residence": ("村改居社区", "村改居"),
    "city": ("市级",),
    "district": ("区", "区级"),
    "compound": ("小区",),
    "building": ("楼栋",),
    "female": ("女",),
    "male": ("男",),
    "key": ("重点责任单位", "重点"),
    "n": ("其他部门", "N"),
    "loaded": ("已导入",),
    "partial": ("部分导入",),
}
