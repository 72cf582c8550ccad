"""``coverage(building, asOf)``: every unit that covers a building, grouped by grid level.

The answer is computed by :func:`graph.queries.coverage.coverage_of_building` and cached per
store version, building and day, so a repeated question costs no store call beyond the version
check; the types below only read the cached dataclasses.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.context import GraphContext
from api.inline import inline_when_kept
from api.types import (
    AS_OF_HELP,
    Agreement,
    Building,
    Grid,
    GridLevelEnum,
    Node,
    Person,
    Post,
    Relationship,
    wrap,
    wrap_relationship,
)
from graph.queries.coverage import (
    Coverage,
    CoveringUnit,
    LevelCoverage,
    PostHolding,
    coverage_of_building,
)
from graph.queries.resolve import typed_id
from schema import ONTOLOGY
from schema.ontology import GridLevel

# The types read the domain dataclasses directly: strawberry passes each as the resolvers'
# parent (``root``), and ``graphql_type`` names the GraphQL type a dataclass is served as.


@strawberry.type(
    name="PostHolding", description="A post and whoever holds it on the day (岗位与任职人)"
)
class PostHoldingType:
    @strawberry.field(description="The post (岗位)")
    @staticmethod
    def post(root: strawberry.Parent[PostHolding]) -> Post:
        return wrap(root.post)

    @strawberry.field(description="Kind of post, e.g. building_leader (岗位类型)")
    @staticmethod
    def post_type(root: strawberry.Parent[PostHolding]) -> str:
        return root.post_type

    @strawberry.field(description="Who holds it on the day; empty when vacant (任职人)")
    @staticmethod
    def holders(root: strawberry.Parent[PostHolding]) -> list[Person]:
        return [wrap(p) for p in root.holders]


@strawberry.type(
    name="CoveringUnit",
    description="An organisation or facility linked to a grid, with its posts (覆盖单位)",
)
class CoveringUnitType:
    @strawberry.field(description="The organisation or facility (单位)")
    @staticmethod
    def unit(root: strawberry.Parent[CoveringUnit]) -> Node:
        return wrap(root.node)

    @strawberry.field(description="The link to the grid, with its dates (关系)")
    @staticmethod
    def relationship(root: strawberry.Parent[CoveringUnit]) -> Relationship:
        return wrap_relationship(root.relationship)

    @strawberry.field(
        graphql_type=list[PostHoldingType],
        description="The unit's own posts and their holders (岗位)",
    )
    @staticmethod
    def posts(root: strawberry.Parent[CoveringUnit]) -> tuple[PostHolding, ...]:
        return root.posts

    @strawberry.field(description="For a co-construction partner: the agreement (共建协议)")
    @staticmethod
    def agreement(root: strawberry.Parent[CoveringUnit]) -> Agreement | None:
        return wrap(root.agreement) if root.agreement is not None else None


@strawberry.type(
    name="CoverageLevel", description="What covers one grid level of a building (一级网格的覆盖)"
)
class CoverageLevelType:
    @strawberry.field(description="The grid level (网格层级)")
    @staticmethod
    def level(root: strawberry.Parent[LevelCoverage]) -> GridLevelEnum:
        return root.level

    @strawberry.field(description="The grid at this level, null if not recorded (网格)")
    @staticmethod
    def grid(root: strawberry.Parent[LevelCoverage]) -> Grid | None:
        return wrap(root.grid) if root.grid is not None else None

    @strawberry.field(description="Who leads this level, as the seed puts it (网格负责人)")
    @staticmethod
    def leader(root: strawberry.Parent[LevelCoverage]) -> str:
        info = ONTOLOGY.grid_levels[root.level]
        return f"{info.leader} ({info.leader_zh})"

    @strawberry.field(description="The meeting this level convenes (议事协商会议)")
    @staticmethod
    def meeting(root: strawberry.Parent[LevelCoverage]) -> str:
        info = ONTOLOGY.grid_levels[root.level]
        return f"{info.meeting} ({info.meeting_zh}): {info.meeting_purpose}"

    @strawberry.field(
        graphql_type=list[PostHoldingType],
        description="Posts of the grid itself: grid leader, building leader, "
        "police officer, contact leader... (网格岗位)",
    )
    @staticmethod
    def posts(root: strawberry.Parent[LevelCoverage]) -> tuple[PostHolding, ...]:
        return root.posts

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Party organisations covering the grid: building party group, "
        "compound branch, community big party committee (党组织)",
    )
    @staticmethod
    def party_organizations(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.party_organizations

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Committees and other bodies covering the grid (委员会等)",
    )
    @staticmethod
    def committees(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.committees

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Property firm or owners' committee managing the compound (物业或业委会)",
    )
    @staticmethod
    def managers(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.managers

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Departments paired with the grid (包联部门)",
    )
    @staticmethod
    def paired_departments(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.paired_departments

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Social organisations active here (社会组织)",
    )
    @staticmethod
    def social_organizations(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.social_organizations

    @strawberry.field(
        graphql_type=list[CoveringUnitType], description="Volunteer teams active here (志愿服务队)"
    )
    @staticmethod
    def volunteer_teams(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.volunteer_teams

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Every organisation active here, of any kind (活跃组织)",
    )
    @staticmethod
    def active(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.active

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Co-construction partners through agreements in force (共建单位)",
    )
    @staticmethod
    def partners(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.partners

    @strawberry.field(
        graphql_type=list[CoveringUnitType],
        description="Service centres and stations serving the grid (服务设施)",
    )
    @staticmethod
    def facilities(root: strawberry.Parent[LevelCoverage]) -> tuple[CoveringUnit, ...]:
        return root.facilities


@strawberry.type(
    name="Coverage",
    description="Everything that covers a building on a day, by grid level (楼栋覆盖)",
)
class CoverageType:
    @strawberry.field(description="The building (楼栋)")
    @staticmethod
    def building(root: strawberry.Parent[Coverage]) -> Building:
        return wrap(root.building)

    @strawberry.field(description="The day the answer holds for (截至日期)")
    @staticmethod
    def as_of(root: strawberry.Parent[Coverage]) -> date:
        return root.as_of

    @strawberry.field(
        graphql_type=list[CoverageLevelType],
        description="The five levels, building first, district last (各级网格)",
    )
    @staticmethod
    def levels(root: strawberry.Parent[Coverage]) -> tuple[LevelCoverage, ...]:
        return root.levels

    @strawberry.field(graphql_type=CoverageLevelType, description="One level (某级网格)")
    @staticmethod
    def level(root: strawberry.Parent[Coverage], level: GridLevelEnum) -> LevelCoverage:
        return root.level(GridLevel(level))

    @strawberry.field(
        graphql_type=list[PostHoldingType],
        description="Every post of one type at any level, with its holders, e.g. "
        "first_secretary or police_officer (按岗位类型)",
    )
    @staticmethod
    def holders(root: strawberry.Parent[Coverage], post_type: str) -> list[PostHolding]:
        return root.holders_of(post_type)


@strawberry.type
class Query:
    @strawberry.field(
        graphql_type=CoverageType,
        description="Every unit that covers a building on a day, grouped by grid "
        "level: grids and leaders, party organisations, property managers, paired "
        "department, police officer, active organisations, partners, facilities "
        "(楼栋覆盖查询)",
    )
    @inline_when_kept  # a repeat is a look-up in the state's cache
    def coverage(
        self,
        info: Info,
        building: Annotated[
            strawberry.ID,
            strawberry.argument(description="Building id or exact name (楼栋 id 或完整名称)"),
        ],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    ) -> Coverage:
        ctx: GraphContext = info.context
        day = ctx.day(as_of)
        bid = typed_id(ctx.store, str(building), "Building")
        return ctx.state.cache.get_or_compute(
            ("coverage", bid, day), lambda: coverage_of_building(ctx.store, bid, day)
        )
