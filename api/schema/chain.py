"""``responsibilityChain(building, eventType, asOf)`` and ``gaps(asOf)``: who answers for an
event at a building, level by level, and the planner's list of missing links.

The answers are computed by :func:`graph.queries.chain.responsibility_chains` and
:func:`graph.queries.gaps.find_gaps`; the types below only read their dataclasses. Chains go
through a per-request DataLoader keyed by (building, event type, day): every chain asked in
one request (aliases, or many clients' questions batched by a gateway) costs ONE call of
``responsibility_chains`` per day asked, i.e. a fixed number of store calls. The district's
gap report is computed once per interval of change days (the days on which a link begins or
ends: :class:`graph.queries.gaps.KeptGaps`), brought forward by each write to the grids it
touches, and paged from memory.

The enums (kinds of gap, gap levels, unit roles, handler roles, routing stages) are derived
from the domain enums and the ontology, never listed here by hand.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.context import GraphContext
from api.inline import inline_when_kept
from api.limits import check_page_size
from api.schema.lists import PageInfo, decode_cursor, encode_cursor
from api.state import ApiState
from api.types import (
    AS_OF_HELP,
    Building,
    Community,
    Department,
    EventCategory,
    EventType,
    Grid,
    GridLevelEnum,
    LeadingGroup,
    Node,
    Organization,
    PartyOrganization,
    Person,
    Post,
    describe,
    graphql_enum,
    wrap,
)
from graph.bulk import gc_paused
from graph.errors import GridGraphError, NodeNotFound
from graph.model import Node as StoreNode
from graph.queries.chain import (
    ChainLevel,
    Handler,
    Meeting,
    ResponsibilityChain,
    RoutingStep,
    Stage,
    responsibility_chains,
)
from graph.queries.gaps import GapReport, GapRow, KeptGaps, relabel_gap
from graph.queries.grid_links import (
    EVENT_LEVEL,
    GAP_DESCRIPTIONS,
    ConvenableUnit,
    Gap,
    GapKind,
    PartyOrgAtLevel,
    PersonInCharge,
)
from graph.queries.resolve import typed_id
from schema import ONTOLOGY
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER, UnitRole

DEFAULT_GAP_PAGE = 100


# -- enums, derived from the domain's -------------------------------------------------------
_UNIT_ROLE_NOTES = {
    UnitRole.PROPERTY_FIRM: "The property firm managing the compound (物业公司)",
    UnitRole.OWNERS_COMMITTEE: "The owners' committee managing the compound itself (业委会自管)",
    UnitRole.PAIRED_DEPARTMENT: "The department paired with the community: the 1 of 1+5+N "
    "(包联单位)",
    UnitRole.KEY_UNIT: "One of the five key responsible units: the 5 of 1+5+N (五个重点责任单位)",
    UnitRole.N_DEPARTMENT: "A further department that handles the event type: the N of 1+5+N "
    "(N个职能部门)",
}
_ROLE_PROP = next(p for p in ONTOLOGY.relations["HANDLED_BY"].props if p.name == "role")
_HANDLER_ROLE_NOTES = {
    "key": "One of the five key responsible units (五个重点责任单位)",
    "n": "One of the N further functional departments (N个职能部门)",
}
_STAGE_NOTES = {
    Stage.TERRITORY: "The grids from the building up to the response level (属地)",
    Stage.OWNER: "Whoever manages the compound: property firm or owners' committee (权属)",
    Stage.HANDLER: "The functional departments that handle the event type (1+5+N 处置)",
    Stage.ESCALATION: "The levels above the response level, each by its meeting (逐级上报)",
}

if TYPE_CHECKING:

    class GapKindEnum(Enum):
        """Static face: one member per kind of gap (graph.queries.chain's GapKind)."""

    class GapLevelEnum(Enum):
        """Static face: one member per chain level, and the event type."""

    class UnitRoleEnum(Enum):
        """Static face: one member per unit role (UnitRole)."""

    class HandlerRoleEnum(Enum):
        """Static face: one member per handler role of HANDLED_BY."""

    class StageEnum(Enum):
        """Static face: one member per routing stage (Stage)."""

else:
    GapKindEnum = graphql_enum(
        "GapKind",
        ((k.name, k.value, GAP_DESCRIPTIONS[k]) for k in GapKind),
        "Kinds of missing link in a responsibility chain (缺失环节类型)",
    )
    GapLevelEnum = graphql_enum(
        "GapLevel",
        [
            *(
                (lvl.name, lvl.value, f"The {lvl.value} grid ({ONTOLOGY.grid_kind(lvl).zh})")
                for lvl in CHAIN_ORDER
            ),
            (EVENT_LEVEL.upper(), EVENT_LEVEL, "The event type itself (事件类型)"),
        ],
        "Where a missing link lies: one of the five grid levels, or the event type (缺失所在层级)",
    )
    UnitRoleEnum = graphql_enum(
        "UnitRole",
        ((r.name, r.value, _UNIT_ROLE_NOTES.get(r)) for r in UnitRole),
        "Why a grid may convene a unit (可召集单位的角色)",
    )
    HandlerRoleEnum = graphql_enum(
        "HandlerRole",
        ((c.upper(), c, _HANDLER_ROLE_NOTES.get(c)) for c in _ROLE_PROP.choices),
        describe(f"Role of a handling department: {_ROLE_PROP.description}", _ROLE_PROP.zh),
    )
    StageEnum = graphql_enum(
        "RoutingStage",
        ((s.name, s.value, _STAGE_NOTES.get(s)) for s in Stage),
        "Stages of routing an event: the territory answers first, then the owner (属地优先)",
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- gaps -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GapView:
    """A gap with the node that lacks the link and, for a grid, its community."""

    gap: Gap
    node: StoreNode
    community: StoreNode | None

    @property
    def cursor_key(self) -> str:
        return _cursor_key(self.gap)


@strawberry.type(
    name="Gap",
    description="A missing link on the day: never a silently shorter chain (缺失环节)",
)
class GapType:
    @strawberry.field(description="What is missing (缺失类型)")
    @staticmethod
    def kind(root: strawberry.Parent[GapView]) -> GapKindEnum:
        return GapKindEnum[root.gap.what.name]

    @strawberry.field(description="Where it is missing: a grid level, or the event type (层级)")
    @staticmethod
    def level(root: strawberry.Parent[GapView]) -> GapLevelEnum:
        return GapLevelEnum(root.gap.level)

    @strawberry.field(description="Why, naming the node and the day (原因)")
    @staticmethod
    def reason(root: strawberry.Parent[GapView]) -> str:
        return root.gap.reason

    @strawberry.field(description="What the kind of gap means (缺失说明)")
    @staticmethod
    def description(root: strawberry.Parent[GapView]) -> str:
        return GAP_DESCRIPTIONS[root.gap.what]

    @strawberry.field(description="The grid or event type that lacks the link (缺失节点)")
    @staticmethod
    def node(root: strawberry.Parent[GapView]) -> Node:
        return wrap(root.node)

    @strawberry.field(
        description="The community the grid lies in (itself for a community); null above "
        "the community level and for the event type (所属社区)"
    )
    @staticmethod
    def community(root: strawberry.Parent[GapView]) -> Community | None:
        return wrap(root.community) if root.community is not None else None


# -- the chain ------------------------------------------------------------------------------
@strawberry.type(
    name="PersonInCharge",
    description="A person holding, on the day, a post that puts them in charge (负责人)",
)
class PersonInChargeType:
    @strawberry.field(description="The person (人员)")
    @staticmethod
    def person(root: strawberry.Parent[PersonInCharge]) -> Person:
        return wrap(root.person)

    @strawberry.field(description="The post they hold (岗位)")
    @staticmethod
    def post(root: strawberry.Parent[PersonInCharge]) -> Post:
        return wrap(root.post)

    @strawberry.field(description="Kind of post, e.g. building_leader (岗位类型)")
    @staticmethod
    def post_type(root: strawberry.Parent[PersonInCharge]) -> str:
        return root.post_type

    @strawberry.field(
        description="The organisation the post belongs to (party organisation, paired "
        "department or leading group); null when the post is the grid's own (所属组织)"
    )
    @staticmethod
    def via(root: strawberry.Parent[PersonInCharge]) -> Organization | None:
        return wrap(root.via) if root.via is not None else None

    @strawberry.field(description="First day they hold the post (任职起始)")
    @staticmethod
    def valid_from(root: strawberry.Parent[PersonInCharge]) -> date | None:
        return _date(root.valid_from)

    @strawberry.field(description="Last day they hold the post, inclusive (任职截止)")
    @staticmethod
    def valid_to(root: strawberry.Parent[PersonInCharge]) -> date | None:
        return _date(root.valid_to)


@strawberry.type(
    name="ChainPartyOrganization",
    description="The party organisation of a grid level, with its leaders on the day (党组织)",
)
class ChainPartyOrganizationType:
    @strawberry.field(description="The party organisation (党组织)")
    @staticmethod
    def organization(root: strawberry.Parent[PartyOrgAtLevel]) -> PartyOrganization:
        return wrap(root.organization)

    @strawberry.field(
        graphql_type=list[PersonInChargeType],
        description="Who holds its leading posts on the day (党组织负责人)",
    )
    @staticmethod
    def leaders(root: strawberry.Parent[PartyOrgAtLevel]) -> list[PersonInCharge]:
        return list(root.leaders)


@strawberry.type(name="Meeting", description="The meeting a grid level convenes (五级议事协商会议)")
class MeetingType:
    @strawberry.field(description="English name (会议名称)")
    @staticmethod
    def name(root: strawberry.Parent[Meeting]) -> str:
        return root.name

    @strawberry.field(description="Chinese name, e.g. 板凳会 (中文名称)")
    @staticmethod
    def zh(root: strawberry.Parent[Meeting]) -> str:
        return root.zh

    @strawberry.field(description="What it is for, as the seed puts it (会议职能)")
    @staticmethod
    def purpose(root: strawberry.Parent[Meeting]) -> str:
        return root.purpose


@strawberry.type(
    name="ConvenableUnit", description="A unit a grid level may convene, and why (可召集单位)"
)
class ConvenableUnitType:
    @strawberry.field(description="The unit (单位)")
    @staticmethod
    def unit(root: strawberry.Parent[ConvenableUnit]) -> Organization:
        return wrap(root.unit)

    @strawberry.field(
        description="Every reason it can be convened, in the order of 1+5+N: a paired "
        "department that is also a key unit has both (全部角色)"
    )
    @staticmethod
    def roles(root: strawberry.Parent[ConvenableUnit]) -> list[UnitRoleEnum]:
        return [UnitRoleEnum[r.name] for r in root.roles]

    @strawberry.field(
        description="The first of `roles` (首要角色)",
        deprecation_reason="A unit may play several roles: read `roles`",
    )
    @staticmethod
    def role(root: strawberry.Parent[ConvenableUnit]) -> UnitRoleEnum:
        return UnitRoleEnum[root.role.name]

    @strawberry.field(description="First day of the contract or pairing, if dated (起始日期)")
    @staticmethod
    def valid_from(root: strawberry.Parent[ConvenableUnit]) -> date | None:
        return _date(root.valid_from)

    @strawberry.field(description="Last day of the contract or pairing, if dated (截止日期)")
    @staticmethod
    def valid_to(root: strawberry.Parent[ConvenableUnit]) -> date | None:
        return _date(root.valid_to)


@dataclass(frozen=True, slots=True)
class LevelView:
    """A chain level with the chain's node lookup, so its gaps can name their nodes."""

    level: ChainLevel
    chain: ChainView


@strawberry.type(
    name="ChainLevel",
    description="One level of a responsibility chain: grid, people in charge, party "
    "organisation, meeting, convenable units and gaps (责任链的一级)",
)
class ChainLevelType:
    @strawberry.field(description="The grid level (网格层级)")
    @staticmethod
    def level(root: strawberry.Parent[LevelView]) -> GridLevelEnum:
        return root.level.level

    @strawberry.field(
        description="The grid at this level; null only when the chain breaks below it, "
        "which is then a gap (网格)"
    )
    @staticmethod
    def grid(root: strawberry.Parent[LevelView]) -> Grid | None:
        return wrap(root.level.grid) if root.level.grid is not None else None

    @strawberry.field(
        graphql_type=list[PersonInChargeType],
        description="Who is in charge, with their post: building leader; compound grid "
        "leader or branch secretary; community grid leader or head of the paired department; "
        "the district leader who contacts the subdistrict; head of the leading group (负责人)",
    )
    @staticmethod
    def in_charge(root: strawberry.Parent[LevelView]) -> list[PersonInCharge]:
        return list(root.level.in_charge)

    @strawberry.field(
        graphql_type=list[ChainPartyOrganizationType],
        description="The party organisation of this level: building party group, compound "
        "branch, community big party committee, subdistrict working committee, district "
        "committee (党组织)",
    )
    @staticmethod
    def party_organizations(root: strawberry.Parent[LevelView]) -> list[PartyOrgAtLevel]:
        return list(root.level.party_organizations)

    @strawberry.field(
        graphql_type=MeetingType, description="The meeting this level convenes (议事协商会议)"
    )
    @staticmethod
    def meeting(root: strawberry.Parent[LevelView]) -> Meeting:
        return root.level.meeting

    @strawberry.field(
        graphql_type=list[ConvenableUnitType],
        description="Units this level may convene: the property firm or owners' committee "
        "at the compound; the paired department, the five key units and the event's N "
        "departments at the community (可召集单位)",
    )
    @staticmethod
    def convenes(root: strawberry.Parent[LevelView]) -> list[ConvenableUnit]:
        return list(root.level.convenes)

    @strawberry.field(description="Leading groups covering the grid (district) (领导小组)")
    @staticmethod
    def leading_groups(root: strawberry.Parent[LevelView]) -> list[LeadingGroup]:
        return [wrap(g) for g in root.level.leading_groups]

    @strawberry.field(description="True at the event type's default response level (默认响应层级)")
    @staticmethod
    def default_response(root: strawberry.Parent[LevelView]) -> bool:
        return root.level.default_response

    @strawberry.field(
        graphql_type=list[GapType],
        description="Missing links at this level on the day (本级缺失环节)",
    )
    @staticmethod
    def gaps(root: strawberry.Parent[LevelView]) -> list[GapView]:
        return root.chain.gap_views(root.level.gaps)


@strawberry.type(
    name="Handler",
    description="A functional department that handles the event type (1+5+N 处置单位)",
)
class HandlerType:
    @strawberry.field(description="The department (职能部门)")
    @staticmethod
    def department(root: strawberry.Parent[Handler]) -> Department:
        return wrap(root.department)

    @strawberry.field(description="KEY: one of the five key units; N: one of the N (角色)")
    @staticmethod
    def role(root: strawberry.Parent[Handler]) -> HandlerRoleEnum:
        return HandlerRoleEnum(root.role)

    @strawberry.field(description="First day it handles the type, if dated (起始日期)")
    @staticmethod
    def valid_from(root: strawberry.Parent[Handler]) -> date | None:
        return _date(root.valid_from)

    @strawberry.field(description="Last day it handles the type, if dated (截止日期)")
    @staticmethod
    def valid_to(root: strawberry.Parent[Handler]) -> date | None:
        return _date(root.valid_to)


@strawberry.type(
    name="Accountability",
    description="Double accountability: the territory and the pairing side (双问责)",
)
class AccountabilityType:
    @strawberry.field(description="The territory: subdistrict and community (属地责任)")
    @staticmethod
    def territory(root: strawberry.Parent[ChainView]) -> list[Grid]:
        return [wrap(g) for g in root.chain.accountability.territory]

    @strawberry.field(description="The pairing side: the paired department (包联责任)")
    @staticmethod
    def pairing(root: strawberry.Parent[ChainView]) -> list[Department]:
        return [wrap(d) for d in root.chain.accountability.pairing]


@strawberry.type(
    name="RoutingStep",
    description="One step in passing an event on: territory first, then the owner, then "
    "the handlers, then escalation (流转环节)",
)
class RoutingStepType:
    @strawberry.field(description="Position in the routing, from 1 (顺序)")
    @staticmethod
    def order(root: strawberry.Parent[RoutingStep]) -> int:
        return root.order

    @strawberry.field(description="Stage of the routing (环节)")
    @staticmethod
    def stage(root: strawberry.Parent[RoutingStep]) -> StageEnum:
        return StageEnum[Stage(root.stage).name]

    @strawberry.field(description="Grid level of the step, null for handlers (层级)")
    @staticmethod
    def level(root: strawberry.Parent[RoutingStep]) -> GridLevelEnum | None:
        return GridLevel(root.level) if root.level is not None else None

    @strawberry.field(description="The grid or unit the event passes to, if any (承接单位)")
    @staticmethod
    def unit(root: strawberry.Parent[RoutingStep]) -> Node | None:
        return wrap(root.unit) if root.unit is not None else None

    @strawberry.field(
        graphql_type=list[PersonInChargeType],
        description="The people in charge at that step (负责人)",
    )
    @staticmethod
    def people(root: strawberry.Parent[RoutingStep]) -> list[PersonInCharge]:
        return list(root.people)

    @strawberry.field(
        graphql_type=MeetingType | None,
        description="The meeting convened at that step, if any (会议)",
    )
    @staticmethod
    def meeting(root: strawberry.Parent[RoutingStep]) -> Meeting | None:
        return root.meeting


@dataclass(frozen=True, slots=True)
class ChainView:
    """A computed chain, with its nodes by id so its gaps can name their nodes."""

    chain: ResponsibilityChain

    def gap_views(self, gaps: Sequence[Gap]) -> list[GapView]:
        nodes = {lvl.grid.id: lvl.grid for lvl in self.chain.levels if lvl.grid is not None}
        nodes[self.chain.event_type.id] = self.chain.event_type
        community = self.chain.level(GridLevel.COMMUNITY).grid
        below = {GridLevel.BUILDING.value, GridLevel.COMPOUND.value, GridLevel.COMMUNITY.value}
        return [GapView(g, nodes[g.node_id], community if g.level in below else None) for g in gaps]


@strawberry.type(
    name="ResponsibilityChain",
    description="Who answers for an event of one type at one building on one day, level by "
    "level from the building up to the district, with the handlers and both accountable "
    "sides (责任链)",
)
class ResponsibilityChainType:
    @strawberry.field(description="The building where the event happens (楼栋)")
    @staticmethod
    def building(root: strawberry.Parent[ChainView]) -> Building:
        return wrap(root.chain.building)

    @strawberry.field(description="The event type (事件类型)")
    @staticmethod
    def event_type(root: strawberry.Parent[ChainView]) -> EventType:
        return wrap(root.chain.event_type)

    @strawberry.field(description="The event type's category (事件大类)")
    @staticmethod
    def category(root: strawberry.Parent[ChainView]) -> EventCategory | None:
        return wrap(root.chain.category) if root.chain.category is not None else None

    @strawberry.field(description="The day the answer holds for (截至日期)")
    @staticmethod
    def as_of(root: strawberry.Parent[ChainView]) -> date:
        return root.chain.as_of

    @strawberry.field(
        graphql_type=list[ChainLevelType],
        description="The five levels: building, compound, community, subdistrict, district "
        "(五级网格)",
    )
    @staticmethod
    def levels(root: strawberry.Parent[ChainView]) -> list[LevelView]:
        return [LevelView(lvl, root) for lvl in root.chain.levels]

    @strawberry.field(graphql_type=ChainLevelType, description="One level (某级网格)")
    @staticmethod
    def level(
        root: strawberry.Parent[ChainView],
        level: Annotated[GridLevelEnum, strawberry.argument(description="Which level (层级)")],
    ) -> LevelView:
        return LevelView(root.chain.level(GridLevel(level)), root)

    @strawberry.field(
        graphql_type=list[HandlerType],
        description="The functional departments that handle the event type, the five key "
        "units first (1+5+N 处置单位)",
    )
    @staticmethod
    def handlers(root: strawberry.Parent[ChainView]) -> list[Handler]:
        return list(root.chain.handlers)

    @strawberry.field(
        description="The event type's default response level; null when it has none, "
        "which is then a gap (默认响应层级)"
    )
    @staticmethod
    def response_level(root: strawberry.Parent[ChainView]) -> GridLevelEnum | None:
        return root.chain.response_level

    @strawberry.field(
        graphql_type=AccountabilityType, description="Both sides of double accountability (双问责)"
    )
    @staticmethod
    def accountability(root: strawberry.Parent[ChainView]) -> ChainView:
        return root

    @strawberry.field(
        graphql_type=list[RoutingStepType],
        description="The order the event is passed on: territory first, then the owner "
        "(属地优先、权属其次的流转顺序)",
    )
    @staticmethod
    def routing(root: strawberry.Parent[ChainView]) -> list[RoutingStep]:
        return list(root.chain.routing())

    @strawberry.field(
        graphql_type=list[GapType],
        description="Every missing link, all levels and the event type (缺失环节)",
    )
    @staticmethod
    def gaps(root: strawberry.Parent[ChainView]) -> list[GapView]:
        return root.gap_views(root.chain.gaps)

    @strawberry.field(description="True when no link is missing on the day (责任链完整)")
    @staticmethod
    def complete(root: strawberry.Parent[ChainView]) -> bool:
        return root.chain.complete


# -- the gaps report ------------------------------------------------------------------------
@strawberry.type(name="GapCount", description="How many gaps of one kind at one level (按类型计数)")
class GapCount:
    level: GapLevelEnum = strawberry.field(description="Level (层级)")
    kind: GapKindEnum = strawberry.field(description="Kind of gap (缺失类型)")
    count: int = strawberry.field(description="Number of gaps (数量)")


@strawberry.type(
    name="GapsChecked", description="How many nodes of a level were examined (检查数量)"
)
class GapsChecked:
    level: GapLevelEnum = strawberry.field(description="Level (层级)")
    count: int = strawberry.field(description="Nodes examined (检查节点数)")


@strawberry.type(
    name="GapConnection", description="A page of gaps, in the report's order (缺失环节分页)"
)
class GapConnection:
    total_count: int = strawberry.field(description="Gaps matching the filters (总数)")
    page_info: PageInfo = strawberry.field(description="Where this page stands (分页信息)")
    nodes: list[GapView] = strawberry.field(
        graphql_type=list[GapType], description="The gaps of this page (本页缺失环节)"
    )


class GapIndex:
    """A gap report with what paging needs, built once per store version and day: the counts,
    and per filter the matching rows and (when a cursor is used) their positions. So a page
    costs a slice, not a pass over the district's rows (tens of thousands at scale 10).

    Shared by every day with the same links in force (:class:`~graph.queries.gaps.ChangeDays`):
    :meth:`on` answers for another such day, relabelling only the rows of the pages asked."""

    def __init__(self, report: GapReport) -> None:
        self.report = report
        self.as_of = report.as_of
        self.counts = report.counts()
        self._lock = threading.Lock()
        self._rows: dict[FilterKey, Sequence[GapRow]] = {(None, None): report.rows}
        self._positions: dict[FilterKey, dict[str, int]] = {}

    def on(self, day: date) -> GapIndex:
        """This index answering for ``day``, a day of the same interval: rows, counts and
        positions shared, so it costs nothing until a page is asked."""
        if day == self.as_of:
            return self
        view = copy.copy(self)  # shares the report, the lock and the filtered rows
        view.as_of = day
        return view

    def gap(self, row: GapRow) -> Gap:
        """A row's gap as it reads on this index's day."""
        return relabel_gap(row.gap, self.as_of)

    def rows(self, key: FilterKey) -> Sequence[GapRow]:
        with self._lock:
            found = self._rows.get(key)
        if found is None:
            kinds, levels = key
            found = tuple(
                r
                for r in self.report.rows
                if (kinds is None or r.gap.what.value in kinds)
                and (levels is None or r.gap.level in levels)
            )
            with self._lock:
                self._rows[key] = found
        return found

    def position(self, key: FilterKey, cursor_key: str) -> int | None:
        with self._lock:
            positions = self._positions.get(key)
        if positions is None:
            positions = {_cursor_key(r.gap): i for i, r in enumerate(self.rows(key))}
            with self._lock:
                self._positions[key] = positions
        return positions.get(cursor_key)


FilterKey = tuple[frozenset[str] | None, frozenset[str] | None]


def _cursor_key(gap: Gap) -> str:
    return "|".join(gap.key)


@strawberry.type(
    name="GapReport",
    description="Every grid (and event type) with a missing link in its responsibility "
    "chain on a day: the planner's to-do list (责任链缺失清单)",
)
class GapReportType:
    @strawberry.field(description="The day the report holds for (截至日期)")
    @staticmethod
    def as_of(root: strawberry.Parent[GapIndex]) -> date:
        return root.as_of

    @strawberry.field(description="Number of gaps in all (缺失总数)")
    @staticmethod
    def total_count(root: strawberry.Parent[GapIndex]) -> int:
        return len(root.report.rows)

    @strawberry.field(
        description="Gaps per level and kind, building level first, the event type last "
        "(按层级与类型计数)"
    )
    @staticmethod
    def counts(root: strawberry.Parent[GapIndex]) -> list[GapCount]:
        return [
            GapCount(level=GapLevelEnum(level), kind=GapKindEnum(kind), count=n)
            for (level, kind), n in root.counts.items()
        ]

    @strawberry.field(description="How many nodes of each level were examined (检查数量)")
    @staticmethod
    def checked(root: strawberry.Parent[GapIndex]) -> list[GapsChecked]:
        return [GapsChecked(level=GapLevelEnum(k), count=n) for k, n in root.report.checked.items()]

    @strawberry.field(
        description="The gaps, page by page, grouped by level and kind (缺失环节明细)"
    )
    @staticmethod
    def rows(
        root: strawberry.Parent[GapIndex],
        info: Info,
        kind: Annotated[
            list[GapKindEnum] | None,
            strawberry.argument(description="Only these kinds of gap (缺失类型)"),
        ] = None,
        level: Annotated[
            list[GapLevelEnum] | None,
            strawberry.argument(description="Only gaps at these levels (层级)"),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=f"Page size; default {DEFAULT_GAP_PAGE}, or the server's maximum "
                "page size if smaller (每页条数)"
            ),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="Cursor of the last gap of the previous page (上一页游标)"
            ),
        ] = None,
    ) -> GapConnection:
        ctx: GraphContext = info.context
        if first is None:
            first = min(DEFAULT_GAP_PAGE, ctx.settings.max_page_size)
        check_page_size(first, ctx.settings)
        key: FilterKey = (
            frozenset(k.value for k in kind) if kind else None,
            frozenset(lv.value for lv in level) if level else None,
        )
        rows = root.rows(key)
        start = 0
        if after is not None:
            found = root.position(key, decode_cursor(after))
            if found is None:
                raise GridGraphError(f"cursor {after!r} is not in this list")
            start = found + 1
        page = [GapView(root.gap(r), r.node, r.community) for r in rows[start : start + first]]
        return GapConnection(
            total_count=len(rows),
            page_info=PageInfo(
                has_next_page=start + first < len(rows),
                has_previous_page=start > 0,
                start_cursor=encode_cursor(page[0].cursor_key) if page else None,
                end_cursor=encode_cursor(page[-1].cursor_key) if page else None,
            ),
            nodes=page,
        )


# -- the loader -----------------------------------------------------------------------------
ChainKey = tuple[str, str, date]


def chain_loader(ctx: GraphContext) -> DataLoader[ChainKey, ChainView]:
    """The request's chain loader: one ``responsibility_chains`` call per day asked. Keys
    are as asked (an id, a code or a name): names are resolved in the batch too, so the
    resolver itself never calls the store."""
    store = ctx.store

    async def load(keys: list[ChainKey]) -> list[ChainView | Exception]:
        answers: dict[ChainKey, ChainView | Exception] = {}
        by_day: dict[date, list[ChainKey]] = defaultdict(list)
        resolved: dict[ChainKey, ChainKey] = {}
        for key in dict.fromkeys(keys):
            try:
                ids = (typed_id(store, key[0], "Building"), typed_id(store, key[1], "EventType"))
            except NodeNotFound as e:
                answers[key] = e
                continue
            resolved[key] = (*ids, key[2])
            by_day[key[2]].append(resolved[key])
        # chains are kept per store version across requests (as coverage is): only the
        # questions no request asked since the last write are computed
        cache, version = ctx.state.cache, ctx.version()
        kept = cache.known([("chain", *r) for r in resolved.values()], version)
        for day, asked in by_day.items():
            missing = [r for r in dict.fromkeys(asked) if ("chain", *r) not in kept]
            with gc_paused():  # as VersionedCache computes: the kept chains frozen after
                chains = _chains_of_day(store, missing, day) if missing else {}
            cache.keep(
                {("chain", *r): c for r, c in chains.items() if isinstance(c, ChainView)}, version
            )
            for key, r in resolved.items():
                if r[2] == day:
                    cached = ("chain", *r)
                    answers[key] = kept[cached] if cached in kept else chains[r]
        return [answers[k] for k in keys]

    return ctx.loader(("chain",), load)


def kept_chain(ctx: GraphContext, key: ChainKey) -> ChainView | None:
    """The chain kept for ``key`` when it is asked by ids (a name or a code is resolved by
    the loader, with the store), at the store's version now."""
    building, event_type, day = key
    if ":" not in building or ":" not in event_type:
        return None
    cached = ("chain", building, event_type, day)
    found: ChainView | None = ctx.state.cache.known([cached], ctx.version()).get(cached)
    return found


def _chains_of_day(
    store: Any, keys: list[ChainKey], day: date
) -> dict[ChainKey, ChainView | Exception]:
    """Chains for one day; an unknown id fails only the questions that name it."""
    pairs = [(b, e) for b, e, _ in keys]
    try:
        chains = responsibility_chains(store, pairs, day)
    except NodeNotFound:
        found = store.get_nodes(sorted({i for pair in pairs for i in pair}))
        bad: dict[ChainKey, Exception] = {}
        for key in keys:
            problem = _problem(found, key[0], "Building") or _problem(found, key[1], "EventType")
            if problem is not None:
                bad[key] = NodeNotFound(problem)
        good = [k for k in keys if k not in bad]
        chains = responsibility_chains(store, [(b, e) for b, e, _ in good], day)
        return {**bad, **{k: ChainView(c) for k, c in zip(good, chains, strict=True)}}
    return {k: ChainView(c) for k, c in zip(keys, chains, strict=True)}


def _problem(found: dict[str, StoreNode], nid: str, kind: str) -> str | None:
    node = found.get(nid)
    if node is None:
        return f"no {kind} {nid!r} in the store"
    if node.kind != kind:
        return f"{nid!r} is a {node.kind}, not a {kind}"
    return None


@strawberry.type
class Query:
    @strawberry.field(
        graphql_type=ResponsibilityChainType,
        description="Who answers for an event of type E at building B on a day: for each "
        "level from the building up to the district, the grid, the people in charge with "
        "their posts, the party organisation, the meeting and the units it may convene; "
        "beside the levels, the handling departments (1+5+N), the default response level, "
        "double accountability (territory and pairing) and every missing link as a gap "
        "(责任链查询)",
    )
    @inline_when_kept  # a chain asked since the last write is kept
    def responsibility_chain(
        self,
        info: Info,
        building: Annotated[
            strawberry.ID,
            strawberry.argument(description="Building id or exact name (楼栋 id 或完整名称)"),
        ],
        event_type: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Event type id, code (e.g. 410611-01-01) or exact name "
                "(事件类型 id、编码或名称)"
            ),
        ],
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="Posts, pairings and contracts in force on this day "
                "(default: today) (截至日期)"
            ),
        ] = None,
    ) -> ChainView | Awaitable[ChainView]:
        ctx: GraphContext = info.context
        key = (str(building), str(event_type), ctx.day(as_of))
        kept = kept_chain(ctx, key)
        if kept is not None:  # asked since the last write: no loader, no store call
            return kept
        return chain_loader(ctx).load(key)

    @strawberry.field(
        graphql_type=GapReportType,
        description="Every building, compound, community, subdistrict and district grid (and "
        "event type) with a missing link in its responsibility chain on a day, counted per "
        "level and kind: the planner's to-do list (责任链缺失清单)",
    )
    def gaps(
        self,
        info: Info,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    ) -> GapIndex:
        ctx: GraphContext = info.context
        return kept_gaps(ctx.state, ctx.day(as_of), ctx.deadline.waiting("the gaps report"))


def kept_gaps(state: ApiState, day: date, waiting: Callable[[], None] | None = None) -> GapIndex:
    """The gap report on ``day``, computed once per interval of change days
    (:class:`~graph.queries.gaps.KeptGaps`) and brought forward to each new version of the
    data by what the writes changed (:meth:`~graph.queries.gaps.KeptGaps.carried`): a new
    day with the same links in force as a day already asked is a look-up, and a write costs
    the rows of the grids it touches, not a pass over the district.

    ``waiting`` is called while another request (or the server's start, :mod:`api.app`)
    computes the report this one needs, and may raise to stop waiting (its deadline); the
    report is computed with the store itself, not the request's guarded view, so it is
    finished and kept for the next ask even when the request that began it is stopped."""
    store = state.store
    kept = state.indexes.get_or_compute(
        ("gaps kept",),
        lambda: KeptGaps(store, GapIndex),
        carry=lambda earlier, _changes: earlier.carried(),  # it reads what changed since its own
        waiting=waiting,
    )
    return kept.get(day, waiting).on(day)


def warm_gaps(state: ApiState) -> int:
    """Compute today's gap report now (:func:`kept_gaps`), so that a request finds it kept or
    waits for it instead of starting it; what a serving process does in the background as it
    starts. The number of gaps."""
    return sum(kept_gaps(state, state.settings.today()).counts.values())
