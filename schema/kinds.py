"""The node kinds of the governance graph, declared once.

Keys: grids use division codes (GB/T 2260 statistical codes, 12 digits for a community) and
numbers within their parent; organisations with a legal identity use the unified social credit
code; everything else uses a registry code. Names in code are English, Chinese names are data.
"""

from __future__ import annotations

from schema.ontology import GridLevel, NodeKind, Prop
from schema.ontology import PropType as T
from schema.vocab import (
    CommitteeType,
    DepartmentFunction,
    FacilityType,
    ManagementMode,
    PartyLevel,
    PostType,
    SocialOrgType,
    UnitType,
    values,
)

GRID = "Grid"
ORGANIZATION = "Organization"

_CODE = Prop("code", description="Registry code, unique within the kind", zh="编号", required=True)
_USCC = Prop(
    "uscc",
    description="Unified social credit code (统一社会信用代码, GB 32100-2015)",
    zh="统一社会信用代码",
    required=True,
    headers=("信用代码", "社会信用代码"),
)
_DIVISION = Prop(
    "division_code",
    description="Administrative division code (GB/T 2260, statistical extension)",
    zh="区划代码",
    required=True,
    headers=("行政区划代码",),
)
_COMMUNITY_CODE = Prop(
    "community_code", description="Division code of the community", zh="社区代码", required=True
)
_COMPOUND_NO = Prop(
    "compound_no",
    description="Number of the compound within its community",
    zh="小区编号",
    required=True,
)
_BUILDING_NO = Prop(
    "building_no",
    description="Number of the building within its compound",
    zh="楼栋编号",
    required=True,
)
_PHONE = Prop(
    "contact_phone",
    description="Contact phone number, as written (personal data)",
    zh="联系电话",
    headers=("电话", "手机", "手机号", "手机号码", "联系方式"),
    personal=True,
)
_POPULATION = Prop("population", T.INT, description="Residents", zh="人口")
_AREA = Prop("area_km2", T.FLOAT, description="Area in square kilometres", zh="面积")

DISTRICT = NodeKind(
    "District",
    "区",
    "A county-level district; the top grid (区级网格), led by the grid governance leading group.",
    key=("division_code",),
    grid_level=GridLevel.DISTRICT,
    interfaces=(GRID,),
    props=(
        _DIVISION,
        _POPULATION,
        _AREA,
        Prop("administrative_villages", T.INT, "Administrative villages (行政村)", "行政村数"),
        Prop("led_screens", T.INT, "Outdoor LED screens (室外LED全彩大屏)", "LED大屏数"),
        Prop("service_kiosks", T.INT, "Kiosks and service robots (一体机、机器人)", "一体机数"),
        Prop(
            "response_activations",
            T.INT,
            "Three-level response activations since 2022 (三级响应启动次数)",
            "响应启动次数",
        ),
        Prop("response_days", T.INT, "Days under three-level response since 2022", "响应天数"),
        Prop(
            "proxy_service_kinds",
            T.INT,
            "Kinds of proxy services for the elderly, disabled and needy (帮办代办服务类别)",
            "帮办代办类别数",
        ),
        Prop(
            "hard_issues_coordinated",
            T.INT,
            "Hard issues coordinated through the pairing (协调处理重点难点问题)",
            "协调难点问题数",
        ),
        Prop(
            "red_property_subsidy_yuan",
            T.INT,
            "Subsidies paid to red property points (奖补资金)",
            "奖补资金",
        ),
        Prop(
            "red_property_leveraged_yuan",
            T.INT,
            "Funds leveraged by the subsidies (撬动资金)",
            "撬动资金",
        ),
        Prop(
            "major_matters_consulted",
            T.INT,
            "Major matters resident representatives were consulted on (重大事项)",
            "居民代表参与重大事项数",
        ),
        Prop(
            "volunteer_activities",
            T.INT,
            "Volunteer service activities (志愿服务活动)",
            "志愿服务活动数",
        ),
        Prop(
            "commended_volunteers", T.INT, "Volunteers commended (优秀社区志愿者)", "表彰志愿者数"
        ),
        Prop(
            "joint_meetings", T.INT, "Co-construction joint meetings (社区联席会议)", "联席会议数"
        ),
        Prop(
            "joint_activities",
            T.INT,
            "Joint activities with co-construction units (共建活动)",
            "共建活动数",
        ),
    ),
)

SUBDISTRICT = NodeKind(
    "Subdistrict",
    "街道/乡镇",
    "A subdistrict or town (街道、乡镇); the five urban subdistricts run grid service centres.",
    key=("division_code",),
    grid_level=GridLevel.SUBDISTRICT,
    interfaces=(GRID,),
    props=(
        _DIVISION,
        Prop(
            "subdistrict_type",
            description="subdistrict (街道) or town (乡镇)",
            zh="类型",
            choices=("subdistrict", "town"),
        ),
        Prop("runs_grid", T.BOOL, "Runs a grid service centre (网格化社会治理服务中心)", "网格化"),
        _POPULATION,
    ),
)

COMMUNITY = NodeKind(
    "Community",
    "社区",
    "An urban or village-to-residence community (城市社区、村改居社区); one community grid each.",
    key=("division_code",),
    grid_level=GridLevel.COMMUNITY,
    interfaces=(GRID,),
    props=(
        _DIVISION,
        Prop(
            "community_type",
            description="urban (城市社区) or village_to_residence (村改居社区)",
            zh="社区类型",
            choices=("urban", "village_to_residence"),
        ),
        _POPULATION,
        Prop(
            "demonstration_projects",
            T.STRINGS,
            "Demonstration projects built with the paired department (包联示范项目), e.g. 光影小巷",
            "示范项目",
        ),
        Prop("honours", T.STRINGS, "Titles won, e.g. five-excellent community (五优社区)", "荣誉"),
        Prop(
            "resident_representatives", T.INT, "Resident representatives (居民代表)", "居民代表数"
        ),
    ),
)

COMPOUND = NodeKind(
    "Compound",
    "小区",
    "A residential compound; a micro-grid (小区微网格) under its community.",
    key=("community_code", "compound_no"),
    grid_level=GridLevel.COMPOUND,
    interfaces=(GRID,),
    synonyms=(("name", ("小区名称",)),),
    props=(
        _COMMUNITY_CODE,
        _COMPOUND_NO,
        Prop(
            "management_mode",
            description="Who manages the compound",
            zh="管理方式",
            choices=values(ManagementMode),
        ),
        Prop(
            "red_property",
            description="Red property demonstration point (红色物业示范点): city or district level",
            zh="红色物业示范",
            choices=("city", "district"),
        ),
        Prop("smart_security", T.BOOL, "Has a smart security system (智慧安防)", "智慧安防"),
        Prop("households", T.INT, "Households", "户数"),
    ),
)

BUILDING = NodeKind(
    "Building",
    "楼栋",
    "A residential building; the smallest grid (楼栋网格), led by a building leader.",
    key=("community_code", "compound_no", "building_no"),
    grid_level=GridLevel.BUILDING,
    interfaces=(GRID,),
    synonyms=(("building_no", ("楼栋号", "楼号", "栋号", "楼栋")),),
    props=(
        _COMMUNITY_CODE,
        _COMPOUND_NO,
        _BUILDING_NO,
        Prop("floors", T.INT, "Floors", "层数"),
        Prop("households", T.INT, "Households", "户数"),
    ),
)

LEADING_GROUP = NodeKind(
    "LeadingGroup",
    "领导小组",
    "A leading group, e.g. the district grid governance leading group (网格化社会治理领导小组).",
    key=("code",),
    interfaces=(ORGANIZATION,),
    props=(_CODE,),
)

DEPARTMENT = NodeKind(
    "Department",
    "区直单位",
    "A district department (区直单位); paired with communities (机关包联社区), its head leads the "
    "community grid. The 1+5+N functional units are departments.",
    key=("code",),
    interfaces=(ORGANIZATION,),
    props=(
        _CODE,
        Prop(
            "function",
            description="What the department does",
            zh="职能",
            choices=values(DepartmentFunction),
        ),
        Prop("key_unit", T.BOOL, "One of the five key responsible units of 1+5+N", "重点责任单位"),
        Prop("uscc", description="Unified social credit code", zh="统一社会信用代码"),
        Prop(
            "rating",
            description="Latest annual grid governance rating (e.g. advanced 先进)",
            zh="考核等次",
        ),
    ),
)

PARTY_ORGANIZATION = NodeKind(
    "PartyOrganization",
    "党组织",
    "A party organisation at one of five levels "
    "(区委、街道党工委、社区大党委、小区党支部、楼栋党小组).",
    key=("level", "code"),
    interfaces=(ORGANIZATION,),
    props=(
        Prop(
            "level",
            description="Level in the party organisation",
            zh="层级",
            choices=values(PartyLevel),
            required=True,
        ),
        Prop("code", description="Code of the grid it serves", zh="编号", required=True),
        Prop(
            "honours", T.STRINGS, "Titles won, e.g. provincial five-star branch (五星支部)", "荣誉"
        ),
    ),
)

PROPERTY_FIRM = NodeKind(
    "PropertyFirm",
    "物业公司",
    "A property management firm (物业服务企业).",
    key=("uscc",),
    interfaces=(ORGANIZATION,),
    props=(
        _USCC,
        Prop("red_property", T.BOOL, "Recognised as red property (红色物业)", "红色物业"),
    ),
)

OWNERS_COMMITTEE = NodeKind(
    "OwnersCommittee",
    "业主委员会",
    "The owners' committee of a compound (业委会); manages it where no firm does (业主自管).",
    key=("community_code", "compound_no"),
    interfaces=(ORGANIZATION,),
    props=(
        _COMMUNITY_CODE,
        _COMPOUND_NO,
        Prop("red", T.BOOL, "A red owners' committee (红色业委会)", "红色业委会"),
    ),
)

RESIDENTS_COMMITTEE = NodeKind(
    "ResidentsCommittee",
    "居民委员会",
    "A community residents' committee (居委会) or one of its sub-committees (下属委员会).",
    key=("community_code", "committee_type"),
    interfaces=(ORGANIZATION,),
    props=(
        _COMMUNITY_CODE,
        Prop(
            "committee_type",
            description="The committee or sub-committee",
            zh="委员会类型",
            choices=values(CommitteeType),
            required=True,
        ),
    ),
)

SOCIAL_ORGANIZATION = NodeKind(
    "SocialOrganization",
    "社会组织",
    "A social organisation: registered (登记注册), a social-work station (社工服务站), a community "
    "social organisation (社区社会组织) or a vanguard team (先锋团队).",
    key=("code",),
    interfaces=(ORGANIZATION,),
    synonyms=(("name", ("组织名称", "社会组织名称")),),
    props=(
        Prop(
            "code",
            description="USCC for registered organisations, else a registry code",
            zh="编号",
            required=True,
        ),
        Prop(
            "org_type",
            description="Kind of social organisation",
            zh="组织类型",
            choices=values(SocialOrgType),
        ),
        Prop("registered_on", T.DATE, "Registration date", "登记日期"),
        Prop(
            "contact",
            description="Contact person",
            zh="联系人",
            headers=("负责人",),
            personal=True,
        ),
        _PHONE,
    ),
)

VOLUNTEER_TEAM = NodeKind(
    "VolunteerTeam",
    "志愿服务队",
    "A volunteer service team (志愿服务队).",
    key=("code",),
    interfaces=(ORGANIZATION,),
    synonyms=(("name", ("队伍名称", "服务队名称", "志愿队名称")),),
    props=(
        _CODE,
        Prop("theme", description="What the team does", zh="服务内容", headers=("服务项目",)),
        Prop("members", T.INT, "Members", "人数", headers=("队员人数", "成员人数")),
        Prop(
            "contact",
            description="Contact person",
            zh="联系人",
            headers=("队长", "负责人"),
            personal=True,
        ),
        _PHONE,
    ),
)

UNIT = NodeKind(
    "Unit",
    "共建单位",
    "An outside unit in co-construction (联建共建): government body, enterprise, institution or "
    "university.",
    key=("uscc",),
    interfaces=(ORGANIZATION,),
    props=(
        _USCC,
        Prop("unit_type", description="Kind of unit", zh="单位类型", choices=values(UnitType)),
        Prop("address", description="Address", zh="地址"),
    ),
)

AGREEMENT = NodeKind(
    "Agreement",
    "共建协议",
    "A co-construction agreement (联建共建协议) with its parties, dates and topics.",
    key=("code",),
    props=(
        Prop(
            "code",
            description="Agreement number; when blank, derived from the partner and the day signed",
            zh="协议编号",
            required=True,
            headers=("合同编号",),
        ),
        Prop("signed_on", T.DATE, "Date signed", "签订日期", headers=("签约日期", "签订时间")),
        Prop(
            "valid_from",
            T.DATE,
            "First day in force; the day signed when blank",
            "生效日期",
            headers=("合同起始日期", "起始日期", "开始日期"),
        ),
        Prop(
            "valid_to",
            T.DATE,
            "Last day in force; 长期, 至今 or a dash: open",
            "有效期至",
            headers=("合同终止日期", "截止日期", "到期日期", "终止日期"),
            ordered=True,  # agreementsExpiring pages through agreements by the day they end
        ),
        Prop(
            "topics",
            T.STRINGS,
            "What the parties do together",
            "共建内容",
            headers=("共建项目", "合作内容"),
        ),
        Prop(
            "contact",
            description="Contact person",
            zh="联系人",
            headers=("负责人",),
            personal=True,
        ),
        _PHONE,
        Prop(
            "masters_interns",
            T.INT,
            "Master's students placed as interns (硕士研究生实习)",
            "硕士实习生数",
        ),
        Prop(
            "undergraduate_interns",
            T.INT,
            "Undergraduates placed as interns (本科生实习)",
            "本科实习生数",
        ),
    ),
)

PERSON = NodeKind(
    "Person",
    "人员",
    "A person who holds posts. Reference-graph people are synthetic except the named five elders.",
    key=("code",),
    synonyms=(("name", ("姓名",)),),
    props=(
        _CODE,
        Prop("party_member", T.BOOL, "Member of the party", "党员", headers=("是否党员",)),
        Prop("five_elder", T.BOOL, "One of the trusted 'five elders' (五老)", "五老"),
        Prop("gender", description="Gender", zh="性别", choices=("female", "male")),
        _PHONE,
    ),
)

POST = NodeKind(
    "Post",
    "岗位",
    "A position that exists apart from whoever holds it "
    "(grid leader, building leader, secretary...).",
    key=("post_type", "code"),
    props=(
        Prop(
            "post_type",
            description="Kind of post",
            zh="岗位类型",
            choices=values(PostType),
            required=True,
        ),
        Prop(
            "code",
            description="Code of the grid or organisation, with a number if several",
            zh="编号",
            required=True,
        ),
        Prop("roles", T.STRINGS, "Roles the post plays (八大员, 三大员)", "角色"),
    ),
)

SERVICE_FACILITY = NodeKind(
    "ServiceFacility",
    "服务设施",
    "A service centre or station: citizen service centre, one-stop government service centre, "
    "community service station, doorstep station, grid service centre or station.",
    key=("code",),
    props=(
        _CODE,
        Prop(
            "facility_type",
            description="Kind of facility",
            zh="设施类型",
            choices=values(FacilityType),
        ),
    ),
)

EVENT_CATEGORY = NodeKind(
    "EventCategory",
    "事件大类",
    "One of the nine categories of the grid event list (9大类63项事件清单).",
    key=("code",),
    props=(_CODE,),
)

EVENT_TYPE = NodeKind(
    "EventType",
    "事件类型",
    "One of the 63 event types a grid answers for, with its default response level.",
    key=("code",),
    props=(
        _CODE,
        Prop(
            "response_level",
            description="Grid level that handles it by default",
            zh="响应层级",
            choices=tuple(g.value for g in GridLevel),
        ),
    ),
)

IMPORT_RUN = NodeKind(
    "ImportRun",
    "导入记录",
    "One load of a spreadsheet into the graph (导入日志): what file, which load kinds, when "
    "(``loaded_at``), by whom (``loaded_by``) and what it changed. Kept in the store so that "
    "admins can query the history.",
    key=("code",),
    props=(
        Prop(
            "code", description="Run id: load time and a hash of the file", zh="编号", required=True
        ),
        Prop("file", description="File name as given", zh="文件"),
        Prop("load_kinds", T.STRINGS, "Load kinds of the sheets that were loaded", "导入类型"),
        Prop(
            "status",
            description="loaded (every row) or partial (invalid rows skipped)",
            zh="状态",
            choices=("loaded", "partial"),
        ),
        Prop("rows", T.INT, "Data rows read", "行数"),
        Prop("rows_loaded", T.INT, "Rows written or found unchanged", "导入行数"),
        Prop("rows_invalid", T.INT, "Rows refused by validation and skipped", "无效行数"),
        Prop("rows_skipped", T.INT, "Rows skipped: on-conflict skip, template example", "跳过行数"),
        Prop("nodes_created", T.INT, "Nodes created", "新建节点"),
        Prop("nodes_updated", T.INT, "Nodes updated", "更新节点"),
        Prop("nodes_unchanged", T.INT, "Nodes found as given", "未变节点"),
        Prop("relationships_created", T.INT, "Relationships created", "新建关系"),
        Prop("relationships_updated", T.INT, "Relationships updated", "更新关系"),
        Prop("relationships_unchanged", T.INT, "Relationships found as given", "未变关系"),
        Prop(
            "relationships_removed",
            T.INT,
            "Links removed because a corrected file no longer gives them",
            "删除关系",
        ),
        Prop(
            "changes",
            description="JSON: every record updated or removed, with its values before and "
            "after (the audit trail of the load)",
            zh="变更明细",
        ),
    ),
)


ALL_KINDS: tuple[NodeKind, ...] = (
    DISTRICT, SUBDISTRICT, COMMUNITY, COMPOUND, BUILDING,
    LEADING_GROUP, DEPARTMENT, PARTY_ORGANIZATION, PROPERTY_FIRM, OWNERS_COMMITTEE,
    RESIDENTS_COMMITTEE, SOCIAL_ORGANIZATION, VOLUNTEER_TEAM, UNIT, AGREEMENT,
    PERSON, POST, SERVICE_FACILITY, EVENT_CATEGORY, EVENT_TYPE, IMPORT_RUN,
)  # fmt: skip
