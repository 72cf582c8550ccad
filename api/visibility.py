"""Records some roles may not see at all, wherever they would appear: by id, in a search, in a
list. Today the import log (``ImportRun``: which files an office loaded, when, by whom), which
is for admins whatever else the server leaves open. And records some roles may not list in
bulk: people, whose lists (and searches, which are lists by another name) need the planner role
and are logged page by page.

Personal *fields* are a different rule (:mod:`api.personal`, masked below the app role); this one
hides whole records, so that no root field becomes a way around the one that lists them.
"""

from __future__ import annotations

from collections.abc import Iterable

from api.identity import AccessDenied, Identity, Role
from schema import ONTOLOGY

#: Kinds whose records only this role (and those above it) may see.
KIND_ROLE: dict[str, Role] = {"ImportRun": Role.ADMIN}

#: Lists (and searches) of a kind that only some roles may page through, and whether each page
#: is logged in the audit trail.
LISTING_ROLE: dict[str, tuple[Role, bool]] = {
    "Person": (Role.PLANNER, True),  # people in bulk: planners and up, every page logged
    "ImportRun": (Role.ADMIN, False),  # the import log: admins only
}


def may_list_kind(identity: Identity, kind: str) -> bool:
    rule = LISTING_ROLE.get(kind)
    return may_see_kind(identity, kind) and (rule is None or identity.may(rule[0]))


def logged_listing(kind: str) -> bool:
    """Whether each page of ``kind`` a caller lists goes into the audit trail."""
    rule = LISTING_ROLE.get(kind)
    return rule is not None and rule[1]


def may_see_kind(identity: Identity, kind: str) -> bool:
    role = KIND_ROLE.get(kind)
    return role is None or identity.may(role)


def check_kind(identity: Identity, kind: str) -> None:
    """Raise :class:`AccessDenied` (401 anonymous, 403 another role) unless ``identity`` may
    see records of ``kind``."""
    if may_see_kind(identity, kind):
        return
    role = KIND_ROLE[kind]
    whom = f"{identity.name} holds a {identity.role} token" if identity.role else "send a token"
    raise AccessDenied(
        f"{kind} records are shown to the {role} role or above; {whom} "
        f"({kind} 记录仅对 {role} 及以上角色可见)",
        403 if identity.role else 401,
    )


def check_listing(identity: Identity, kind: str) -> None:
    """Raise :class:`AccessDenied` unless ``identity`` may list records of ``kind`` in bulk."""
    check_kind(identity, kind)
    if may_list_kind(identity, kind):
        return
    role = LISTING_ROLE[kind][0]
    whom = "anonymous callers may not"
    if identity.role:
        whom = f"{identity.name} holds a {identity.role} token"
    raise AccessDenied(
        f"listing {kind} nodes needs the {role} role or above; {whom}",
        403 if identity.role else 401,
    )


def visible_kinds(identity: Identity, kinds: Iterable[str] | None) -> list[str] | None:
    """The kinds a search may return to ``identity``: those asked for (each checked), or every
    kind it may list (None when that is every kind)."""
    if kinds is not None:
        asked = list(kinds)
        for kind in asked:
            check_listing(identity, kind)
        return asked
    hidden = [k for k in {*KIND_ROLE, *LISTING_ROLE} if not may_list_kind(identity, k)]
    if not hidden:
        return None
    return [k for k in ONTOLOGY.kinds if k not in hidden]
