"""``sharedAgreements(unit, asOf)`` and ``agreementsExpiring(withinDays)``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.context import GraphContext
from api.limits import LimitExceeded, check_page_size
from api.types import AS_OF_HELP, Agreement, Node, wrap
from graph.queries.agreements import (
    ExpiringAgreement,
    SharedAgreement,
    agreements_expiring,
    shared_agreements,
)


@strawberry.type(
    name="SharedAgreement",
    description="A party linked to the unit asked about by "
    "co-construction agreements, and how (共建关联)",
)
class SharedAgreementType:
    @strawberry.field(description="The other party (对方单位)")
    @staticmethod
    def party(root: strawberry.Parent[SharedAgreement]) -> Node:
        return wrap(root.party)

    @strawberry.field(description="Agreements both signed (共同协议)")
    @staticmethod
    def common(root: strawberry.Parent[SharedAgreement]) -> list[Agreement]:
        return [wrap(a) for a in root.common]

    @strawberry.field(description="Communities (or partners) both signed with (共同签约方)")
    @staticmethod
    def via(root: strawberry.Parent[SharedAgreement]) -> list[Node]:
        return [wrap(n) for n in root.via]

    @strawberry.field(description="Every agreement on those links, common ones first (关联协议)")
    @staticmethod
    def agreements(root: strawberry.Parent[SharedAgreement]) -> list[Agreement]:
        return [wrap(a) for a in root.agreements]


@strawberry.type(
    name="ExpiringAgreement",
    description="An agreement that ends soon, with its parties (即将到期协议)",
)
class ExpiringAgreementType:
    @strawberry.field(description="The agreement (协议)")
    @staticmethod
    def agreement(root: strawberry.Parent[ExpiringAgreement]) -> Agreement:
        return wrap(root.agreement)

    @strawberry.field(description="Its last day (有效期至)")
    @staticmethod
    def valid_to(root: strawberry.Parent[ExpiringAgreement]) -> date:
        return root.valid_to

    @strawberry.field(description="Days from asOf (default today) to its last day (剩余天数)")
    @staticmethod
    def days_left(root: strawberry.Parent[ExpiringAgreement]) -> int:
        return root.days_left

    @strawberry.field(description="The parties (协议方)")
    @staticmethod
    def parties(root: strawberry.Parent[ExpiringAgreement]) -> list[Node]:
        return [wrap(p) for p in root.parties]


@strawberry.type
class Query:
    @strawberry.field(
        graphql_type=list[SharedAgreementType],
        description="The units that share co-construction agreements with a unit, "
        "through a common agreement or a common community (or partner), each with "
        "the agreements that link them (共建协议关联)",
    )
    def shared_agreements(
        self,
        info: Info,
        unit: Annotated[strawberry.ID, strawberry.argument(description="Any party's id")],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    ) -> list[SharedAgreement]:
        ctx: GraphContext = info.context
        day = ctx.day(as_of)
        uid = str(unit)
        return ctx.state.cache.get_or_compute(
            ("shared_agreements", uid, day), lambda: shared_agreements(ctx.store, uid, day)
        )

    @strawberry.field(
        graphql_type=list[ExpiringAgreementType],
        description="Agreements in force on asOf whose last day falls within the coming "
        "days, soonest first, with their parties on that day (即将到期的共建协议)",
    )
    def agreements_expiring(
        self,
        info: Info,
        within_days: Annotated[int, strawberry.argument(description="Days from asOf")],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description="How many at most (default: all, up to the page limit)"
            ),
        ] = None,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The id of the last agreement of the previous page: the page after "
                "it (上一页最后一项的标识)"
            ),
        ] = None,
    ) -> list[ExpiringAgreement]:
        ctx: GraphContext = info.context
        if within_days < 0:
            raise LimitExceeded("withinDays must not be negative")
        if first is not None:
            check_page_size(first, ctx.settings)
        found = agreements_expiring(
            ctx.store, within_days, ctx.day(as_of), first, str(after) if after else None
        )
        return found
