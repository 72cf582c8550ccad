"""A grid's links from the rows of :func:`~graph.queries.grid_links.cypher.grid_link_branches`."""

from __future__ import annotations

from graph.neo4j.rows import Rows
from graph.queries.grid_links.query import LinkMaterial


def link_material(rows: Rows) -> LinkMaterial:
    """What ``gather_links`` fetches, from the ``in``, ``post`` and ``holds`` rows."""
    return LinkMaterial(rows.hops("in"), rows.hops("post"), rows.hops("holds"))
