"""The planner's to-do list: every grid whose responsibility chain has a missing link on a date.

Computed over the whole district in a fixed number of store calls (one listing per grid kind,
one ``neighbours`` call for the parents, the three of
:func:`~graph.queries.grid_links.collect_links`, two for the event catalogue) with the very rules
the chain uses, so the report lists exactly the gaps that the chains of its buildings show.
Owner-managed compounds (an OwnersCommittee MANAGES them) are not gaps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from graph.contract import GraphStore
from graph.model import Direction, Hop, Node
from graph.queries.chain.query import as_day, event_facts
from graph.queries.dispatch import dispatchable
from graph.queries.gaps.answer import GapReport, GapRow
from graph.queries.grid_links.query import (
    LinkMaterial,
    assemble_links,
    gap_sort_key,
    gather_links,
    parent_gap,
)
from schema import ONTOLOGY
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER


@dispatchable
def find_gaps(store: GraphStore, as_of: date | str | None = None) -> GapReport:
    """Every building, compound, community, subdistrict and district grid (and event type)
    with a missing link in its responsibility chain on ``as_of`` (today by default).

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> k = new_node("Compound", community_code="410611001001", compound_no="1", name="桃园小区")
    >>> oc = new_node("OwnersCommittee", community_code="410611001001", compound_no="1")
    >>> _ = s.upsert_nodes([k, oc])
    >>> _ = s.upsert_relationships([Relationship("MANAGES", oc.id, k.id)])
    >>> sorted(find_gaps(s, "2024-01-01").counts().items())
    [(('compound', 'no_parent_grid'), 1), (('compound', 'no_party_organization'), 1), \
(('compound', 'no_person_in_charge'), 1)]
    """
    day = as_day(as_of)
    return assemble_gaps(gather_gaps(store, day), day)


@dataclass(frozen=True)
class GapMaterial:
    """The raw records :func:`assemble_gaps` reads, as the store hands them back.

    Gathered by :func:`gather_gaps` with contract calls, or by a store in one round trip
    (:mod:`graph.queries.gaps.neo4j`); mappings may hold more keys than the assembly reads.
    """

    grids: Mapping[GridLevel, list[Node]]
    """Every grid node of each level, ordered by id."""
    up: Mapping[str, list[Hop]]
    """Per grid below the district: its ``PART_OF`` hops out."""
    links: LinkMaterial
    """The hops of every grid inside the grid system (``gather_links``)."""
    events: list[Node]
    """Every event type, ordered by id."""
    event_hops: Mapping[str, list[Hop]]
    """Per event type: its ``HANDLED_BY`` hops out."""


def gather_gaps(store: GraphStore, day: date) -> GapMaterial:
    """The contract calls behind :func:`find_gaps`: exactly what it reads."""
    grids: dict[GridLevel, list[Node]] = {
        level: store.nodes_of_kind(ONTOLOGY.grid_kind(level).name) for level in CHAIN_ORDER
    }
    children = _children(grids)
    up = store.neighbours([g.id for g in children], "PART_OF", Direction.OUT, day)
    everything, _, _ = _scope(grids, up)
    links = gather_links(store, everything, day)
    events = store.nodes_of_kind("EventType")
    hops = store.neighbours([e.id for e in events], "HANDLED_BY", Direction.OUT, day)
    return GapMaterial(grids, up, links, events, hops)


def _children(grids: Mapping[GridLevel, list[Node]]) -> list[Node]:
    district = ONTOLOGY.grid_kind(GridLevel.DISTRICT).name
    return [g for level in CHAIN_ORDER for g in grids[level] if g.kind != district]


def _scope(
    grids: Mapping[GridLevel, list[Node]], up: Mapping[str, list[Hop]]
) -> tuple[list[Node], dict[str, Node | None], set[str]]:
    """The grids to check, each child's parent grid, and the subdistricts outside the system."""
    parent: dict[str, Node | None] = {}
    for grid in _children(grids):
        level = ONTOLOGY.kind(grid.kind).grid_level
        assert level is not None
        want = ONTOLOGY.grid_kind(CHAIN_ORDER[CHAIN_ORDER.index(level) + 1]).name
        parent[grid.id] = next((h.node for h in up.get(grid.id, ()) if h.node.kind == want), None)

    # A town or subdistrict with no community grid under it lies outside the grid system
    # (the seed's towns): no chain passes through it, so it has nothing to report.
    subdistrict_kind = ONTOLOGY.grid_kind(GridLevel.SUBDISTRICT).name
    with_communities = {
        p.id for p in parent.values() if p is not None and p.kind == subdistrict_kind
    }
    outside = {g.id for g in grids[GridLevel.SUBDISTRICT] if g.id not in with_communities}
    everything = [g for level in CHAIN_ORDER for g in grids[level] if g.id not in outside]
    return everything, parent, outside


def assemble_gaps(material: GapMaterial, day: date) -> GapReport:
    """The report from gathered records; pure, shared by every store."""
    grids = material.grids
    everything, parent, outside = _scope(grids, material.up)
    links = assemble_links(everything, material.links, day)

    rows: list[GapRow] = []
    for grid in everything:
        community = _community_of(grid, parent)
        gaps = list(links[grid.id].gaps)
        if grid.id in parent and parent[grid.id] is None:
            gaps.append(parent_gap(links[grid.id].level, grid, day))
        rows.extend(GapRow(g, grid, community) for g in gaps)

    events = material.events
    for event in events:
        hops = material.event_hops.get(event.id, [])
        rows.extend(GapRow(g, event) for g in event_facts(event, hops, day).gaps)

    rows.sort(key=lambda r: (gap_sort_key(r.gap), r.node.id))
    checked = {level.value: len(grids[level]) for level in CHAIN_ORDER}
    checked[GridLevel.SUBDISTRICT.value] -= len(outside)
    checked["event"] = len(events)
    return GapReport(day, tuple(rows), checked)


def _community_of(grid: Node, parent: dict[str, Node | None]) -> Node | None:
    """The community a grid lies in (itself for a community), following PART_OF up."""
    community_kind = ONTOLOGY.grid_kind(GridLevel.COMMUNITY).name
    node: Node | None = grid
    for _ in CHAIN_ORDER:
        if node is None or node.kind == community_kind:
            return node
        node = parent.get(node.id)
    return None
