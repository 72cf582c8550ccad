"""The links that make a grid answerable on a date, and what is missing (shared by the chain
and the gap report).

``query`` gathers and assembles them over the store contract; ``cypher`` the same gathering as
branches of the chain and gap statements; ``neo4j`` decodes those branches' rows.
"""

from graph.queries.grid_links.query import (
    EVENT_LEVEL,
    GAP_DESCRIPTIONS,
    INCOMING_KINDS,
    INCOMING_TYPES,
    ConvenableUnit,
    Gap,
    GapKind,
    GridLinks,
    LinkMaterial,
    PartyOrgAtLevel,
    PersonInCharge,
    assemble_links,
    collect_links,
    gap_sort_key,
    gather_links,
    group_order,
    level_of,
    parent_gap,
)

__all__ = [
    "EVENT_LEVEL",
    "GAP_DESCRIPTIONS",
    "INCOMING_KINDS",
    "INCOMING_TYPES",
    "ConvenableUnit",
    "Gap",
    "GapKind",
    "GridLinks",
    "LinkMaterial",
    "PartyOrgAtLevel",
    "PersonInCharge",
    "assemble_links",
    "collect_links",
    "gap_sort_key",
    "gather_links",
    "group_order",
    "level_of",
    "parent_gap",
]
