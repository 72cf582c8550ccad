# mypy: disable-error-code="valid-type, attr-defined, return-value, arg-type, call-overload, misc"
# (strawberry types built at run time from the ontology, and resolvers that return domain
# dataclasses for strawberry to read: sound at run time, opaque to a static checker)
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

# The types read the domain dataclasses directly (strawberry passes them as ``self``).


@strawberry.type(
    name="PostHolding", description="A post and whoever holds it on the day (岗位与任职人)"
)
class PostHoldingType:
    @strawberry.field(description="The post (岗位)")
    def post(self: PostHolding) -> Post:
        return wrap(self.post)

    @strawberry.field(description="Kind of post, e.g. building_leader (岗位类型)")
    def post_type(self: PostHolding) -> str:
        return self.post_type

    @strawberry.field(description="Who holds it on the day; empty when vacant (任职人)")
    def holders(self: PostHolding) -> list[Person]:
        return [wrap(p) for p in self.holders]


@strawberry.type(
    name="CoveringUnit",
    description="An organisation or facility linked to a grid, with its posts (覆盖单位)",
)
class CoveringUnitType:
    @strawberry.field(description="The organisation or facility (单位)")
    def unit(self: CoveringUnit) -> Node:
        return wrap(self.node)

    @strawberry.field(description="The link to the grid, with its dates (关系)")
    def relationship(self: CoveringUnit) -> Relationship:
        return wrap_relationship(self.relationship)

    @strawberry.field(description="The unit's own posts and their holders (岗位)")
    def posts(self: CoveringUnit) -> list[PostHoldingType]:
        return self.posts

    @strawberry.field(description="For a co-construction partner: the agreement (共建协议)")
    def agreement(self: CoveringUnit) -> Agreement | None:
        return wrap(self.agreement) if self.agreement is not None else None


@strawberry.type(
    name="CoverageLevel", description="What covers one grid level of a building (一级网格的覆盖)"
)
class CoverageLevelType:
    @strawberry.field(description="The grid level (网格层级)")
    def level(self: LevelCoverage) -> GridLevelEnum:
        return self.level

    @strawberry.field(description="The grid at this level, null if not recorded (网格)")
    def grid(self: LevelCoverage) -> Grid | None:
        return wrap(self.grid) if self.grid is not None else None

    @strawberry.field(description="Who leads this level, as the seed puts it (网格负责人)")
    def leader(self: LevelCoverage) -> str:
        info = ONTOLOGY.grid_levels[self.level]
        return f"{info.leader} ({info.leader_zh})"

    @strawberry.field(description="The meeting this level convenes (议事协商会议)")
    def meeting(self: LevelCoverage) -> str:
        info = ONTOLOGY.grid_levels[self.level]
        return f"{info.meeting} ({info.meeting_zh}): {info.meeting_purpose}"

    @strawberry.field(
        description="Posts of the grid itself: grid leader, building leader, "
        "police officer, contact leader... (网格岗位)"
    )
    def posts(self: LevelCoverage) -> list[PostHoldingType]:
        return self.posts

    @strawberry.field(
        description="Party organisations covering the grid: building party group, "
        "compound branch, community big party committee (党组织)"
    )
    def party_organizations(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.party_organizations

    @strawberry.field(description="Committees and other bodies covering the grid (委员会等)")
    def committees(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.committees

    @strawberry.field(
        description="Property firm or owners' committee managing the compound (物业或业委会)"
    )
    def managers(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.managers

    @strawberry.field(description="Departments paired with the grid (包联部门)")
    def paired_departments(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.paired_departments

    @strawberry.field(description="Social organisations active here (社会组织)")
    def social_organizations(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.social_organizations

    @strawberry.field(description="Volunteer teams active here (志愿服务队)")
    def volunteer_teams(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.volunteer_teams

    @strawberry.field(description="Every organisation active here, of any kind (活跃组织)")
    def active(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.active

    @strawberry.field(description="Co-construction partners through agreements in force (共建单位)")
    def partners(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.partners

    @strawberry.field(description="Service centres and stations serving the grid (服务设施)")
    def facilities(self: LevelCoverage) -> list[CoveringUnitType]:
        return self.facilities


@strawberry.type(
    name="Coverage",
    description="Everything that covers a building on a day, by grid level (楼栋覆盖)",
)
class CoverageType:
    @strawberry.field(description="The building (楼栋)")
    def building(self: Coverage) -> Building:
        return wrap(self.building)

    @strawberry.field(description="The day the answer holds for (截至日期)")
    def as_of(self: Coverage) -> date:
        return self.as_of

    @strawberry.field(description="The five levels, building first, district last (各级网格)")
    def levels(self: Coverage) -> list[CoverageLevelType]:
        return self.levels

    @strawberry.field(description="One level (某级网格)")
    def level(self: Coverage, level: GridLevelEnum) -> CoverageLevelType:
        return self.level(GridLevel(level))

    @strawberry.field(
        description="Every post of one type at any level, with its holders, e.g. "
        "first_secretary or police_officer (按岗位类型)"
    )
    def holders(self: Coverage, post_type: str) -> list[PostHoldingType]:
        return self.holders_of(post_type)


@strawberry.type
class Query:
    @strawberry.field(
        description="Every unit that covers a building on a day, grouped by grid "
        "level: grids and leaders, party organisations, property managers, paired "
        "department, police officer, active organisations, partners, facilities "
        "(楼栋覆盖查询)"
    )
    def coverage(
        self,
        info: Info,
        building: Annotated[
            strawberry.ID,
            strawberry.argument(description="Building id or exact name (楼栋 id 或完整名称)"),
        ],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    ) -> CoverageType:
        ctx: GraphContext = info.context
        day = ctx.day(as_of)
        bid = typed_id(ctx.store, str(building), "Building")
        return ctx.state.cache.get_or_compute(
            ("coverage", bid, day), lambda: coverage_of_building(ctx.store, bid, day)
        )
