"""The flagship domain queries on Neo4j: one Cypher round trip each, the same assembly.

Each native query sends ONE registered statement (``native.*`` in
:mod:`graph.neo4j.statements`) that fetches, in rows of the shape ``part, key, rel, node``,
the raw records the contract-based query gathers with several store calls. :class:`Rows`
decodes them into exactly those records (hops in the contract's order, walks in breadth-first
order) and the domain module's own pure assembly builds the answer. The native and the
generic answers therefore come from the same code; only the gathering differs, and the
statement may fetch more than the assembly reads (the assembly looks records up by id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from graph.model import Direction, Hop, Node
from graph.neo4j.native import native
from graph.neo4j.store import breadth_first, decode_node, decode_rel, iso
from graph.queries.agreements import SharedAgreement, SharedMaterial, assemble_shared
from graph.queries.chain import (
    ChainMaterial,
    ResponsibilityChain,
    as_day,
    assemble_chains,
    districts_reached,
)
from graph.queries.coverage import Coverage, CoverageMaterial, assemble_coverage
from graph.queries.gaps import GapMaterial, GapReport, assemble_gaps
from graph.queries.grid_links import LinkMaterial
from graph.settings import today
from schema import ONTOLOGY
from schema.ontology import GRID_STEPS
from schema.responsibility import CHAIN_ORDER

if TYPE_CHECKING:
    from graph.neo4j.store import Neo4jStore

CHAINS = "native.responsibility_chains"
GAPS = "native.find_gaps"
COVERAGE = "native.coverage"
SHARED = "native.shared_agreements"


class Rows:
    """The rows of one native statement, sorted into the records contract calls return."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        self._hops: dict[str, dict[str, list[Hop]]] = defaultdict(lambda: defaultdict(list))
        self._nodes: dict[str, dict[str, Node]] = defaultdict(dict)
        for record in records:
            part, key = record["part"], record["key"]
            node = decode_node(record["node"])
            if record["rel"] is None:
                self._nodes[part][node.id] = node
            else:
                self._hops[part][key].append(Hop(decode_rel(record["rel"], ""), node))

    def nodes(self, part: str) -> dict[str, Node]:
        """The nodes of ``part`` by id (``get_nodes``)."""
        return dict(self._nodes.get(part, {}))

    def listing(self, part: str) -> list[Node]:
        """The nodes of ``part`` ordered by id (``nodes_of_kind``)."""
        found = self._nodes.get(part, {})
        return [found[nid] for nid in sorted(found)]

    def hops(self, part: str) -> dict[str, list[Hop]]:
        """The hops of ``part`` per key, each relationship once, in the contract's order
        (``neighbours``: relationship type, neighbour id, relationship id)."""
        out: dict[str, list[Hop]] = {}
        for key, hops in self._hops.get(part, {}).items():
            unique = {h.relationship.id: h for h in hops}
            out[key] = sorted(
                unique.values(),
                key=lambda h: (h.relationship.type, h.node.id, h.relationship.id),
            )
        return out

    def walk(self, part: str, starts: Iterable[str], depth: int) -> dict[str, list[Node]]:
        """Per start, the nodes reached over the links of ``part`` in ``walk``'s order.

        The rows of a start are the links of every walk of at most ``depth`` steps from it;
        the same breadth-first pass the store's ``walk`` runs orders them.
        """
        result: dict[str, list[Node]] = {}
        for start, hops in self._hops.get(part, {}).items():
            links = {
                (h.relationship.id, h.relationship.source, h.relationship.target) for h in hops
            }
            nodes = {h.node.id: h.node for h in hops}
            order: dict[str, list[str]] = {start: []}
            breadth_first({start: [start]}, {start: {start}}, order, links, Direction.OUT, depth)
            result[start] = [nodes[nid] for nid in order[start] if nid in nodes]
        return {s: result.get(s, []) for s in starts}

    def links(self) -> LinkMaterial:
        """What ``gather_links`` fetches, from the ``in``, ``post`` and ``holds`` rows."""
        return LinkMaterial(self.hops("in"), self.hops("post"), self.hops("holds"))


@native("responsibility_chains")
def responsibility_chains(
    store: Neo4jStore, requests: Iterable[tuple[str, str]], as_of: date | str | None = None
) -> list[ResponsibilityChain]:
    """:func:`graph.queries.chain.responsibility_chains` in one round trip."""
    day = as_day(as_of)
    pairs = list(requests)
    if not pairs:
        return []
    building_ids = sorted({b for b, _ in pairs})
    event_ids = sorted({e for _, e in pairs})
    records = store.read(CHAINS, building_ids=building_ids, event_ids=event_ids, as_of=iso(day))
    return assemble_chains(chain_material(records, building_ids), pairs, day)


def chain_material(records: Iterable[Mapping[str, Any]], building_ids: list[str]) -> ChainMaterial:
    """The rows of :data:`CHAINS` as :func:`~graph.queries.chain.gather_chains` returns them."""
    rows = Rows(records)
    up = rows.walk("up", building_ids, GRID_STEPS)
    departments = rows.hops("key_unit")
    return ChainMaterial(
        nodes=rows.nodes("node"),
        up=up,
        links=rows.links(),
        event_hops=rows.hops("event"),
        key_units={d: departments.get(d, []) for d in districts_reached(up)},
    )


@native("responsibility_chain")
def responsibility_chain(
    store: Neo4jStore, building_id: str, event_type_id: str, as_of: date | str | None = None
) -> ResponsibilityChain:
    """:func:`graph.queries.chain.responsibility_chain` in one round trip."""
    return responsibility_chains(store, [(building_id, event_type_id)], as_of)[0]


@native("find_gaps")
def find_gaps(store: Neo4jStore, as_of: date | str | None = None) -> GapReport:
    """:func:`graph.queries.gaps.find_gaps` in one round trip."""
    day = as_day(as_of)
    return assemble_gaps(gap_material(store.read(GAPS, as_of=iso(day))), day)


def gap_material(records: Iterable[Mapping[str, Any]]) -> GapMaterial:
    """The rows of :data:`GAPS` as :func:`~graph.queries.gaps.gather_gaps` returns them."""
    rows = Rows(records)
    every = rows.listing("grid")
    grids = {
        level: [g for g in every if g.kind == ONTOLOGY.grid_kind(level).name]
        for level in CHAIN_ORDER
    }
    return GapMaterial(
        grids=grids,
        up=rows.hops("up"),
        links=rows.links(),
        events=rows.listing("event_type"),
        event_hops=rows.hops("event"),
    )


@native("coverage")
def coverage(store: Neo4jStore, building_id: str, as_of: date | None = None) -> Coverage:
    """:func:`graph.queries.coverage.coverage_of_building` in one round trip."""
    day = as_of or today()
    records = store.read(COVERAGE, building_id=building_id, as_of=iso(day))
    return assemble_coverage(building_id, coverage_material(records, building_id), day)


def coverage_material(records: Iterable[Mapping[str, Any]], building_id: str) -> CoverageMaterial:
    """The rows of :data:`COVERAGE` as :func:`~graph.queries.coverage.gather_coverage` returns
    them."""
    rows = Rows(records)
    return CoverageMaterial(
        building=rows.nodes("node").get(building_id),
        up=rows.walk("up", [building_id], GRID_STEPS)[building_id],
        linked=rows.hops("linked"),
        second=rows.hops("second"),
        holders=rows.hops("holds"),
    )


@native("shared_agreements")
def shared_agreements(
    store: Neo4jStore, unit_id: str, as_of: date | None = None
) -> list[SharedAgreement]:
    """:func:`graph.queries.agreements.shared_agreements` in one round trip."""
    day = as_of or today()
    records = store.read(SHARED, unit_id=unit_id, as_of=iso(day))
    return assemble_shared(unit_id, shared_material(records, unit_id), day)


def shared_material(records: Iterable[Mapping[str, Any]], unit_id: str) -> SharedMaterial:
    """The rows of :data:`SHARED` as :func:`~graph.queries.agreements.gather_shared` returns
    them."""
    rows = Rows(records)
    return SharedMaterial(
        unit=rows.nodes("node").get(unit_id),
        own=rows.hops("own").get(unit_id, []),
        parties=rows.hops("parties"),
        theirs=rows.hops("theirs"),
        second_parties=rows.hops("second"),
    )


__all__ = [
    "Rows",
    "chain_material",
    "coverage",
    "coverage_material",
    "find_gaps",
    "gap_material",
    "responsibility_chain",
    "responsibility_chains",
    "shared_agreements",
    "shared_material",
]
