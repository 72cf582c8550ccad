"""Build the reference graph district by district and write it through the store contract.

Why district by district: ``scale=100`` makes a hundred districts of Qibin's shape; building
and writing one at a time keeps the generator's own memory to one district (~50,000 records),
so the store is the only thing that grows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from typing import Any

from graph.contract import GraphStore
from graph.model import WriteSummary
from loaders.reference.builder import DistrictBuild
from loaders.reference.events import build_event_catalogue
from loaders.reference.governance import build_governance
from loaders.reference.grids import build_grid
from loaders.reference.heads import build_heads
from loaders.reference.society import (
    Society,
    build_partners,
    build_property_management,
    build_residents_committees,
    build_social_organisations,
    build_volunteer_teams,
)
from loaders.reference.workforce import build_workforce

BATCH_SIZE = 5000


def build_district(index: int = 0) -> DistrictBuild:
    """District ``index`` (0 is Qibin, with the seed's real names) as nodes and relationships.

    Deterministic: the same ``index`` gives the same records, in the same order, whatever the
    day (every date is fixed, see :mod:`loaders.reference.timeline`).
    """
    b = DistrictBuild(index)
    grid = build_grid(b)
    gov = build_governance(b, grid)
    society = Society()
    build_property_management(b, grid, society)
    build_residents_committees(b, grid, society)
    build_workforce(b, grid, gov, society)
    build_social_organisations(b, grid)
    build_volunteer_teams(b, grid)
    build_partners(b, grid)
    build_event_catalogue(b, gov)
    build_heads(b, gov, society)  # last: the draws above stay as they were
    return b


def iter_districts(scale: int = 1) -> Iterator[DistrictBuild]:
    if scale < 1:
        raise ValueError("scale must be at least 1")
    for index in range(scale):
        yield build_district(index)


def seed_reference_graph(
    store: GraphStore,
    scale: int = 1,
    progress: bool = False,
    batch_size: int = BATCH_SIZE,
) -> WriteSummary:
    """Write the reference graph (``scale`` districts) into ``store``, in batches.

    Upserts only: running it twice leaves the graph as it was (the second summary counts
    everything unchanged). Use :func:`clear_store` first to rebuild from nothing.
    """
    summary = WriteSummary()
    bar = _progress_bar() if progress else None
    with bar if bar is not None else nullcontext():
        task = None
        for district in iter_districts(scale):
            size = len(district.nodes) + len(district.rels)
            if bar is not None:
                if task is None:
                    task = bar.add_task("seeding", total=size * scale)
                bar.update(task, description=f"seeding {district.name}")
            for records, write in ((district.nodes, "nodes"), (district.rels, "rels")):
                for chunk in _chunks(records, batch_size):
                    with store.transaction() as tx:
                        if write == "nodes":
                            tx.upsert_nodes(chunk)
                        else:
                            tx.upsert_relationships(chunk)
                    summary.add(store.last_summary)
                    if bar is not None and task is not None:
                        bar.advance(task, len(chunk))
        if bar is not None and task is not None:
            bar.update(task, completed=bar.tasks[0].total, description="seeded")
    return summary


def seed_if_empty(store: GraphStore, progress: bool = False) -> bool:
    """Seed the Qibin reference graph when the store holds no node; True if it did."""
    if store.counts().nodes:
        return False
    seed_reference_graph(store, scale=1, progress=progress)
    return True


def clear_store(store: GraphStore, batch_size: int = 20_000) -> WriteSummary:
    """Delete every relationship, then every node, in batches (relationships first keeps each
    node deletion from scanning the relationships of its own batch)."""
    summary = WriteSummary()
    rel_ids = [r.id for r in store.iter_relationships()]
    for chunk in _chunks(rel_ids, batch_size):
        summary.add(store.delete_relationships(chunk))
    node_ids = [n.id for n in store.iter_nodes()]
    for chunk in _chunks(node_ids, batch_size):
        summary.add(store.delete_nodes(chunk))
    return summary


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _progress_bar() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )
