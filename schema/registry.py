"""The one ontology instance, assembled from the declarations."""

from __future__ import annotations

from schema.kinds import ALL_KINDS
from schema.ontology import GridLevel, GridLevelInfo, Ontology
from schema.relations import ALL_RELATIONS

GRID_LEVELS: tuple[GridLevelInfo, ...] = (
    GridLevelInfo(
        GridLevel.DISTRICT,
        "区级网格",
        "grid governance leading group",
        "网格化社会治理领导小组",
        "grid dispatch meeting",
        "网格调度会",
        "especially major situations (特别重大情况)",
    ),
    GridLevelInfo(
        GridLevel.SUBDISTRICT,
        "街道网格",
        "district leader who contacts the subdistrict",
        "联系街道的区领导",
        "grid analysis meeting",
        "网格研判会",
        "difficult situations (疑难情况)",
    ),
    GridLevelInfo(
        GridLevel.COMMUNITY,
        "社区网格",
        "community grid leader, head of the paired department",
        "社区网格长(区直单位一把手)",
        "grid joint meeting",
        "网格联席会",
        "concentrated efforts (集中攻坚)",
    ),
    GridLevelInfo(
        GridLevel.COMPOUND,
        "小区微网格",
        "compound party branch secretary, property firm or owners",
        "小区党支部书记、物业或业主",
        "grid deliberation meeting",
        "网格议事会",
        "resolving conflicts (协调处理矛盾)",
    ),
    GridLevelInfo(
        GridLevel.BUILDING,
        "楼栋网格",
        "building leader",
        "楼栋长",
        "bench meeting",
        "板凳会",
        "asking residents' opinions (征求居民意见)",
    ),
)

ONTOLOGY = Ontology.build(ALL_KINDS, ALL_RELATIONS, GRID_LEVELS)
