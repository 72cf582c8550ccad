"""Who covers a building: every grid, post and unit that answers for it, level by level.

The question planners ask first (DOMAIN.md, question 1). The answer walks the five-level grid up
from the building and collects, at each level, the posts of the grid and whoever holds them, the
organisations linked to the grid (party organisations, committees, property managers, paired
departments, active organisations, co-construction partners) and the facilities that serve it.
On the contract's primitives it costs five store calls whatever the size of the graph: the
building, its grids, what is linked to the grids, the posts and partners of those, the holders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.model import Direction, Hop, Node, holds_on
from graph.queries.coverage.answer import (
    LEVELS_UP,
    Coverage,
    CoveringUnit,
    LevelCoverage,
    NotABuilding,
    PostHolding,
)
from graph.queries.dispatch import dispatchable
from graph.settings import today
from schema import ONTOLOGY
from schema.ontology import GRID_STEPS, GridLevel

#: Kinds that sign agreements as the territory side; every other party is a partner.
TERRITORY_KINDS = frozenset({"Community", "Subdistrict", "District"})
#: What links a grid to whatever covers it, followed either way.
LINKS_TO_GRID: tuple[str, ...] = (
    "POST_IN",
    "COVERS",
    "MANAGES",
    "PAIRED_WITH",
    "ACTIVE_IN",
    "PARTY_TO",
)


@dispatchable
def coverage_of_building(
    store: GraphStore, building_id: str, as_of: date | None = None
) -> Coverage:
    """Every unit that covers a building on ``as_of`` (default today), by grid level.

    Parameters
    ----------
    store : GraphStore
        The graph to ask.
    building_id : str
        Id of a ``Building`` node, e.g. ``building:410611001001-007-03``.
    as_of : date, optional
        The day the answer holds for; time-bound links (posts held, pairings, contracts,
        agreements) that are not in force on that day are left out. Default: today.

    Returns
    -------
    Coverage
        Five :class:`LevelCoverage` entries from building to district (``grid`` is None for a
        level the graph does not record).

    Raises
    ------
    NodeNotFound
        No node has that id.
    NotABuilding
        The node is not a building.

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> c = new_node("Compound", community_code="410611001001", compound_no="007", name="淇园")
    >>> b = new_node("Building", community_code="410611001001", compound_no="007",
    ...              building_no="03", name="3号楼")
    >>> _ = s.upsert_nodes([c, b])
    >>> _ = s.upsert_relationships([Relationship("PART_OF", b.id, c.id)])
    >>> cov = coverage_of_building(s, b.id, date(2024, 1, 1))
    >>> cov.level("compound").grid.name
    '淇园'
    """
    day = as_of or today()
    return assemble_coverage(building_id, gather_coverage(store, building_id, day), day)


@dataclass(frozen=True)
class CoverageMaterial:
    """The raw records :func:`assemble_coverage` reads, as the store hands them back.

    Gathered by :func:`gather_coverage` with five contract calls, or by a store in one round
    trip (:mod:`graph.queries.coverage.neo4j`); the mappings may hold more keys than the assembly
    reads (it looks records up by id, and keeps only the units' posts it would have asked for).
    """

    building: Node | None
    up: list[Node]
    """The nodes up ``PART_OF`` from the building within four steps, nearest first."""
    linked: Mapping[str, list[Hop]]
    """Grid id → hops either way along :data:`LINKS_TO_GRID`."""
    second: Mapping[str, list[Hop]]
    """Linked unit or agreement id → ``POST_IN`` and ``PARTY_TO`` hops in."""
    holders: Mapping[str, list[Hop]]
    """Post id → ``HOLDS`` hops in from persons."""


def gather_coverage(store: GraphStore, building_id: str, day: date) -> CoverageMaterial:
    """The five contract calls behind :func:`coverage_of_building`: exactly what it reads."""
    building = store.get_nodes([building_id]).get(building_id)
    _check_building(building_id, building)
    assert building is not None
    # Level 1: the grids the building lies in.
    up = store.walk([building_id], "PART_OF", Direction.OUT, GRID_STEPS, day)[building_id]
    grid_ids = [g.id for g in _grids(building, up).values()]

    # Level 2: what is linked to those grids (in: posts, covering units; out: agreements).
    linked = store.neighbours(grid_ids, LINKS_TO_GRID, Direction.BOTH, day)
    agreements, org_ids = _linked_units(linked, grid_ids, day)

    # Level 3: the posts of the linked units, and the other parties to the agreements.
    second = store.neighbours(
        sorted(org_ids | set(agreements)), ("POST_IN", "PARTY_TO"), Direction.IN, day
    )
    post_ids = {h.node.id for hops in linked.values() for h in hops if h.node.kind == "Post"}
    post_ids |= {
        h.node.id
        for nid in org_ids
        for h in second.get(nid, ())
        if h.relationship.type == "POST_IN"
    }

    # Level 4: who holds each post on the day.
    holders = store.neighbours(sorted(post_ids), "HOLDS", Direction.IN, day, kinds="Person")
    return CoverageMaterial(building, up, linked, second, holders)


def assemble_coverage(building_id: str, material: CoverageMaterial, day: date) -> Coverage:
    """The coverage answer from gathered records; pure, shared by every store."""
    building = material.building
    _check_building(building_id, building)
    assert building is not None
    grids = _grids(building, material.up)
    grid_ids = [g.id for g in grids.values()]
    agreements, org_ids = _linked_units(material.linked, grid_ids, day)
    asked = org_ids | set(agreements)  # the units whose posts and parties were asked for
    second = {k: v for k, v in material.second.items() if k in asked}
    assemble = _Assembler(second, dict(material.holders), agreements)
    levels = tuple(
        assemble.level(level, grids[level], material.linked.get(grids[level].id, []))
        if level in grids
        else LevelCoverage(level, None)
        for level in LEVELS_UP
    )
    return Coverage(building, day, levels)


def _check_building(building_id: str, building: Node | None) -> None:
    if building is None:
        raise NodeNotFound(f"no node with id {building_id}")
    if building.kind != "Building":
        raise NotABuilding(f"{building_id} is a {building.kind}, not a building")


def _grids(building: Node, up: Iterable[Node]) -> dict[GridLevel, Node]:
    """The building's grid at each level: the nearest node of that level up ``PART_OF``."""
    grids: dict[GridLevel, Node] = {GridLevel.BUILDING: building}
    for node in up:
        level = ONTOLOGY.kind(node.kind).grid_level
        if level is not None and level not in grids:
            grids[level] = node
    return grids


def _linked_units(
    linked: Mapping[str, list[Hop]], grid_ids: Iterable[str], day: date
) -> tuple[dict[str, Node], set[str]]:
    """The agreements in force the grids are party to, and the other units linked to them."""
    hops = [h for gid in grid_ids for h in linked.get(gid, ())]
    agreements = {
        h.node.id: h.node
        for h in hops
        if h.relationship.type == "PARTY_TO" and holds_on(h.node.props, day)
    }
    org_ids = {
        h.node.id for h in hops if h.node.kind != "Post" and h.relationship.type != "PARTY_TO"
    }
    return agreements, org_ids


@dataclass
class _Assembler:
    """Sorts the fetched links of each grid into the groups a coverage answer shows."""

    second: dict[str, list[Hop]]
    holders: dict[str, list[Hop]]
    agreements: dict[str, Node]

    def holding(self, post: Node) -> PostHolding:
        return PostHolding(post, tuple(h.node for h in self.holders.get(post.id, ())))

    def unit(self, hop: Hop, agreement: Node | None = None) -> CoveringUnit:
        posts = tuple(
            self.holding(h.node)
            for h in self.second.get(hop.node.id, ())
            if h.relationship.type == "POST_IN"
        )
        return CoveringUnit(hop.node, hop.relationship, posts, agreement)

    def level(self, level: GridLevel, grid: Node, hops: Iterable[Hop]) -> LevelCoverage:
        groups: dict[str, list[CoveringUnit]] = {
            g: [] for g in ("party", "committees", "managers", "paired", "active", "partners",
                            "facilities")
        }  # fmt: skip
        posts: list[PostHolding] = []
        seen_partners: set[str] = set()
        for hop in hops:
            rtype, other = hop.relationship.type, hop.node
            if rtype == "POST_IN" and other.kind == "Post":
                posts.append(self.holding(other))
            elif rtype == "COVERS":
                group = {"PartyOrganization": "party", "ServiceFacility": "facilities"}
                groups[group.get(other.kind, "committees")].append(self.unit(hop))
            elif rtype in _GROUP_OF:
                groups[_GROUP_OF[rtype]].append(self.unit(hop))
            elif rtype == "PARTY_TO" and other.id in self.agreements:
                for party_hop in self.second.get(other.id, ()):
                    partner = party_hop.node
                    if party_hop.relationship.type != "PARTY_TO":
                        continue
                    if partner.kind in TERRITORY_KINDS or partner.id in seen_partners:
                        continue
                    seen_partners.add(partner.id)
                    groups["partners"].append(self.unit(party_hop, other))
        return LevelCoverage(
            level, grid, tuple(posts), tuple(groups["party"]), tuple(groups["committees"]),
            tuple(groups["managers"]), tuple(groups["paired"]), tuple(groups["active"]),
            tuple(groups["partners"]), tuple(groups["facilities"]),
        )  # fmt: skip


_GROUP_OF = {"MANAGES": "managers", "PAIRED_WITH": "paired", "ACTIVE_IN": "active"}
