"""The district's analytics as root fields: ``pairingLoad``, ``buildingLeaderCoverage``,
``agreementsByTopicAndYear``, ``coConstruction`` (and its ``partnersByReach`` and
``communitiesWithoutPartners``).

The answers are computed by :mod:`graph.queries.analytics` (natively on Neo4j); the types below only
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
    @staticmethod
    def department(root: strawberry.Parent[DepartmentLoad]) -> Department:
        return wrap(root.department)

    @strawberry.field(description="How many communities it is paired with (包联社区数)")
    @staticmethod
    def community_count(root: strawberry.Parent[DepartmentLoad]) -> int:
        return len(root.communities)

    @strawberry.field(description="Residents of those communities, where recorded (包联人口)")
    @staticmethod
    def population(root: strawberry.Parent[DepartmentLoad]) -> int:
        return root.population

    @strawberry.field(description="The communities, by id (包联社区)")
    @staticmethod
    def communities(
        root: strawberry.Parent[DepartmentLoad], info: Info, first: First = None
    ) -> list[Community]:
        return [wrap(c) for c in _page(root.communities, first, info)]


@strawberry.type(
    name="CommunityLeaderCoverage",
    description="How many of a community's buildings have a building leader in office on the "
    "day (楼栋长覆盖率)",
)
class CommunityLeaderCoverageType:
    @strawberry.field(description="The community (社区)")
    @staticmethod
    def community(root: strawberry.Parent[CommunityLeaders]) -> Community:
        return wrap(root.community)

    @strawberry.field(description="Its buildings (楼栋数)")
    @staticmethod
    def buildings(root: strawberry.Parent[CommunityLeaders]) -> int:
        return root.buildings

    @strawberry.field(description="Buildings whose building leader post is held (有楼栋长的楼栋)")
    @staticmethod
    def led(root: strawberry.Parent[CommunityLeaders]) -> int:
        return root.led

    @strawberry.field(description="Buildings without a building leader (楼栋长空缺)")
    @staticmethod
    def vacant(root: strawberry.Parent[CommunityLeaders]) -> int:
        return root.vacant

    @strawberry.field(description="Share of buildings led, 0 to 1 (覆盖率)")
    @staticmethod
    def ratio(root: strawberry.Parent[CommunityLeaders]) -> float:
        return root.ratio


@strawberry.type(
    name="TopicYearCount",
    description="How many agreements on one topic began in one year (按主题和年份统计的共建协议)",
)
class TopicYearCountType:
    @strawberry.field(description="The topic, or null for agreements without one (共建内容)")
    @staticmethod
    def topic(root: strawberry.Parent[TopicYear]) -> str | None:
        return root.topic

    @strawberry.field(
        description="Year of the first day in force (else of signing), or null (年份)"
    )
    @staticmethod
    def year(root: strawberry.Parent[TopicYear]) -> int | None:
        return root.year

    @strawberry.field(description="Number of agreements (协议数)")
    @staticmethod
    def agreements(root: strawberry.Parent[TopicYear]) -> int:
        return root.agreements


@strawberry.type(
    name="PartnerReach",
    description="A co-construction partner: the communities it signed with on the day and its "
    "place in the co-construction network (共建单位覆盖面与网络中心性)",
)
class PartnerReachType:
    @strawberry.field(description="The partner: an outside unit or organisation (共建单位)")
    @staticmethod
    def partner(root: strawberry.Parent[PartnerReach]) -> Node:
        return wrap(root.partner)

    @strawberry.field(description="How many communities it shares an agreement with (覆盖社区数)")
    @staticmethod
    def community_count(root: strawberry.Parent[PartnerReach]) -> int:
        return len(root.communities)

    @strawberry.field(description="Those communities, by id (覆盖社区)")
    @staticmethod
    def communities(
        root: strawberry.Parent[PartnerReach], info: Info, first: First = None
    ) -> list[Community]:
        return [wrap(c) for c in _page(root.communities, first, info)]

    @strawberry.field(description="Agreements in force it is party to (协议数)")
    @staticmethod
    def agreements(root: strawberry.Parent[PartnerReach]) -> int:
        return root.agreements

    @strawberry.field(
        description="Degree centrality: the share of the network's other parties it signed "
        "with (度中心性)"
    )
    @staticmethod
    def degree_centrality(root: strawberry.Parent[PartnerReach]) -> float:
        return root.degree_centrality

    @strawberry.field(
        description="Betweenness centrality (normalised): how often it lies on the shortest "
        "links between other parties; high for partners that bridge communities (中介中心性)"
    )
    @staticmethod
    def betweenness(root: strawberry.Parent[PartnerReach]) -> float:
        return root.betweenness


@strawberry.type(
    name="NetworkComponent",
    description="A connected cluster of the co-construction network: parties joined by "
    "agreements, none shared with another cluster (共建网络连通分量)",
)
class NetworkComponentType:
    @strawberry.field(description="Number of parties (参与方数)")
    @staticmethod
    def size(root: strawberry.Parent[NetworkComponent]) -> int:
        return len(root.parties)

    @strawberry.field(description="Communities among them (社区数)")
    @staticmethod
    def community_count(root: strawberry.Parent[NetworkComponent]) -> int:
        return root.communities

    @strawberry.field(description="Partners among them (共建单位数)")
    @staticmethod
    def partner_count(root: strawberry.Parent[NetworkComponent]) -> int:
        return root.partners

    @strawberry.field(description="Agreements in force among them (协议数)")
    @staticmethod
    def agreements(root: strawberry.Parent[NetworkComponent]) -> int:
        return root.agreements

    @strawberry.field(description="The parties, by id (参与方)")
    @staticmethod
    def parties(
        root: strawberry.Parent[NetworkComponent], info: Info, first: First = None
    ) -> list[Node]:
        return [wrap(p) for p in _page(root.parties, first, info)]


@strawberry.type(
    name="CoConstructionNetwork",
    description="The co-construction network on a day: a party per community, subdistrict, "
    "district or partner, a link between two parties to the same agreement in force "
    "(联建共建网络)",
)
class CoConstructionNetworkType:
    @strawberry.field(description="The day (截至日期)")
    @staticmethod
    def as_of(root: strawberry.Parent[CoConstruction]) -> date:
        return root.as_of

    @strawberry.field(description="Number of parties, every community included (参与方数)")
    @staticmethod
    def party_count(root: strawberry.Parent[CoConstruction]) -> int:
        return root.graph.number_of_nodes()

    @strawberry.field(description="Number of pairs of parties linked by an agreement (连接数)")
    @staticmethod
    def link_count(root: strawberry.Parent[CoConstruction]) -> int:
        return root.graph.number_of_edges()

    @strawberry.field(
        graphql_type=list[PartnerReachType],
        description="Partners by reach: most communities first, then most agreements, then "
        "highest betweenness (共建单位按覆盖面排序)",
    )
    @staticmethod
    def partners(
        root: strawberry.Parent[CoConstruction], info: Info, first: First = None
    ) -> list[PartnerReach]:
        return _page(root.partners, first, info)

    @strawberry.field(
        graphql_type=list[NetworkComponentType],
        description="Connected components, largest first; a community with no agreement is "
        "a component of its own (连通分量)",
    )
    @staticmethod
    def components(
        root: strawberry.Parent[CoConstruction], info: Info, first: First = None
    ) -> list[NetworkComponent]:
        return _page(root.components, first, info)

    @strawberry.field(description="Number of connected components (连通分量数)")
    @staticmethod
    def component_count(root: strawberry.Parent[CoConstruction]) -> int:
        return len(root.components)

    @strawberry.field(
        description="Communities party to no agreement in force with a partner, by id "
        "(无共建单位的社区)"
    )
    @staticmethod
    def communities_without_partners(
        root: strawberry.Parent[CoConstruction], info: Info, first: First = None
    ) -> list[Community]:
        return [wrap(c) for c in _page(root.without_partners, first, info)]


def _network(info: Info, as_of: date | None) -> CoConstruction:
    ctx: GraphContext = info.context
    day = ctx.day(as_of)
    return _cached(info, ("co_construction", day), lambda: co_construction(ctx.store, day))


@strawberry.type
class Query:
    @strawberry.field(
        graphql_type=list[DepartmentLoadType],
        description="Each department's pairing load on a day: the communities it is paired "
        "with, heaviest first (各区直单位包联社区数)",
    )
    def pairing_load(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[DepartmentLoad]:
        ctx: GraphContext = info.context
        day = ctx.day(as_of)
        loads = _cached(info, ("pairing_load", day), lambda: pairing_load(ctx.store, day))
        return _page(loads, first, info)

    @strawberry.field(
        graphql_type=list[CommunityLeaderCoverageType],
        description="Building-leader coverage per community on a day, worst covered first "
        "(各社区楼栋长覆盖情况)",
    )
    def building_leader_coverage(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[CommunityLeaders]:
        ctx: GraphContext = info.context
        day = ctx.day(as_of)
        rows = _cached(
            info, ("leader_coverage", day), lambda: building_leader_coverage(ctx.store, day)
        )
        return _page(rows, first, info)

    @strawberry.field(
        graphql_type=list[TopicYearCountType],
        description="Agreements per topic and year over the whole history, by year then "
        "topic (共建协议按主题和年份统计)",
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
    ) -> list[TopicYear]:
        ctx: GraphContext = info.context
        rows = _cached(info, ("topics",), lambda: agreements_by_topic_and_year(ctx.store))
        chosen = [
            r for r in rows
            if (year is None or r.year == year) and (topic is None or r.topic == topic)
        ]  # fmt: skip
        n = ctx.settings.max_page_size if first is None else check_page_size(first, ctx.settings)
        return chosen[:n]

    @strawberry.field(
        graphql_type=CoConstructionNetworkType,
        description="The co-construction network on a day, analysed with networkx: partners "
        "by reach with their centrality, connected components, communities without partners "
        "(联建共建网络分析)",
    )
    def co_construction(self, info: Info, as_of: AsOf = None) -> CoConstruction:
        return _network(info, as_of)

    @strawberry.field(
        graphql_type=list[PartnerReachType],
        description="Co-construction partners ranked by reach on a day: the communities they "
        "signed with, then agreements and betweenness (共建单位按覆盖面排名)",
    )
    def partners_by_reach(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[PartnerReach]:
        return _page(_network(info, as_of).partners, first, info)

    @strawberry.field(
        description="Communities with no co-construction partner on a day: party to no "
        "agreement in force with an outside unit or organisation (无共建单位的社区)"
    )
    def communities_without_partners(
        self, info: Info, as_of: AsOf = None, first: First = None
    ) -> list[Community]:
        return [wrap(c) for c in _page(_network(info, as_of).without_partners, first, info)]
