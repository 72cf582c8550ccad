"""Who covers a building (DOMAIN.md, question 1), in one folder.

``answer`` the answer's dataclasses; ``query`` the query over the store contract (gather, then
a pure assembly); ``cypher`` its one Neo4j statement; ``neo4j`` its Neo4j version, registered
on :func:`coverage_of_building` itself (:mod:`graph.queries.dispatch`).
"""

from graph.queries.coverage import neo4j  # noqa: F401 - registers the Neo4j version
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
