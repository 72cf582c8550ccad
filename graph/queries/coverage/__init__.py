"""Who covers a building (DOMAIN.md, question 1), in one folder.

``answer`` the answer's dataclasses; ``query`` the query over the store contract (gather, then
a pure assembly); ``cypher`` its one Neo4j statement; ``neo4j`` its Neo4j version, registered
on :func:`coverage_of_building` itself (:mod:`graph.queries.dispatch`).
"""

from graph.queries.coverage.answer import (
    LEVELS_UP,
    Coverage,
    CoveringUnit,
    LevelCoverage,
    NotABuilding,
    PostHolding,
)
from graph.queries.coverage.query import (
    LINKS_TO_GRID,
    TERRITORY_KINDS,
    CoverageMaterial,
    assemble_coverage,
    coverage_of_building,
    gather_coverage,
)

# the Neo4j versions register themselves when a Neo4j store first asks (no driver otherwise)
coverage_of_building.natives_in("neo4j", "graph.queries.coverage.neo4j")

__all__ = [
    "LEVELS_UP",
    "LINKS_TO_GRID",
    "TERRITORY_KINDS",
    "Coverage",
    "CoverageMaterial",
    "CoveringUnit",
    "LevelCoverage",
    "NotABuilding",
    "PostHolding",
    "assemble_coverage",
    "coverage_of_building",
    "gather_coverage",
]
