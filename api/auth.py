"""Who may do what, once the operation is parsed: mutations need an admin, introspection may
be closed to some roles, and an admin with a scope may change only records within it.

The caller was resolved before parsing by :mod:`api.gate` (named tokens and roles,
:mod:`api.identity`). A schema extension, not an HTTP middleware: it knows whether the request
is a query or a mutation whatever the transport (JSON, GET, or the multipart request that
carries an upload). A refusal stops the operation before validation and execution (nothing
runs, nothing changes), answers with a GraphQL error, and sets the HTTP status through the
request's sub-response:

- a mutation from an anonymous caller: 401, with ``WWW-Authenticate``;
- a mutation from a caller who is not an admin, or while no admin token is configured: 403;
- introspection (``__schema``, ``__type``) from a role it is closed to: 403.

A refused request is never cached by :mod:`api.response_cache`, which keeps only 200 answers
without errors, keyed on the caller's identity as the gate resolved it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.gate import identity_of, role_names
from api.identity import ADMIN_ENV, ANONYMOUS, AccessDenied, Identity, TokenBook, check_access
from graph.settings import Settings

__all__ = ["ADMIN_ENV", "AccessControl", "AccessDenied", "check_access", "identity_from_context"]


def identity_from_context(context: Any) -> Identity:
    request = getattr(context, "request", None)
    found = identity_of(request.scope) if request is not None else None
    return found or ANONYMOUS


def _introspects(document: Any) -> bool:
    """Whether the operation asks for ``__schema`` or ``__type`` at its root."""
    for definition in getattr(document, "definitions", ()):
        if isinstance(definition, OperationDefinitionNode):
            for sel in definition.selection_set.selections:
                if isinstance(sel, FieldNode) and sel.name.value in ("__schema", "__type"):
                    return True
    return False


class AccessControl(SchemaExtension):
    """Refuses an operation before validation when its caller may not run it."""

    def __init__(self, settings: Settings, book: TokenBook) -> None:
        self.settings = settings
        self.book = book
        self.introspection_roles = role_names(settings.introspection_roles)

    def on_validate(self) -> Iterator[None]:
        context: Any = self.execution_context.context
        identity = identity_from_context(context)
        mutation = self.execution_context.operation_type == OperationType.MUTATION
        deadline = getattr(context, "deadline", None)
        if mutation and deadline is not None:
            deadline.disarm()  # admin work (a large load) is not held to the read time limit
        try:
            check_access(self.book, identity, mutation)
            if (identity.role or "anonymous") not in self.introspection_roles and _introspects(
                self.execution_context.graphql_document
            ):
                raise AccessDenied(
                    f"introspection is not open to the {identity.role or 'anonymous'} role on "
                    "this server (GRIDGRAPH_INTROSPECTION_ROLES)",
                    403,
                )
        except AccessDenied as e:
            response = getattr(context, "response", None)
            if response is not None:
                response.status_code = e.status
                if e.status == 401:
                    response.headers["WWW-Authenticate"] = 'Bearer realm="gridgraph"'
            raise GraphQLError(str(e), extensions={"code": e.code}, original_error=e) from e
        yield
