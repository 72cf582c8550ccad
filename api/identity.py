"""Who is asking: named tokens with roles, resolved once per request from its headers.

A caller is an :class:`Identity`: a person's or app's name, a :class:`Role` and, for admins,
optionally a scope (a subdistrict or community id) their changes must stay within. Tokens live
in a tokens file (``GRIDGRAPH_TOKENS_FILE``, TOML, format in docs/security.md) as SHA-256
hashes, never in clear; ``gridgraph token add`` writes an entry and prints the token once.
``GRIDGRAPH_ADMIN_TOKEN`` and ``GRIDGRAPH_READ_TOKEN`` still work, as an admin named ``admin``
and a reader named ``reader``.

Resolution is strict, so that every layer (access control, the response cache, the audit
trail) sees the same caller: more than one ``Authorization`` header is refused (400), a header
that is not ``Bearer <token>`` is refused (401), a token nobody holds is refused (403) and
counts against the client's failure allowance (:class:`FailureLimiter`, then 429).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import tomllib
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from graph.errors import GridGraphError
from graph.settings import Settings
from schema import ONTOLOGY

ADMIN_ENV = "GRIDGRAPH_ADMIN_TOKEN"
READ_ENV = "GRIDGRAPH_READ_TOKEN"
TOKENS_ENV = "GRIDGRAPH_TOKENS_FILE"


class Role(StrEnum):
    """What a caller may do; each role may do what the ones before it may."""

    READER = "reader"  # reads, personal data masked
    PLANNER = "planner"  # + lists of people (paged, logged)
    APP = "app"  # + personal data unmasked (logged): apps dispatch events to people
    ADMIN = "admin"  # + mutations, the import log, the audit trail

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


@dataclass(frozen=True)
class Identity:
    """A resolved caller; ``role`` None is an anonymous caller."""

    name: str
    role: Role | None
    scope: str | None = None

    @property
    def key(self) -> bytes:
        """What the response cache keys on: answers differ by role and are logged by name."""
        return f"{self.role or '-'}\x00{self.name}\x00{self.scope or ''}".encode()

    def may(self, role: Role) -> bool:
        return self.role is not None and self.role.at_least(role)


ANONYMOUS = Identity("anonymous", None)


class AccessDenied(GridGraphError):
    """A request refused for who sent it; ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status

    @property
    def code(self) -> str:
        return {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 429: "TOO_MANY_REQUESTS"}.get(
            self.status, "FORBIDDEN"
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenEntry:
    name: str
    role: Role
    sha256: str
    scope: str | None = None


def read_tokens_file(path: Path) -> list[TokenEntry]:
    """The entries of a tokens file; a clear error naming the file and entry otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise GridGraphError(f"cannot read tokens file {path}: {e}") from None
    entries = []
    for i, raw in enumerate(data.get("token", []), start=1):
        where = f"tokens file {path}, token {i}"
        name, role, digest = raw.get("name"), raw.get("role"), raw.get("sha256")
        scope = raw.get("scope")
        if not isinstance(name, str) or not name.strip():
            raise GridGraphError(f"{where}: `name` is missing")
        if role not in {r.value for r in Role}:
            raise GridGraphError(f"{where} ({name}): role must be one of {', '.join(Role)}")
        if not isinstance(digest, str) or len(digest) != 64:
            raise GridGraphError(f"{where} ({name}): `sha256` must be 64 hex digits")
        if scope is not None and role != Role.ADMIN:
            raise GridGraphError(f"{where} ({name}): only an admin token may have a scope")
        if scope is not None and _scope_kind(scope) not in SCOPE_KINDS:
            raise GridGraphError(
                f"{where} ({name}): scope must be a subdistrict or community id, such as "
                f"community:410611001001, not {scope!r}"
            )
        entries.append(TokenEntry(name.strip(), Role(role), digest.lower(), scope))
    return entries


#: What an admin's scope may be: the changes of such an admin stay within it (graph.scope).
SCOPE_KINDS = ("Subdistrict", "Community")


def _scope_kind(scope: object) -> str | None:
    if not isinstance(scope, str) or not scope.partition(":")[2]:
        return None
    try:
        return ONTOLOGY.kind_of_id(scope).name
    except KeyError:
        return None


class TokenBook:
    """Every token the server accepts, as hashes, with who holds it."""

    def __init__(self, settings: Settings) -> None:
        entries = read_tokens_file(settings.tokens_file) if settings.tokens_file else []
        for secret, name, role in (
            (settings.admin_token, "admin", Role.ADMIN),
            (settings.read_token, "reader", Role.READER),
        ):
            if secret is not None and secret.get_secret_value():
                entries.append(TokenEntry(name, role, token_hash(secret.get_secret_value())))
        self.entries = entries
        self.mutations_enabled = any(e.role == Role.ADMIN for e in entries)
        #: reads need a token as soon as any reader or named token is configured
        self.reads_open = not settings.tokens_file and not (
            settings.read_token is not None and settings.read_token.get_secret_value()
        )

    def lookup(self, token: str) -> Identity | None:
        digest = token_hash(token).encode()
        found = None
        for entry in self.entries:  # every entry compared, in constant time each
            if hmac.compare_digest(digest, entry.sha256.encode()):
                found = found or Identity(entry.name, entry.role, entry.scope)
        return found


class FailureLimiter:
    """At most ``limit`` refused tokens per client address within ``window`` seconds; then
    every request from that address is refused (429) until the window has passed."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.setdefault(client, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, client: str) -> float | None:
        """Seconds to wait if ``client`` is over its allowance, else None."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(client, now)
            if len(times) >= self.limit:
                return max(self.window - (now - times[0]), 0.0)
            if not times:
                self._failures.pop(client, None)
            return None

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())


def resolve(book: TokenBook, authorization: list[str]) -> Identity:
    """The caller named by the request's ``Authorization`` headers (all of them)."""
    if len(authorization) > 1:
        raise AccessDenied("send one Authorization header, not several", 400)
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization[0].strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise AccessDenied("the Authorization header must be 'Bearer <token>'", 401)
    identity = book.lookup(token)
    if identity is None:
        raise AccessDenied("the bearer token is not one this server knows", 403)
    return identity


def check_access(book: TokenBook, identity: Identity, mutation: bool) -> None:
    """Raise :class:`AccessDenied` unless ``identity`` may run this kind of operation."""
    if not mutation:
        if identity.role is None and not book.reads_open:
            raise AccessDenied("this API needs a token: send 'Authorization: Bearer <token>'", 401)
        return
    if not book.mutations_enabled:
        raise AccessDenied(
            f"mutations are disabled: {ADMIN_ENV} is not set on the server "
            "and the tokens file names no admin",
            403,
        )
    if identity.role is None:
        raise AccessDenied(
            f"mutations need the admin token: send 'Authorization: Bearer <{ADMIN_ENV}>'", 401
        )
    if not identity.may(Role.ADMIN):
        raise AccessDenied(
            f"mutations need an admin token; {identity.name} holds a {identity.role} token", 403
        )
