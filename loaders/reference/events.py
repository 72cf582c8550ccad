"""The event catalogue: 9 categories and 63 event types (9大类63项事件清单).

The seed gives only the counts. This catalogue is a plausible urban grid catalogue, built from
the seed's own areas (city management, public safety, disputes, livelihood services,
emergencies) and the usual digital urban-management practice; it is synthetic and documented
as such in docs/reference-graph.md. Each type lists its handling departments by function (a
key unit of 1+5+N has role ``key``, any other department role ``n``) and the grid level that
handles it by default. A loader can replace it.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import Node
from loaders.reference.builder import DistrictBuild
from loaders.reference.governance import Governance
from loaders.reference.timeline import CATALOGUE_ADOPTED
from schema.vocab import DepartmentFunction as F


@dataclass(frozen=True)
class EventSpec:
    zh: str
    en: str
    level: str  # building, compound, community, subdistrict or district
    handlers: tuple[F, ...]


UM, MW, SA, LA, PM = (
    F.URBAN_MANAGEMENT,
    F.MUNICIPAL_WORKS,
    F.SANITATION,
    F.LANDSCAPING,
    F.PROPERTY_MANAGEMENT,
)
CA, HE, CT, ED, CO, MR = (
    F.CIVIL_AFFAIRS,
    F.HEALTH,
    F.CULTURE_TOURISM,
    F.EDUCATION_SPORTS,
    F.COMMERCE,
    F.MARKET_REGULATION,
)
PS, EM, HO, EE, HR, JU = (
    F.PUBLIC_SECURITY,
    F.EMERGENCY_MANAGEMENT,
    F.HOUSING,
    F.ECOLOGY_ENVIRONMENT,
    F.HUMAN_RESOURCES,
    F.JUSTICE,
)

E = EventSpec
CATALOGUE: tuple[tuple[str, str, tuple[EventSpec, ...]], ...] = (
    ("市容环境", "city appearance and environment", (
        E("暴露垃圾", "exposed rubbish", "compound", (SA,)),
        E("垃圾桶满溢", "overflowing bins", "compound", (SA, PM)),
        E("楼道杂物堆放", "clutter in stairwells", "building", (PM, EM)),
        E("违规张贴小广告", "illegal flyers", "compound", (UM,)),
        E("建筑垃圾乱倒", "dumped construction waste", "community", (UM, SA)),
        E("道路不洁", "dirty roads", "community", (SA,)),
        E("公厕管理问题", "public toilet problems", "community", (SA,)),
    )),
    ("街面秩序", "street order", (
        E("占道经营", "street vending", "community", (UM, MR)),
        E("店外经营", "business outside the shop", "community", (UM,)),
        E("乱停乱放", "disorderly parking", "compound", (UM, PS)),
        E("违章搭建", "illegal construction", "community", (UM, HO)),
        E("噪声扰民", "noise nuisance", "compound", (UM, EE, PS)),
        E("露天烧烤", "open-air barbecue", "community", (UM, EE)),
        E("户外广告设施隐患", "unsafe outdoor advertising", "subdistrict", (UM,)),
    )),
    ("市政设施", "municipal facilities", (
        E("井盖缺失破损", "missing or broken manhole cover", "community", (MW,)),
        E("道路破损", "damaged road surface", "community", (MW,)),
        E("路灯故障", "street light out", "community", (MW,)),
        E("排水管道堵塞", "blocked drain", "compound", (MW, PM)),
        E("道路积水内涝", "waterlogged road", "subdistrict", (MW, EM)),
        E("供水供暖故障", "water or heating failure", "compound", (MW, HO)),
        E("交通设施损坏", "damaged traffic facility", "community", (MW, PS)),
    )),
    ("园林绿化", "landscaping", (
        E("绿地损毁", "damaged green space", "compound", (LA,)),
        E("树木倒伏", "fallen tree", "community", (LA, EM)),
        E("毁绿种菜", "vegetables grown on green space", "compound", (LA, UM)),
        E("绿化带垃圾", "rubbish in a green belt", "community", (LA, SA)),
        E("行道树修剪", "street tree pruning", "community", (LA,)),
        E("公园设施损坏", "damaged park facility", "subdistrict", (LA, CT)),
        E("园林病虫害", "plant pests", "subdistrict", (LA,)),
    )),
    ("物业管理", "property management", (
        E("物业服务质量投诉", "complaint about property service", "compound", (PM, HO)),
        E("电梯故障", "lift failure", "building", (PM, MR)),
        E("房屋漏水", "leaking roof or pipes", "building", (PM, HO)),
        E("维修基金使用", "use of the maintenance fund", "community", (PM, HO)),
        E("门禁监控故障", "access control or CCTV failure", "compound", (PM, PS)),
        E("弃管小区管理", "compound abandoned by its manager", "subdistrict", (PM, HO)),
        E("电动车违规充电", "unsafe e-bike charging", "building", (PM, EM)),
    )),
    ("公共安全", "public safety hazards", (
        E("消防通道堵塞", "blocked fire lane", "compound", (PM, EM)),
        E("燃气安全隐患", "gas hazard", "building", (MW, EM)),
        E("危房隐患", "dangerous building", "community", (HO, PM)),
        E("高空坠物隐患", "risk of falling objects", "building", (PM, HO)),
        E("食品安全隐患", "food safety hazard", "community", (MR, UM)),
        E("治安隐患", "public order hazard", "compound", (PS, PM)),
        E("安全生产隐患", "work safety hazard", "subdistrict", (EM, UM)),
    )),
    ("矛盾纠纷", "disputes", (
        E("邻里纠纷", "neighbour dispute", "building", (JU, PM)),
        E("家庭婚姻纠纷", "family or marriage dispute", "building", (JU, CA)),
        E("物业与业主矛盾", "dispute between owners and property firm", "compound", (PM, JU)),
        E("劳资纠纷", "wage dispute", "community", (HR, JU)),
        E("征收安置纠纷", "expropriation and resettlement dispute", "subdistrict", (HO, UM)),
        E("消费纠纷", "consumer dispute", "community", (MR, CO)),
        E("群体性诉求苗头", "signs of a collective petition", "district", (JU, PS, CA)),
    )),
    ("民生服务", "livelihood services", (
        E("困难老人帮扶", "help for needy elderly", "community", (CA,)),
        E("残疾人帮办代办", "proxy services for the disabled", "community", (CA,)),
        E("就医健康服务", "health care needs", "community", (HE,)),
        E("入学就学需求", "school enrolment", "subdistrict", (ED,)),
        E("社区文体活动场地", "venue for culture and sports", "community", (CT, ED)),
        E("便民消费网点", "convenience shops", "subdistrict", (CO, MR)),
        E("就业社保服务", "jobs and social insurance", "community", (HR,)),
    )),
    ("应急处置", "emergencies", (
        E("防汛险情", "flood danger", "district", (EM, MW, LA)),
        E("疫情防控", "epidemic control", "district", (HE, UM)),
        E("火灾事故", "fire", "subdistrict", (EM, PS)),
        E("极端天气灾害", "extreme weather damage", "district", (EM, MW, LA)),
        E("突发公共卫生事件", "public health emergency", "district", (HE, MR)),
        E("创文创卫集中攻坚", "city-wide civility and hygiene campaign", "district", (UM, SA, LA)),
        E("重大安全事故", "major accident", "district", (EM, PS)),
    )),
)  # fmt: skip


def build_event_catalogue(b: DistrictBuild, gov: Governance) -> None:
    """Categories and types with IN_CATEGORY and HANDLED_BY to this district's departments."""
    for c, (zh, en, types) in enumerate(CATALOGUE, start=1):
        category = b.node("EventCategory", code=f"{b.code}-{c:02d}", name=zh, aliases=[en])
        for t, spec in enumerate(types, start=1):
            event_type = b.node(
                "EventType",
                code=f"{b.code}-{c:02d}-{t:02d}",
                name=spec.zh,
                aliases=[spec.en],
                response_level=spec.level,
            )
            b.rel("IN_CATEGORY", event_type, category)
            for function in spec.handlers:
                dept: Node = gov.by_function[function.value]
                role = "key" if dept.props["key_unit"] else "n"
                b.rel("HANDLED_BY", event_type, dept, role=role, valid_from=CATALOGUE_ADOPTED)
