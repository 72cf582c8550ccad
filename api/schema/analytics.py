# mypy: disable-error-code="valid-type, attr-defined, return-value, arg-type, call-overload, misc"
# (strawberry types built at run time from the ontology, and resolvers that return domain
# dataclasses for strawberry to read: sound at run time, opaque to a static checker)
"""The district's analytics as root fields: ``pairingLoad``, ``buildingLeaderCoverage``,
``agreementsByTopicAndYear``, ``coConstruction`` (and its ``partnersByReach`` and
``communitiesWithoutPartners``).

The answers are computed by :mod:`graph.analytics` (natively on Neo4j); the types below only
read its dataclasses. Each answer is a whole-graph computation, made once per store version
and day (the co-construction network's betweenness centrality takes a few hundred
milliseconds on the Qibin graph) and sliced by ``first`` from memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from api.context import GraphContext
from api.limits import check_page_size
from api.types import AS_OF_HELP, NESTED_PAGE, Community, Department, Node, wrap
from graph.queries.analytics import (
    CoConstruction,
    CommunityLeaders,
    DepartmentLoad,
    NetworkComponent,
    PartnerReach,
    TopicYear,
    agreements_by_topic_and_year,
    building_leader_coverage,
    co_construction,
    pairing_load,
)

T = TypeVar("T")
FIRST_HELP = f"At most this many, in the order given (default {NESTED_PAGE}) (数量上限)"


def _page(items: Sequence[T], first: int | None, info: Info) -> list[T]:
    settings = info.context.settings
    n = (
        min(NESTED_PAGE, settings.max_page_size)
        if first is None
        else check_page_size(first, settings)
    )
    return list(items[:n])


def _cached(info: Info, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    ctx: GraphContext = info.context
    return ctx.state.cache.get_or_compute(("analytics", *key), compute)


First = Annotated[int | None, strawberry.argument(description=FIRST_HELP)]
AsOf = Annotated[date | None, strawberry.argument(description=AS_OF_HELP)]


@strawberry.type(
    name="DepartmentLoad",
    description="A district department and the communities it is paired with on the day: its "
    "pairing load (包联负担)",
)
class DepartmentLoadType:
    @strawberry.field(description="The department (区直单位)")
    def department(self: DepartmentLoad) -> Department:
        return wrap(self.department)

    @strawberry.field(description="How many communities it is paired with (包联社区数)")
    def community_count(self: DepartmentLoad) -> int:
        return len(self.communities)

    @strawberry.field(description="Residents of those communities, where recorded (包联人口)")
    def population(self: DepartmentLoad) -> int:
        return self.population

    @strawberry.field(description="The communities, by id (包联社区)")
    def communities(self: DepartmentLoad, info: Info, first: First = None) -> list[Community]:
        return [wrap(c) for c in _page(self.communities, first, info)]


@strawberry.type(
    name="CommunityLeaderCoverage",
    description="How many of a community's buildings have a building leader in office on the "
    "day (楼栋长覆盖率)",
)
class CommunityLeaderCoverageType:
    @strawberry.field(description="The community (社区)")
    def community(self: CommunityLeaders) -> Community:
        return wrap(self.community)

    @strawberry.field(description="Its buildings (楼栋数)")
    def buildings(self: CommunityLeaders) -> int:
        return self.buildings

    @strawberry.field(description="Buildings whose building leader post is held (有楼栋长的楼栋)")
    def led(self: CommunityLeaders) -> int:
        return self.led

    @strawberry.field(description="Buildings without a building leader (楼栋长空缺)")
    def vacant(self: CommunityLeaders) -> int:
        return self.vacant

    @strawberry.field(description="Share of buildings led, 0 to 1 (覆盖率)")
    def ratio(self: CommunityLeaders) -> float:
        return self.ratio


@strawberry.type(
    name="TopicYearCount",
    description="How many agreements on one topic began in one year (按主题和年份统计的共建协议)",
)
class TopicYearCountType:
    @strawberry.field(description="The topic, or null for agreements without one (共建内容)")
    def topic(self: TopicYear) -> str | None:
        return self.topic

    @strawberry.field(
        description="Year of the first day in force (else of signing), or null (年份)"
    )
    def year(self: TopicYear) -> int | None:
        return self.year

    @strawberry.field(description="Number of agreements (协议数)")
    def agreements(self: TopicYear) -> int:
        return self.agreements


@strawberry.type(
    name="PartnerReach",
    description="A co-construction partner: the communities it signed with on the day and its "
    "place in the co-construction network (共建单位覆盖面与网络中心性)",
)
class PartnerReachType:
    @strawberry.field(description="The partner: an outside unit or organisation (共建单位)")
    def partner(self: PartnerReach) -> Node:
        return wrap(self.partner)

    @strawberry.field(description="How many communities it shares an agreement with (覆盖社区数)")
    def community_count(self: PartnerReach) -> int:
        return len(self.communities)

    @strawberry.field(description="Those communities, by id (覆盖社区)")
    def communities(self: PartnerReach, info: Info, first: First = None) -> list[Community]:
        return [wrap(c) for c in _page(self.communities, first, info)]

    @strawberry.field(description="Agreements in force it is party to (协议数)")
    def agreements(self: PartnerReach) -> int:
        return self.agreements

    @strawberry.field(
        description="Degree centrality: the share of the network's other parties it signed "
        "with (度中心性)"
    )
    def degree_centrality(self: PartnerReach) -> float:
        return self.degree_centrality

    @strawberry.field(
        description="Betweenness centrality (normalised): how often it lies on the shortest "
        "links between other parties; high for partners that bridge communities (中介中心性)"
    )
    def betweenness(self: PartnerReach) -> float:
        return self.betweenness


@strawberry.type(
    name="NetworkComponent",
    description="A connected cluster of the co-construction network: parties joined by "
    "agreements, none shared with another cluster (共建网络连通分量)",
)
class NetworkComponentType:
    @strawberry.field(description="Number of parties (参与方数)")
    def size(self: NetworkComponent) -> int:
        return len(self.parties)

    @strawberry.field(description="Communities among them (社区数)")
    def community_count(self: NetworkComponent) -> int:
        return self.communities

    @strawberry.field(description="Partners among them (共建单位数)")
    def partner_count(self: NetworkComponent) -> int:
        return self.partners

    @strawberry.field(description="Agreements in force among them (协议数)")
    def agreements(self: NetworkComponent) -> int:
        return self.agreements

    @strawberry.field(description="The parties, by id (参与方)")
    def parties(self: NetworkComponent, info: Info, first: First = None) -> list[Node]:
        return [wrap(p) for p in _page(self.parties, first, info)]


@strawberry.type(
    name="CoConstructionNetwork",
    description="The co-construction network on a day: a party per community, subdistrict, "
    "district or partner, a link between two parties to the same agreement in force "
    "(联建共建网络)",
)
class CoConstructionNetworkType:
    @strawberry.field(description="The day (截至日期)")
    def as_of(self: CoConstruction) -> date:
        return self.as_of

    @strawberry.field(description="Number of parties, every community included (参与方数)")
    def party_count(self: CoConstruction) -> int:
        return self.graph.number_of_nodes()

    @strawberry.field(description="Number of pairs of parties linked by an agreement (连接数)")
    def link_count(self: CoConstruction) -> int:
        return self.graph.number_of_edges()

    @strawberry.field(
        description="Partners by reach: most communities first, then most agreements, then "
        "highest betweenness (共建单位按覆盖面排序)"
    )
    def partners(self: CoConstruction, info: Info, first: First = None) -> list[PartnerReachType]:
        return _page(self.partners, first, info)

    @strawberry.field(
        description="Connected components, largest first; a community with no agreement is "
        "a component of its own (连通分量)"
    )
    def components(
        self: CoConstruction, info: Info, first: First = None
    ) -> list[NetworkComponentType]:
        return _page(self.components, first, info)

    @strawberry.field(description="Number of connected components (连通分量数)")
    def component_count(self: CoConstruction) -> int:
        return len(self.components)

    @strawberry.field(
        description="Communities party to no agreement in force with a partner, by id "
        "(无共建单位的社区)"
    )
    def communities_without_partners(
        self: CoConstruction, info: Info, first: First = None
    ) -> list[Community]:
        return [wrap(c) for c in _page(self.without_partners, first, info)]


def _network(info: Info, as_of: date | None) -> CoConstruction:
    ctx: GraphContext = info.context
    day = ctx.day(as_of)
    return _cached(info, ("co_construction", day), lambda: co_construction(ctx.store, day))


@strawberry.type
class Query:
    @strawberry.field(
        description="Each department's pairing load on a day: the communities it is paired "
        "with, heaviest first (各区直单位包联社区数)"
    )
    def pairing_load(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[DepartmentLoadType]:
        ctx: GraphContext = info.context
        day = ctx.day(as_of)
        loads = _cached(info, ("pairing_load", day), lambda: pairing_load(ctx.store, day))
        return _page(loads, first, info)

    @strawberry.field(
        description="Building-leader coverage per community on a day, worst covered first "
        "(各社区楼栋长覆盖情况)"
    )
    def building_leader_coverage(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[CommunityLeaderCoverageType]:
        ctx: GraphContext = info.context
        day = ctx.day(as_of)
        rows = _cached(
            info, ("leader_coverage", day), lambda: building_leader_coverage(ctx.store, day)
        )
        return _page(rows, first, info)

    @strawberry.field(
        description="Agreements per topic and year over the whole history, by year then "
        "topic (共建协议按主题和年份统计)"
    )
    def agreements_by_topic_and_year(
        self,
        info: Info,
        year: Annotated[
            int | None, strawberry.argument(description="Only this year (年份)")
        ] = None,
        topic: Annotated[
            str | None, strawberry.argument(description="Only this topic (共建内容)")
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description="At most this many rows (default: the server's "
                "maximum page size) (数量上限)"
            ),
        ] = None,
    ) -> list[TopicYearCountType]:
        ctx: GraphContext = info.context
        rows = _cached(info, ("topics",), lambda: agreements_by_topic_and_year(ctx.store))
        chosen = [
            r for r in rows
            if (year is None or r.year == year) and (topic is None or r.topic == topic)
        ]  # fmt: skip
        n = ctx.settings.max_page_size if first is None else check_page_size(first, ctx.settings)
        return chosen[:n]

    @strawberry.field(
        description="The co-construction network on a day, analysed with networkx: partners "
        "by reach with their centrality, connected components, communities without partners "
        "(联建共建网络分析)"
    )
    def co_construction(self, info: Info, as_of: AsOf = None) -> CoConstructionNetworkType:
        return _network(info, as_of)

    @strawberry.field(
        description="Co-construction partners ranked by reach on a day: the communities they "
        "signed with, then agreements and betweenness (共建单位按覆盖面排名)"
    )
    def partners_by_reach(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[PartnerReachType]:
        return _page(_network(info, as_of).partners, first, info)

    @strawberry.field(
        description="Communities with no co-construction partner on a day: party to no "
        "agreement in force with an outside unit or organisation (无共建单位的社区)"
    )
    def communities_without_partners(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[Community]:
        return [wrap(c) for c in _page(_network(info, as_of).without_partners, first, info)]
