"""Who may do what: mutations need the admin token; reads need the read token, if one is set.

A schema extension, not an HTTP middleware: it runs once the operation is parsed, so it knows
whether the request is a query or a mutation whatever the transport (JSON, GET, or the GraphQL
multipart request that carries an upload). A refusal stops the operation before validation and
execution (nothing runs, nothing changes), answers with a GraphQL error, and sets the HTTP
status through the request's sub-response:

- no ``Authorization: Bearer ...`` header where one is needed: 401, with ``WWW-Authenticate``;
- a token that is not the right one: 403;
- a mutation while no admin token is configured: 403 (mutations are off until
  ``GRIDGRAPH_ADMIN_TOKEN`` is set).

Tokens are compared with :func:`secrets.compare_digest`. A refused request is never cached by
:mod:`api.response_cache`, which keeps only 200 answers without errors; the cache key holds the
Authorization header, so a cached answer is only ever served to the same credentials.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from pydantic import SecretStr
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from graph.errors import GridGraphError
from graph.settings import Settings

ADMIN_ENV = "GRIDGRAPH_ADMIN_TOKEN"
READ_ENV = "GRIDGRAPH_READ_TOKEN"


class AccessDenied(GridGraphError):
    """A request without the token its operation needs; ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status

    @property
    def code(self) -> str:
        return "UNAUTHENTICATED" if self.status == 401 else "FORBIDDEN"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None when absent or another
    scheme (the scheme name is case-insensitive, as HTTP says)."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def _matches(token: str, secret: SecretStr | None) -> bool:
    if secret is None or not secret.get_secret_value():
        return False
    return secrets.compare_digest(token.encode(), secret.get_secret_value().encode())


def check_access(settings: Settings, authorization: str | None, mutation: bool) -> None:
    """Raise :class:`AccessDenied` unless ``authorization`` may run this kind of operation."""
    token = bearer_token(authorization)
    admin = settings.admin_token
    if mutation:
        if admin is None or not admin.get_secret_value():
            raise AccessDenied(f"mutations are disabled: {ADMIN_ENV} is not set on the server", 403)
        if token is None:
            raise AccessDenied(
                f"mutations need the admin token: send 'Authorization: Bearer <{ADMIN_ENV}>'", 401
            )
        if not _matches(token, admin):
            raise AccessDenied(f"the bearer token is not the admin token ({ADMIN_ENV})", 403)
        return
    read = settings.read_token
    if read is None or not read.get_secret_value():
        return  # reads are open
    if token is None:
        raise AccessDenied(
            f"this API needs a read token: send 'Authorization: Bearer <{READ_ENV}>'", 401
        )
    if not (_matches(token, read) or _matches(token, admin)):
        raise AccessDenied(f"the bearer token is neither the read token ({READ_ENV}) "
                           f"nor the admin token ({ADMIN_ENV})", 403)  # fmt: skip


class AccessControl(SchemaExtension):
    """Refuses an operation before validation when its caller lacks the token it needs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_validate(self) -> Iterator[None]:
        context: Any = self.execution_context.context
        request = getattr(context, "request", None)
        header = request.headers.get("authorization") if request is not None else None
        mutation = self.execution_context.operation_type == OperationType.MUTATION
        try:
            check_access(self.settings, header, mutation)
        except AccessDenied as e:
            response = getattr(context, "response", None)
            if response is not None:
                response.status_code = e.status
                if e.status == 401:
                    response.headers["WWW-Authenticate"] = 'Bearer realm="gridgraph"'
            raise GraphQLError(str(e), extensions={"code": e.code}, original_error=e) from e
        yield
