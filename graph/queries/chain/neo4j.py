"""Responsibility chains on Neo4j: one round trip (:data:`~graph.queries.chain.cypher.CHAINS`)
for any number of chains, the same assembly as on every store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graph.neo4j.rows import Rows
from graph.neo4j.store import Neo4jStore, iso
from graph.queries.chain.answer import ResponsibilityChain
from graph.queries.chain.cypher import CHAINS
from graph.queries.chain.query import (
    ChainMaterial,
    as_day,
    assemble_chains,
    districts_reached,
    responsibility_chains,
)
from graph.queries.grid_links.neo4j import link_material
from schema.ontology import GRID_STEPS


@responsibility_chains.native("neo4j")
def chains(
    store: Neo4jStore, requests: Iterable[tuple[str, str]], as_of: date | str | None = None
) -> list[ResponsibilityChain]:
    """:func:`~graph.queries.chain.query.responsibility_chains` in one round trip."""
    day = as_day(as_of)
    pairs = list(requests)
    if not pairs:
        return []
    building_ids = sorted({b for b, _ in pairs})
    event_ids = sorted({e for _, e in pairs})
    records = store.read(
        CHAINS.name, building_ids=building_ids, event_ids=event_ids, as_of=iso(day)
    )
    return assemble_chains(chain_material(records, building_ids), pairs, day)


def chain_material(records: Iterable[Mapping[str, Any]], building_ids: list[str]) -> ChainMaterial:
    """The rows of :data:`CHAINS` as :func:`~graph.queries.chain.query.gather_chains` returns
    them."""
    rows = Rows(records)
    up = rows.walk("up", building_ids, GRID_STEPS)
    departments = rows.hops("key_unit")
    return ChainMaterial(
        nodes=rows.nodes("node"),
        up=up,
        links=link_material(rows),
        event_hops=rows.hops("event"),
        key_units={d: departments.get(d, []) for d in districts_reached(up)},
    )
