"""gridgraph: who governs what in grid-based community governance, as a graph.

The library face of the project, for Python users: open a store, ask the flagship questions,
load the spreadsheets an office keeps, and tell a user's mistake from a bug by its exception.
The command line (``gridgraph …``) and the GraphQL API are built on the same functions.

>>> import gridgraph
>>> from datetime import date
>>> store = gridgraph.open_store()              # the embedded store, in memory
>>> summary = gridgraph.seed_reference_graph(store)
>>> building, day = "building:410611001001-001-01", date(2023, 6, 30)
>>> coverage = gridgraph.coverage_of_building(store, building, day)
>>> [(lv.level.value, lv.grid.name) for lv in coverage.levels]  # doctest: +NORMALIZE_WHITESPACE
[('building', '黎阳九大院1号楼'), ('compound', '黎阳九大院'), ('community', '黎阳社区'),
 ('subdistrict', '淇水街道'), ('district', '淇滨区')]
>>> chain = gridgraph.responsibility_chain(store, building, "event_type:410611-01-01", day)
>>> chain.event_type.name, chain.response_level.value, chain.complete
('暴露垃圾', 'compound', False)
>>> [(lv.level.value, [p.person.name for p in lv.in_charge]) for lv in chain.levels][:2]
[('building', []), ('compound', ['袁颖'])]
>>> store.close()

Every question takes ``as_of`` (a date; default: today in the governed place, Asia/Shanghai),
and every id is a global id: ``kind:natural-key`` (``community:410611001001``). See
docs/library.md for a tour.
"""

from __future__ import annotations

from pathlib import Path

from graph.contract import GraphStore
from graph.errors import (
    GridGraphError,
    IntegrityError,
    NodeNotFound,
    StoreError,
    StoreUnavailable,
)
from graph.model import Direction, Node, Relationship, new_node
from graph.queries.agreements import agreements_expiring, shared_agreements
from graph.queries.chain import responsibility_chain
from graph.queries.coverage import coverage_of_building
from graph.queries.gaps import find_gaps
from graph.queries.history import history
from graph.queries.paths import shortest_connection
from graph.settings import Settings
from graph.stats import graph_stats
from graph.stores import open_store as _open_configured
from loaders import load_file, load_records
from loaders.errors import LoadError
from loaders.reference import seed_reference_graph

__all__ = [
    "Direction",
    "GraphStore",
    "GridGraphError",
    "IntegrityError",
    "LoadError",
    "Node",
    "NodeNotFound",
    "Relationship",
    "Settings",
    "StoreError",
    "StoreUnavailable",
    "agreements_expiring",
    "coverage_of_building",
    "find_gaps",
    "graph_stats",
    "history",
    "load_file",
    "load_records",
    "new_node",
    "open_store",
    "responsibility_chain",
    "seed_reference_graph",
    "shared_agreements",
    "shortest_connection",
]


def open_store(path: str | Path | None = None, *, settings: Settings | None = None) -> GraphStore:
    """A store to read and write: the embedded store in the file ``path`` (created if it does
    not exist; kept in memory only when ``path`` is None), or the store ``settings`` names —
    ``Settings()`` reads the environment as ``gridgraph serve`` does, and
    ``Settings(store="neo4j", NEO4J_URI="bolt://127.0.0.1:7687", NEO4J_PASSWORD="…")`` opens a
    Neo4j database. Close it when done (``with gridgraph.open_store(p) as store:``)."""
    if settings is not None:
        if path is not None:
            raise TypeError("open_store: give a path or settings, not both")
        return _open_configured(settings)
    from graph.memory import MemoryStore

    return MemoryStore(path)
