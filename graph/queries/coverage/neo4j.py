"""Coverage on Neo4j: one round trip (:data:`~graph.queries.coverage.cypher.COVERAGE`), the
same assembly as on every store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graph.neo4j.rows import Rows
from graph.neo4j.store import Neo4jStore, iso
from graph.queries.coverage.answer import Coverage
from graph.queries.coverage.cypher import COVERAGE
from graph.queries.coverage.query import CoverageMaterial, assemble_coverage, coverage_of_building
from graph.settings import today
from schema.ontology import GRID_STEPS


@coverage_of_building.native("neo4j")
def coverage(store: Neo4jStore, building_id: str, as_of: date | None = None) -> Coverage:
    """:func:`~graph.queries.coverage.query.coverage_of_building` in one round trip."""
    day = as_of or today()
    records = store.read(COVERAGE.name, building_id=building_id, as_of=iso(day))
    return assemble_coverage(building_id, coverage_material(records, building_id), day)


def coverage_material(records: Iterable[Mapping[str, Any]], building_id: str) -> CoverageMaterial:
    """The rows of :data:`COVERAGE` as :func:`~graph.queries.coverage.query.gather_coverage`
    returns them."""
    rows = Rows(records)
    return CoverageMaterial(
        building=rows.nodes("node").get(building_id),
        up=rows.walk("up", [building_id], GRID_STEPS)[building_id],
        linked=rows.hops("linked"),
        second=rows.hops("second"),
        holders=rows.hops("holds"),
    )
