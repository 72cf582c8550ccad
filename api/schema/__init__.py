"""The GraphQL schema, assembled from one module per area of root fields.

Every module in this package that defines a ``Query`` (and/or a ``Mutation``) strawberry type
contributes its fields to the root type of that name, in module-name order. To add a root
field, add a module here (e.g. ``chain.py`` with ``class Query: responsibility_chain...``);
nothing else changes. The node types themselves come from :mod:`api.types`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from datetime import date
from types import ModuleType
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from api.dates import DateScalar
from api.execution import run_off_loop
from api.types import KIND_TYPES
from api.workers import Workers
from graph.errors import GridGraphError


class GridGraphSchema(strawberry.Schema):
    """A schema that logs only unexpected errors: a refused or malformed request, or a user
    error such as an unknown id, is the client's to read in ``errors``, not the server log's.

    With ``workers`` (set by :func:`api.app.create_app`), each execution runs in a worker
    thread within the request's deadline (:mod:`api.execution`), off the event loop.
    """

    workers: Workers | None = None

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        run = super().execute
        args = (query, variable_values, context_value, root_value, operation_name,
                allowed_operation_types, operation_extensions)  # fmt: skip
        deadline = getattr(context_value, "deadline", None)
        if self.workers is None or deadline is None:
            result = await run(*args)
        else:
            request = getattr(context_value, "request", None)
            receive = request.receive if request is not None else None
            result = await run_off_loop(lambda: run(*args), deadline, self.workers, receive)
        finish = getattr(context_value, "finish", None)
        if finish is not None:
            finish()  # the audit trail: personal data and people read by this request
        return result

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [
            e
            for e in errors
            if e.original_error is not None and not isinstance(e.original_error, GridGraphError)
        ]
        super().process_errors(unexpected, execution_context)


def area_modules() -> list[ModuleType]:
    """The modules of this package, sorted by name (so the SDL is stable)."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def build_schema(extensions: Sequence[Any] = ()) -> GridGraphSchema:
    """The whole schema; ``extensions`` add limits and caches (see :mod:`api.limits`)."""
    modules = area_modules()
    queries = tuple(m.Query for m in modules if hasattr(m, "Query"))
    mutations = tuple(m.Mutation for m in modules if hasattr(m, "Mutation"))
    return GridGraphSchema(
        query=merge_types("Query", queries),
        mutation=merge_types("Mutation", mutations) if mutations else None,
        types=list(KIND_TYPES.values()),
        extensions=list(extensions),
        config=StrawberryConfig(scalar_map={date: DateScalar}),
    )
