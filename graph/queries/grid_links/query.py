"""The links that make a grid answerable on a date, fetched in batches, and what is missing.

Shared by :mod:`graph.queries.chain` (five grids) and :mod:`graph.queries.gaps` (every grid of
the district): both call :func:`collect_links`, so a gap the report lists is exactly a gap the
chain shows. The rules (which posts put someone in charge, which party organisation belongs to a
level, what a compound or community must have) are declared in :mod:`schema.responsibility`.

Three store calls whatever the number of grids: the grids' incoming links (posts, party
organisations, leading groups, pairings, management contracts), the posts of the organisations
found, and the holders of every post.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from graph.contract import GraphStore
from graph.model import Direction, Hop, Node
from schema import ONTOLOGY
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER, DUTY_OF, LevelDuty, UnitRole, Via

#: The level a gap of the event type itself (not of a grid) is reported at.
EVENT_LEVEL = "event"


class GapKind(StrEnum):
    """Kinds of missing link, as the planner's to-do list groups them."""

    NO_PARENT_GRID = "no_parent_grid"
    NO_PERSON_IN_CHARGE = "no_person_in_charge"
    NO_PARTY_ORGANIZATION = "no_party_organization"
    NO_PROPERTY_MANAGER = "no_property_manager"
    NO_PAIRING = "no_pairing"
    NO_LEADING_GROUP = "no_leading_group"
    NO_HANDLER = "no_handler"
    NO_RESPONSE_LEVEL = "no_response_level"

    @property
    def description(self) -> str:
        return GAP_DESCRIPTIONS[self]


GAP_DESCRIPTIONS: dict[GapKind, str] = {
    GapKind.NO_PARENT_GRID: "The grid is not part of a grid one level up (隶属关系缺失).",
    GapKind.NO_PERSON_IN_CHARGE: "Nobody holds the post that puts someone in charge of the grid "
    "(楼栋长、小区网格长或支部书记、社区网格长、联系街道的区领导、领导小组组长).",
    GapKind.NO_PARTY_ORGANIZATION: "No party organisation of the grid's level covers it (党组织).",
    GapKind.NO_PROPERTY_MANAGER: "Neither a property firm nor the owners' committee manages the "
    "compound (物业或业主自管).",
    GapKind.NO_PAIRING: "No district department is paired with the community (机关包联), so "
    "there is no community grid leader and no pairing side to hold accountable.",
    GapKind.NO_LEADING_GROUP: "No leading group covers the district (网格化社会治理领导小组).",
    GapKind.NO_HANDLER: "No functional department handles the event type (1+5+N 处置单位).",
    GapKind.NO_RESPONSE_LEVEL: "The event type has no default response level (响应层级).",
}

#: Order gaps are listed in, within a level.
_GAP_ORDER = {k: i for i, k in enumerate(GapKind)}
_LEVEL_ORDER = {lvl.value: i for i, lvl in enumerate(reversed(GridLevel))} | {EVENT_LEVEL: 99}


@dataclass(frozen=True, slots=True)
class Gap:
    """A missing link in a chain on a date: at which level, of what kind, why, and where.

    ``node_id`` is the grid (or event type) that lacks the link.
    """

    level: str
    what: GapKind
    reason: str
    node_id: str

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity without the wording: level, kind and node."""
        return (self.level, self.what.value, self.node_id)


def group_order(level: str, what: str) -> tuple[int, int]:
    """Order of a ``(level, kind of gap)`` group: building level first, the event last."""
    return (_LEVEL_ORDER.get(level, 50), _GAP_ORDER[GapKind(what)])


def gap_sort_key(gap: Gap) -> tuple[int, int, str]:
    return (*group_order(gap.level, gap.what), gap.node_id)


def parent_gap(level: GridLevel, grid: Node, as_of: date) -> Gap:
    """The gap of a grid that is not part of any grid one level up."""
    above = CHAIN_ORDER[CHAIN_ORDER.index(level) + 1]
    return Gap(
        level.value,
        GapKind.NO_PARENT_GRID,
        f"{_label(grid)}: not part of any {above.value} on {as_of}",
        grid.id,
    )


@dataclass(frozen=True, slots=True)
class PersonInCharge:
    """A person holding a post on the date; ``via`` is the organisation the post belongs to."""

    person: Node
    post: Node
    post_type: str
    valid_from: str | None = None
    valid_to: str | None = None
    via: Node | None = None


@dataclass(frozen=True, slots=True)
class PartyOrgAtLevel:
    """The party organisation covering a grid, with the holders of its leading posts."""

    organization: Node
    leaders: tuple[PersonInCharge, ...] = ()


@dataclass(frozen=True, slots=True)
class ConvenableUnit:
    """A unit a grid may convene, and why: every :class:`~schema.responsibility.UnitRole` it
    plays there, in the order of 1+5+N (a paired department that is also a key unit is listed
    once, with both roles, so neither reason is lost)."""

    unit: Node
    roles: tuple[UnitRole, ...]
    valid_from: str | None = None
    valid_to: str | None = None

    @property
    def role(self) -> UnitRole:
        """The first of :attr:`roles`: why the unit was listed first."""
        return self.roles[0]


@dataclass
class GridLinks:
    """Everything one grid has on the date, and the gaps that follow from it."""

    grid: Node
    level: GridLevel
    in_charge: list[PersonInCharge] = field(default_factory=list)
    party_organizations: list[PartyOrgAtLevel] = field(default_factory=list)
    managers: list[ConvenableUnit] = field(default_factory=list)
    paired_departments: list[ConvenableUnit] = field(default_factory=list)
    leading_groups: list[Node] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


INCOMING_TYPES: tuple[str, ...] = ("POST_IN", "COVERS", "MANAGES", "PAIRED_WITH")
INCOMING_KINDS: tuple[str, ...] = (
    "Post",
    "PartyOrganization",
    "LeadingGroup",
    "PropertyFirm",
    "OwnersCommittee",
    "Department",
)
_MANAGER_ROLE = {
    "PropertyFirm": UnitRole.PROPERTY_FIRM,
    "OwnersCommittee": UnitRole.OWNERS_COMMITTEE,
}


def level_of(node: Node) -> GridLevel:
    """The grid level of a grid node, from the ontology."""
    level = ONTOLOGY.kind(node.kind).grid_level
    if level is None:
        raise ValueError(f"{node.id} is a {node.kind}, not a grid")
    return level


@dataclass(frozen=True)
class LinkMaterial:
    """The raw hops :func:`assemble_links` reads, as the store hands them back.

    Each mapping is keyed by node id and holds hops in the contract's order (relationship
    type, neighbour id, relationship id), all in force on the date. A key missing from a
    mapping means "no hops"; keys the assembly never asks for are ignored, so a gatherer may
    fetch more (the Neo4j native queries fetch the posts of every linked unit in one go).
    """

    incoming: Mapping[str, list[Hop]]
    """Grid id → hops in along :data:`INCOMING_TYPES` from :data:`INCOMING_KINDS`."""
    org_posts: Mapping[str, list[Hop]]
    """Organisation id → ``POST_IN`` hops in from posts."""
    holders: Mapping[str, list[Hop]]
    """Post id → ``HOLDS`` hops in from persons."""


def collect_links(store: GraphStore, grids: Sequence[Node], as_of: date) -> dict[str, GridLinks]:
    """The links of every grid in ``grids`` on ``as_of``, with their gaps; three store calls."""
    return assemble_links(grids, gather_links(store, grids, as_of), as_of)


def gather_links(store: GraphStore, grids: Sequence[Node], as_of: date) -> LinkMaterial:
    """The three store calls behind :func:`collect_links`: exactly the hops it reads."""
    if not grids:
        return LinkMaterial({}, {}, {})
    grid_ids = [g.id for g in grids]
    incoming = store.neighbours(grid_ids, INCOMING_TYPES, Direction.IN, as_of, INCOMING_KINDS)
    org_ids: set[str] = set()
    post_ids: set[str] = set()
    for grid in grids:
        _, posts, orgs = _classify(grid, incoming[grid.id])
        org_ids |= {o.id for ns in orgs.values() for o in ns}
        post_ids |= {h.node.id for h in posts}
    org_posts = (
        store.neighbours(sorted(org_ids), "POST_IN", Direction.IN, as_of, "Post") if org_ids else {}
    )
    post_ids |= {h.node.id for hops in org_posts.values() for h in hops}
    holders = (
        store.neighbours(sorted(post_ids), "HOLDS", Direction.IN, as_of, "Person")
        if post_ids
        else {}
    )
    return LinkMaterial(incoming, org_posts, holders)


def _classify(
    grid: Node, hops: Iterable[Hop]
) -> tuple[GridLinks, list[Hop], dict[Via, list[Node]]]:
    """Sort a grid's incoming hops by its level's duties: the links, its posts, its orgs."""
    level = level_of(grid)
    duty = DUTY_OF[level]
    gl = GridLinks(grid, level)
    wanted_here = {s.post_type.value for s in duty.leaders if s.via is Via.GRID}
    posts: list[Hop] = []
    orgs: dict[Via, list[Node]] = {v: [] for v in Via}
    for hop in hops:
        rel, node = hop.relationship, hop.node
        if rel.type == "POST_IN" and node.get("post_type") in wanted_here:
            posts.append(hop)
        elif rel.type == "COVERS" and node.kind == "PartyOrganization":
            if node.get("level") == duty.party_level.value:
                orgs[Via.PARTY_ORGANIZATION].append(node)
        elif rel.type == "COVERS" and node.kind == "LeadingGroup" and duty.needs_leading_group:
            orgs[Via.LEADING_GROUP].append(node)
            gl.leading_groups.append(node)
        elif rel.type == "MANAGES" and duty.needs_manager:
            gl.managers.append(_unit(hop, _MANAGER_ROLE[node.kind]))
        elif rel.type == "PAIRED_WITH" and duty.needs_pairing and node.kind == "Department":
            orgs[Via.PAIRED_DEPARTMENT].append(node)
            gl.paired_departments.append(_unit(hop, UnitRole.PAIRED_DEPARTMENT))
    return gl, posts, orgs


def assemble_links(
    grids: Sequence[Node], material: LinkMaterial, as_of: date
) -> dict[str, GridLinks]:
    """The links and gaps of every grid in ``grids``, from hops already fetched; no store."""
    links: dict[str, GridLinks] = {}
    for grid in grids:
        gl, grid_posts, orgs = _classify(grid, material.incoming.get(grid.id, ()))
        links[grid.id] = gl
        duty = DUTY_OF[gl.level]
        seen: set[str] = set()  # a person is listed once, under the first post that applies
        for source in duty.leaders:
            found: list[tuple[Node, Node | None]]
            if source.via is Via.GRID:
                found = [(h.node, None) for h in grid_posts]
            else:
                found = [
                    (h.node, org)
                    for org in orgs[source.via]
                    for h in material.org_posts.get(org.id, ())
                ]
            for post, via in found:
                if post.get("post_type") != source.post_type.value:
                    continue
                for person in _holders(material.holders, post, via):
                    if person.person.id not in seen:
                        seen.add(person.person.id)
                        gl.in_charge.append(person)
        for org in orgs[Via.PARTY_ORGANIZATION]:
            leaders = [
                person
                for hop in material.org_posts.get(org.id, ())
                if hop.node.get("post_type") in {p.value for p in duty.party_leader_posts}
                for person in _holders(material.holders, hop.node, org)
            ]
            gl.party_organizations.append(PartyOrgAtLevel(org, tuple(leaders)))
        gl.gaps = _gaps(gl, duty, as_of)
    return links


def _unit(hop: Hop, role: UnitRole) -> ConvenableUnit:
    props = hop.relationship.props
    return ConvenableUnit(hop.node, (role,), props.get("valid_from"), props.get("valid_to"))


def _holders(
    holders: Mapping[str, list[Hop]], post: Node, via: Node | None
) -> Iterable[PersonInCharge]:
    for hop in holders.get(post.id, ()):
        props = hop.relationship.props
        yield PersonInCharge(
            hop.node,
            post,
            str(post.get("post_type")),
            props.get("valid_from"),
            props.get("valid_to"),
            via,
        )


def _label(node: Node) -> str:
    return f"{node.name} ({node.id})" if node.name else node.id


def _gaps(gl: GridLinks, duty: LevelDuty, as_of: date) -> list[Gap]:
    """The missing links of one grid; each missing thing is reported once, at its cause."""
    day = as_of.isoformat()
    level, grid = gl.level.value, gl.grid
    gaps: list[Gap] = []

    def gap(what: GapKind, reason: str) -> None:
        gaps.append(Gap(level, what, f"{_label(grid)}: {reason} on {day}", grid.id))

    no_group = duty.needs_leading_group and not gl.leading_groups
    no_pairing = duty.needs_pairing and not gl.paired_departments
    if no_group:
        gap(GapKind.NO_LEADING_GROUP, "no leading group covers the district")
    if no_pairing:
        gap(GapKind.NO_PAIRING, "no department is paired with the community")
    if not gl.in_charge and not (no_group or no_pairing):
        # A missing group or pairing already explains a missing head: one gap, at its cause.
        posts = " or ".join(_post_phrase(s.post_type.value, s.via) for s in duty.leaders)
        gap(GapKind.NO_PERSON_IN_CHARGE, f"nobody holds {posts}")
    if not gl.party_organizations:
        gap(GapKind.NO_PARTY_ORGANIZATION, f"no {duty.party_level.value} covers the grid")
    if duty.needs_manager and not gl.managers:
        mode = grid.get("management_mode")
        note = f" (management_mode: {mode})" if mode else ""
        gap(GapKind.NO_PROPERTY_MANAGER, f"no property firm or owners' committee manages it{note}")
    return gaps


def _post_phrase(post_type: str, via: Via) -> str:
    return post_type if via is Via.GRID else f"{post_type} of the {via.value}"
