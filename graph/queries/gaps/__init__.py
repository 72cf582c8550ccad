"""The gap report (every missing link in the district on a day), in one folder.

``answer`` the report and its CSV form; ``query`` the query over the store contract (gather,
then a pure assembly); ``kept`` the reports kept across days and writes (:class:`KeptGaps`),
``days`` the days their links begin or end (:class:`ChangeDays`), ``touch`` which grids a
changed record touches, ``rows`` a kept report's rows replaced for those; ``cypher`` its one
Neo4j statement; ``neo4j`` its Neo4j version, registered on :func:`find_gaps` itself
(:mod:`graph.queries.dispatch`).
"""

from graph.queries.gaps.answer import CSV_COLUMNS, GapReport, GapRow, relabel_gap
from graph.queries.gaps.days import GAP_RELATION_TYPES, ChangeDays, change_days
from graph.queries.gaps.kept import KeptGaps
from graph.queries.gaps.query import GapMaterial, assemble_gaps, find_gaps, gather_gaps

# the Neo4j versions register themselves when a Neo4j store first asks (no driver otherwise)
find_gaps.natives_in("neo4j", "graph.queries.gaps.neo4j")

__all__ = [
    "CSV_COLUMNS",
    "GAP_RELATION_TYPES",
    "ChangeDays",
    "GapMaterial",
    "GapReport",
    "GapRow",
    "KeptGaps",
    "assemble_gaps",
    "change_days",
    "find_gaps",
    "gather_gaps",
    "relabel_gap",
]
