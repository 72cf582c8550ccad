"""Responsibility chains: who answers for an event of type E at building B, level by level.

The question the grid workers' app, the hotline and the dispatch desk ask. The answer walks up
the five-level grid (building → compound → community → subdistrict → district) and gives, at
each level, the person in charge with their post, the party organisation, the meeting that level
convenes and the units it may convene; beside the levels, the functional departments that handle
E (1+5+N), E's default response level and both sides of double accountability (territory and
pairing). Posts, pairings and contracts are read as of a date. A missing link is an explicit
:class:`~graph.queries.grid_links.Gap`, never a silently shorter chain.

Store calls are bounded whatever the size of the graph or the number of chains asked for:
one ``get_nodes``, one ``walk`` up the grid, three ``neighbours`` calls for the grids' links
(:func:`~graph.queries.grid_links.collect_links`), one for the event types, one ``nodes_of_kind``
for the five key units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.model import Direction, Hop, Node
from graph.queries.chain.answer import (
    Accountability,
    ChainLevel,
    Handler,
    Meeting,
    ResponsibilityChain,
)
from graph.queries.dispatch import dispatchable
from graph.queries.grid_links.query import (
    EVENT_LEVEL,
    ConvenableUnit,
    Gap,
    GapKind,
    GridLinks,
    LinkMaterial,
    assemble_links,
    gap_sort_key,
    gather_links,
    parent_gap,
)
from graph.settings import today
from schema import ONTOLOGY
from schema.ontology import GRID_STEPS, GridLevel
from schema.responsibility import CHAIN_ORDER, DUTY_OF, UnitRole
from schema.vocab import KEY_FIVE

"""Steps up ``PART_OF`` from a building to its district."""


def as_day(as_of: date | str | None) -> date:
    """The date a query is asked for: today when None; ISO strings accepted."""
    if as_of is None:
        return today()
    return as_of if isinstance(as_of, date) else date.fromisoformat(as_of)


def responsibility_chain(
    store: GraphStore,
    building_id: str,
    event_type_id: str,
    as_of: date | str | None = None,
) -> ResponsibilityChain:
    """The responsibility chain for an event of type ``event_type_id`` at ``building_id``.

    Parameters
    ----------
    store : GraphStore
        Any store; on Neo4j one round trip answers it (:mod:`graph.queries.chain.neo4j`).
    building_id : str
        Id of a Building node, e.g. ``building:410611001001-007-03``.
    event_type_id : str
        Id of an EventType node.
    as_of : date or ISO string, optional
        The day whose posts, pairings and contracts count; today by default.

    Returns
    -------
    ResponsibilityChain
        Five levels, building first, each with its gaps; the handlers of the event type; its
        default response level; the accountable territory and pairing; all gaps together.

    Raises
    ------
    NodeNotFound
        When the building or the event type does not exist (or is of another kind).

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> b = new_node("Building", community_code="410611001001", compound_no="1", building_no="1")
    >>> e = new_node("EventType", code="E01", response_level="community")
    >>> _ = s.upsert_nodes([b, e])
    >>> chain = responsibility_chain(s, b.id, e.id, as_of="2024-01-01")
    >>> [lvl.meeting.zh for lvl in chain.levels]
    ['板凳会', '网格议事会', '网格联席会', '网格研判会', '网格调度会']
    >>> sorted({g.what.value for g in chain.gaps})
    ['no_handler', 'no_parent_grid', 'no_party_organization', 'no_person_in_charge']
    """
    return responsibility_chains(store, [(building_id, event_type_id)], as_day(as_of))[0]


@dispatchable
def responsibility_chains(
    store: GraphStore,
    requests: Iterable[tuple[str, str]],
    as_of: date | str | None = None,
) -> list[ResponsibilityChain]:
    """Chains for many ``(building_id, event_type_id)`` pairs at once, in the order asked.

    The batched form behind :func:`responsibility_chain` (and a DataLoader's friend): the same
    seven store calls answer one pair or every building times every event type.
    """
    day = as_day(as_of)
    pairs = list(requests)
    if not pairs:
        return []
    building_ids = sorted({b for b, _ in pairs})
    event_ids = sorted({e for _, e in pairs})
    return assemble_chains(gather_chains(store, building_ids, event_ids, day), pairs, day)


# -- gathering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainMaterial:
    """The raw records :func:`assemble_chains` reads, as the store hands them back.

    Gathered by :func:`gather_chains` with seven contract calls, or by a store in one round
    trip (:mod:`graph.queries.chain.neo4j`); mappings may hold more keys than the assembly reads.
    """

    nodes: Mapping[str, Node]
    """The buildings and event types asked about, by id (unknown ids left out)."""
    up: Mapping[str, list[Node]]
    """Per building: the nodes up ``PART_OF`` within four steps, nearest first (``walk``)."""
    links: LinkMaterial
    """The hops of the grids on the way up (:func:`~graph.queries.grid_links.gather_links`)."""
    event_hops: Mapping[str, list[Hop]]
    """Per event type: its ``HANDLED_BY`` and ``IN_CATEGORY`` hops out."""
    key_units: Mapping[str, list[Hop]]
    """Per district reached up ``PART_OF``: its departments (``DEPARTMENT_OF`` hops in)."""


def gather_chains(
    store: GraphStore, building_ids: list[str], event_ids: list[str], day: date
) -> ChainMaterial:
    """The contract calls behind :func:`responsibility_chains`: exactly what it reads."""
    found = store.get_nodes([*building_ids, *event_ids])
    _require(found, building_ids, "Building")
    _require(found, event_ids, "EventType")
    up = store.walk(building_ids, "PART_OF", Direction.OUT, max_depth=GRID_STEPS, as_of=day)
    grids = _unique_grids({b: _grids_by_level(found[b], up[b]) for b in building_ids})
    links = gather_links(store, grids, day)
    event_hops = store.neighbours(event_ids, ("HANDLED_BY", "IN_CATEGORY"), Direction.OUT, day)
    key_units = store.neighbours(districts_reached(up), "DEPARTMENT_OF", Direction.IN, day)
    return ChainMaterial(found, up, links, event_hops, key_units)


def assemble_chains(
    material: ChainMaterial, pairs: list[tuple[str, str]], day: date
) -> list[ResponsibilityChain]:
    """The chains of ``pairs`` from gathered records; pure, shared by every store."""
    if not pairs:
        return []
    building_ids = sorted({b for b, _ in pairs})
    event_ids = sorted({e for _, e in pairs})
    found = material.nodes
    _require(found, building_ids, "Building")
    _require(found, event_ids, "EventType")
    grids_of = {b: _grids_by_level(found[b], material.up.get(b, [])) for b in building_ids}
    links = assemble_links(_unique_grids(grids_of), material.links, day)
    key_units = {
        district: _order_key_units([h.node for h in hops if h.node.get("key_unit") is True])
        for district, hops in material.key_units.items()
    }
    events = {e: event_facts(found[e], material.event_hops.get(e, []), day) for e in event_ids}
    territory = {b: _territory(found[b], grids_of[b], links, day) for b in building_ids}
    cache: dict[tuple[str | None, str], tuple[ConvenableUnit, ...]] = {}
    district_of = {b: grids_of[b][GridLevel.DISTRICT] for b in building_ids}

    def units_of(b: str) -> tuple[Node, ...]:
        district = district_of[b]
        return key_units.get(district.id, ()) if district is not None else ()

    return [_assemble(territory[b], links, events[e], units_of(b), cache, day) for b, e in pairs]


def districts_reached(up: Mapping[str, list[Node]]) -> list[str]:
    """The districts among the nodes up ``PART_OF``: their departments are the key units."""
    return sorted({n.id for nodes in up.values() for n in nodes if n.kind == "District"})


def _unique_grids(grids_of: Mapping[str, Mapping[GridLevel, Node | None]]) -> list[Node]:
    unique = {g.id: g for grids in grids_of.values() for g in grids.values() if g is not None}
    return list(unique.values())


# -- assembling -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What the chain needs of an event type: category, handlers, response level, gaps."""

    node: Node
    category: Node | None
    handlers: tuple[Handler, ...]
    response_level: GridLevel | None
    gaps: tuple[Gap, ...]


def _require(found: Mapping[str, Node], ids: Iterable[str], kind: str) -> None:
    for nid in ids:
        node = found.get(nid)
        if node is None:
            raise NodeNotFound(f"no {kind} {nid!r} in the store")
        if node.kind != kind:
            raise NodeNotFound(f"{nid!r} is a {node.kind}, not a {kind}")


def _grids_by_level(building: Node, above: list[Node]) -> dict[GridLevel, Node | None]:
    """The building's grid at each level: the nearest node of that level's kind up PART_OF."""
    grids: dict[GridLevel, Node | None] = {lvl: None for lvl in CHAIN_ORDER}
    grids[GridLevel.BUILDING] = building
    for node in above:
        level = ONTOLOGY.kind(node.kind).grid_level
        if level is not None and grids.get(level) is None:
            grids[level] = node
    return grids


def event_facts(event: Node, hops: list[Hop], day: date) -> EventFacts:
    """Read an event type's HANDLED_BY and IN_CATEGORY hops (shared with the gaps report)."""
    handlers, category = [], None
    for hop in hops:
        if hop.relationship.type == "IN_CATEGORY" and category is None:
            category = hop.node
        elif hop.relationship.type == "HANDLED_BY":
            props = hop.relationship.props
            role = props.get("role") or ("key" if hop.node.get("key_unit") else "n")
            handlers.append(Handler(hop.node, role, props.get("valid_from"), props.get("valid_to")))
    handlers.sort(key=lambda h: (h.role != "key", h.department.id))
    raw_level = event.get("response_level")
    level = GridLevel(raw_level) if raw_level in set(GridLevel) else None
    gaps = []
    label = f"{event.name} ({event.id})" if event.name else event.id
    if not handlers:
        gaps.append(
            Gap(
                EVENT_LEVEL,
                GapKind.NO_HANDLER,
                f"{label}: no department handles the event type on {day}",
                event.id,
            )
        )
    if level is None:
        gaps.append(
            Gap(
                EVENT_LEVEL,
                GapKind.NO_RESPONSE_LEVEL,
                f"{label}: no default response level",
                event.id,
            )
        )
    return EventFacts(event, category, tuple(handlers), level, tuple(gaps))


def _order_key_units(departments: list[Node]) -> tuple[Node, ...]:
    rank = {f.value: i for i, f in enumerate(KEY_FIVE)}
    return tuple(sorted(departments, key=lambda d: (rank.get(d.get("function"), 99), d.id)))


def _meeting(level: GridLevel) -> Meeting:
    info = DUTY_OF[level].info
    return Meeting(info.meeting, info.meeting_zh, info.meeting_purpose)


def _community_units(
    links: GridLinks | None, key_units: tuple[Node, ...], event: EventFacts
) -> tuple[ConvenableUnit, ...]:
    """1+5+N: the paired department, the five key units, the event's further departments.

    A unit is listed once, where it first appears, with every role it plays: the paired
    department that is also a key unit (or handles the event as one of the N) keeps both, so
    a double accountability review sees why it was convened on each count.
    """
    units: dict[str, ConvenableUnit] = {}

    def add(unit: ConvenableUnit) -> None:
        had = units.get(unit.unit.id)
        if had is None:
            units[unit.unit.id] = unit
        elif not set(unit.roles) <= set(had.roles):
            roles = had.roles + tuple(r for r in unit.roles if r not in had.roles)
            units[unit.unit.id] = replace(had, roles=roles)

    for paired in links.paired_departments if links else ():
        add(paired)
    for dept in key_units:
        add(ConvenableUnit(dept, (UnitRole.KEY_UNIT,)))
    for h in event.handlers:
        if h.role == "n":
            add(ConvenableUnit(h.department, (UnitRole.N_DEPARTMENT,), h.valid_from, h.valid_to))
    return tuple(units.values())


@dataclass(frozen=True, slots=True)
class _Territory:
    """The event-independent part of a building's chain, computed once per building."""

    building: Node
    levels: tuple[ChainLevel, ...]  # community convenes and default_response filled per event
    community: Node | None
    gaps: tuple[Gap, ...]
    accountability: Accountability


def _territory(
    building: Node,
    grids: Mapping[GridLevel, Node | None],
    links: Mapping[str, GridLinks],
    day: date,
) -> _Territory:
    levels: list[ChainLevel] = []
    all_gaps: list[Gap] = []
    for i, level in enumerate(CHAIN_ORDER):
        grid = grids[level]
        gl = links.get(grid.id) if grid is not None else None
        gaps = list(gl.gaps) if gl else []
        above = CHAIN_ORDER[i + 1] if i + 1 < len(CHAIN_ORDER) else None
        if grid is not None and above is not None and grids[above] is None:
            gaps.append(parent_gap(level, grid, day))
        gaps.sort(key=gap_sort_key)
        levels.append(
            ChainLevel(
                level=level,
                grid=grid,
                in_charge=tuple(gl.in_charge) if gl else (),
                party_organizations=tuple(gl.party_organizations) if gl else (),
                meeting=_meeting(level),
                convenes=tuple(gl.managers) if gl and level is GridLevel.COMPOUND else (),
                leading_groups=tuple(gl.leading_groups) if gl else (),
                default_response=False,
                gaps=tuple(gaps),
            )
        )
        all_gaps.extend(gaps)
    community = grids[GridLevel.COMMUNITY]
    pairing = links[community.id].paired_departments if community is not None else []
    territory = tuple(g for g in (grids[GridLevel.SUBDISTRICT], community) if g is not None)
    return _Territory(
        building,
        tuple(levels),
        community,
        tuple(all_gaps),
        Accountability(territory, tuple(u.unit for u in pairing)),
    )


def _assemble(
    t: _Territory,
    links: Mapping[str, GridLinks],
    event: EventFacts,
    key_units: tuple[Node, ...],
    units_cache: dict[tuple[str | None, str], tuple[ConvenableUnit, ...]],
    day: date,
) -> ResponsibilityChain:
    levels = []
    for lvl in t.levels:
        convenes = lvl.convenes
        if lvl.level is GridLevel.COMMUNITY:
            key = (t.community.id if t.community else None, event.node.id)
            if key not in units_cache:
                gl = links.get(key[0]) if key[0] else None
                units_cache[key] = _community_units(gl, key_units, event)
            convenes = units_cache[key]
        levels.append(
            ChainLevel(
                lvl.level,
                lvl.grid,
                lvl.in_charge,
                lvl.party_organizations,
                lvl.meeting,
                convenes,
                lvl.leading_groups,
                lvl.level == event.response_level,
                lvl.gaps,
            )
        )
    return ResponsibilityChain(
        building=t.building,
        event_type=event.node,
        category=event.category,
        as_of=day,
        levels=tuple(levels),
        handlers=event.handlers,
        response_level=event.response_level,
        accountability=t.accountability,
        gaps=t.gaps + event.gaps,
    )
