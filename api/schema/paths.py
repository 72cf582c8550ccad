"""``path(from, to, maxLength)``: the shortest connection between two nodes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.context import GraphContext
from api.limits import LimitExceeded
from api.types import AS_OF_HELP, Node, Relationship, wrap, wrap_relationship
from graph.queries.paths import Connection, shortest_connection

MAX_PATH_LENGTH = 12


@strawberry.type(
    name="Path",
    description="An ordered path: nodes[i] and nodes[i+1] are joined by relationships[i] (路径)",
)
class PathType:
    @strawberry.field(description="How many relationships (长度)")
    @staticmethod
    def length(root: strawberry.Parent[Connection]) -> int:
        return root.length

    @strawberry.field(description="The nodes, from the start to the end (节点)")
    @staticmethod
    def nodes(root: strawberry.Parent[Connection]) -> list[Node]:
        return [wrap(n) for n in root.nodes]

    @strawberry.field(description="The relationships between them, in order (关系)")
    @staticmethod
    def relationships(root: strawberry.Parent[Connection]) -> list[Relationship]:
        return [wrap_relationship(r) for r in root.relationships]


@strawberry.type
class Query:
    @strawberry.field(
        graphql_type=PathType | None,
        description="The shortest connection between two nodes, following "
        "relationships either way; null when none within maxLength (最短路径)",
    )
    def path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from", description="Start id")],
        to: Annotated[strawberry.ID, strawberry.argument(description="End id")],
        max_length: Annotated[
            int, strawberry.argument(description=f"At most this many steps (<= {MAX_PATH_LENGTH})")
        ] = 6,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_HELP)] = None,
    ) -> Connection | None:
        ctx: GraphContext = info.context
        if not 1 <= max_length <= MAX_PATH_LENGTH:
            raise LimitExceeded(f"maxLength must be between 1 and {MAX_PATH_LENGTH}")
        found = shortest_connection(ctx.store, str(from_), str(to), max_length, ctx.day(as_of))
        return found
