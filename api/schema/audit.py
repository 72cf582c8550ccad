"""``auditLog``: the audit trail (:mod:`graph.audit`) for admins, newest first, filtered and
paged, with the chain of hashes checked on every read."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.context import GraphContext
from api.identity import AccessDenied, Role
from api.limits import check_page_size


@strawberry.type(description="One entry of the audit trail (审计记录)")
class AuditEntry:
    seq: int = strawberry.field(description="Position in the trail, from 1 (序号)")
    at: str = strawberry.field(description="When, in UTC (时间)")
    who: str = strawberry.field(description="The identity that acted (操作人)")
    role: str | None = strawberry.field(description="Its role (角色)")
    action: str = strawberry.field(description="What it did: importFile, endAgreement, load, "
                                   "read_personal, list_people... (操作)")  # fmt: skip
    target: str | None = strawberry.field(description="What it acted on (对象)")
    summary: JSON | None = strawberry.field(description="Counts (统计)")
    changes: JSON | None = strawberry.field(
        description="Changed records with their properties before and after (变更前后)"
    )
    reads: JSON | None = strawberry.field(description="Personal fields read, by record (读取)")
    ids: JSON | None = strawberry.field(description="Records listed (列出的记录)")
    prev: str = strawberry.field(description="Hash of the entry before (前一条哈希)")
    hash: str = strawberry.field(description="This entry's hash (本条哈希)")


@strawberry.type(description="A page of the audit trail, newest first (审计日志)")
class AuditPage:
    entries: list[AuditEntry]
    total_count: int = strawberry.field(description="Entries in the whole trail")
    verified: bool = strawberry.field(
        description="True when every entry's hash and link to the one before it holds (完整性)"
    )


def _entry(raw: dict[str, Any]) -> AuditEntry:
    values: dict[str, Any] = {k: raw.get(k) for k in AuditEntry.__annotations__}
    return AuditEntry(**values)


@strawberry.type
class Query:
    @strawberry.field(
        description="The audit trail: every change and every read of personal data, with who, "
        "when and what; newest first. Admins only (审计日志)"
    )
    def audit_log(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many at most")] = 50,
        before: Annotated[
            int | None, strawberry.argument(description="Only entries before this seq")
        ] = None,
        action: Annotated[str | None, strawberry.argument(description="Only this action")] = None,
        who: Annotated[str | None, strawberry.argument(description="Only this identity")] = None,
    ) -> AuditPage:
        ctx: GraphContext = info.context
        me = ctx.identity
        if not me.may(Role.ADMIN):
            raise AccessDenied("the audit trail is for admins", 403 if me.role else 401)
        check_page_size(first, ctx.settings)
        trail = ctx.state.audit
        everything = list(trail.entries())
        try:
            trail.verify()
            verified = True
        except Exception:
            verified = False
        chosen = [
            e for e in reversed(everything)
            if (before is None or e.get("seq", 0) < before)
            and (action is None or e.get("action") == action)
            and (who is None or e.get("who") == who)
        ][:first]  # fmt: skip
        return AuditPage(
            entries=[_entry(e) for e in chosen], total_count=len(everything), verified=verified
        )
