"""District departments (区直单位): the 1+5+N functional units and the other bodies.

Only the grid governance bureau is named in the seed (it wrote the report); the other names
follow the usual naming of a district's bodies and are marked synthetic.
"""

from __future__ import annotations

from schema.vocab import KEY_FIVE, DepartmentFunction

F = DepartmentFunction

# (name after the district name, function); the first five are the key units of 1+5+N, the next
# six are the N departments the seed names, then other bodies up to 44.
DEPARTMENTS: tuple[tuple[str, DepartmentFunction], ...] = (
    ("城市管理局", F.URBAN_MANAGEMENT),
    ("市政工程管理中心", F.MUNICIPAL_WORKS),
    ("环境卫生管理中心", F.SANITATION),
    ("园林绿化中心", F.LANDSCAPING),
    ("物业管理服务中心", F.PROPERTY_MANAGEMENT),
    ("民政局", F.CIVIL_AFFAIRS),
    ("卫生健康委员会", F.HEALTH),
    ("文化广电和旅游局", F.CULTURE_TOURISM),
    ("教育体育局", F.EDUCATION_SPORTS),
    ("商务局", F.COMMERCE),
    ("市场监督管理局", F.MARKET_REGULATION),
    ("公安分局", F.PUBLIC_SECURITY),
    ("应急管理局", F.EMERGENCY_MANAGEMENT),
    ("住房和城乡建设局", F.HOUSING),
    ("生态环境分局", F.ECOLOGY_ENVIRONMENT),
    ("人力资源和社会保障局", F.HUMAN_RESOURCES),
    ("司法局", F.JUSTICE),
    ("城市社会治理和社区服务局", F.GRID_GOVERNANCE),
    ("委办公室", F.GENERAL),
    ("政府办公室", F.GENERAL),
    ("委组织部", F.GENERAL),
    ("委宣传部", F.GENERAL),
    ("委统战部", F.GENERAL),
    ("委政法委员会", F.GENERAL),
    ("纪委监委", F.GENERAL),
    ("发展和改革委员会", F.GENERAL),
    ("财政局", F.GENERAL),
    ("审计局", F.GENERAL),
    ("统计局", F.GENERAL),
    ("自然资源局", F.GENERAL),
    ("农业农村局", F.GENERAL),
    ("水利局", F.GENERAL),
    ("交通运输局", F.GENERAL),
    ("退役军人事务局", F.GENERAL),
    ("医疗保障局", F.GENERAL),
    ("信访局", F.GENERAL),
    ("总工会", F.GENERAL),
    ("妇女联合会", F.GENERAL),
    ("残疾人联合会", F.GENERAL),
    ("科学技术和工业信息化局", F.GENERAL),
    ("机关事务服务中心", F.GENERAL),
    ("人大常委会办公室", F.GENERAL),
    ("政协办公室", F.GENERAL),
    ("团委", F.GENERAL),
)


# The everyday short names people use for a department (城管, 民政, 卫健…): the seed's own words
# for the 1+5+N units, the usual ones for the others. They become the department's aliases.
SHORT_NAMES: dict[DepartmentFunction, str] = {
    F.URBAN_MANAGEMENT: "城管", F.MUNICIPAL_WORKS: "市政", F.SANITATION: "环卫",
    F.LANDSCAPING: "园林", F.PROPERTY_MANAGEMENT: "物业", F.CIVIL_AFFAIRS: "民政",
    F.HEALTH: "卫健", F.CULTURE_TOURISM: "文旅", F.EDUCATION_SPORTS: "教体", F.COMMERCE: "商务",
    F.MARKET_REGULATION: "市场监管", F.PUBLIC_SECURITY: "公安", F.EMERGENCY_MANAGEMENT: "应急",
    F.HOUSING: "住建", F.ECOLOGY_ENVIRONMENT: "生态环境", F.HUMAN_RESOURCES: "人社",
    F.JUSTICE: "司法", F.GRID_GOVERNANCE: "社区服务局",
}  # fmt: skip


def short_names(function: DepartmentFunction) -> list[str] | None:
    """A department's aliases: its short name and the short name with 局 (城管, 城管局)."""
    short = SHORT_NAMES.get(function)
    if short is None:
        return None
    return [short] if short.endswith("局") else [short, f"{short}局"]


def is_key(function: DepartmentFunction) -> bool:
    return function in KEY_FIVE
