"""The gap report on Neo4j: one round trip (:data:`~graph.queries.gaps.cypher.GAPS`), the same
assembly as on every store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graph.neo4j.rows import Rows
from graph.neo4j.store import Neo4jStore, iso
from graph.queries.chain.query import as_day
from graph.queries.gaps.answer import GapReport
from graph.queries.gaps.cypher import GAPS
from graph.queries.gaps.query import GapMaterial, assemble_gaps, find_gaps
from graph.queries.grid_links.neo4j import link_material
from schema import ONTOLOGY
from schema.responsibility import CHAIN_ORDER


@find_gaps.native("neo4j")
def gaps(store: Neo4jStore, as_of: date | str | None = None) -> GapReport:
    """:func:`~graph.queries.gaps.query.find_gaps` in one round trip."""
    day = as_day(as_of)
    return assemble_gaps(gap_material(store.read(GAPS.name, as_of=iso(day))), day)


def gap_material(records: Iterable[Mapping[str, Any]]) -> GapMaterial:
    """The rows of :data:`GAPS` as :func:`~graph.queries.gaps.query.gather_gaps` returns them."""
    rows = Rows(records)
    every = rows.listing("grid")
    grids = {
        level: [g for g in every if g.kind == ONTOLOGY.grid_kind(level).name]
        for level in CHAIN_ORDER
    }
    return GapMaterial(
        grids=grids,
        up=rows.hops("up"),
        links=link_material(rows),
        events=rows.listing("event_type"),
        event_hops=rows.hops("event"),
    )
