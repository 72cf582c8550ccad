"""Safe start: a server fills a store with the synthetic reference graph only when it is sure
the store never held anything.

Why: a store file that exists but is empty (0 bytes, truncated, or copied without its ``-wal``
file, which holds the commits not yet checkpointed) means data went missing; seeding it
silently would serve a synthetic graph in place of the real one. Such a store is an error
naming the file; ``gridgraph seed`` fills a store on purpose, and so does the first start on a
store file that did not exist. An empty Neo4j database is an error too (there is no file to
tell a new database from a wiped one).
"""

from __future__ import annotations

from collections.abc import Callable

from graph.contract import GraphStore
from graph.errors import GridGraphError
from graph.settings import Settings
from graph.stores import open_store


class UnsafeStart(GridGraphError):
    """The store looks like data went missing; the server will not re-seed it on its own."""


def _advice(settings: Settings) -> str:
    where = f"--store {settings.store_path}" if settings.store == "memory" else "--store-kind neo4j"
    return (
        f"restore it from a backup (`gridgraph backup`), or run `gridgraph seed {where}` to "
        "build the reference graph on purpose "
        "(存储为空或不完整：不会自动重建，请恢复备份或手动 seed)"
    )


def check_store_file(settings: Settings) -> bool:
    """Whether the embedded store file exists; an error if it exists but is 0 bytes."""
    path = settings.store_path
    if not path.exists():
        return False
    if path.stat().st_size == 0:
        raise UnsafeStart(f"store file {path} exists but is empty (0 bytes); {_advice(settings)}")
    return True


def open_for_serving(
    settings: Settings, seed: Callable[[GraphStore], object]
) -> tuple[GraphStore, bool]:
    """The configured store, seeded with ``seed`` only on a first start; True if it was."""
    existed = check_store_file(settings) if settings.store == "memory" else True
    store = open_store(settings)
    try:
        if store.counts().nodes:
            return store, False
        if existed:
            if settings.store == "memory":
                what = (
                    f"store file {settings.store_path} exists but holds no graph (an empty or "
                    "truncated file, or a copy made without its -wal file?)"
                )
            else:
                what = (
                    f"the Neo4j database {settings.neo4j_database} at {settings.neo4j_uri} is empty"
                )
            raise UnsafeStart(f"{what}; {_advice(settings)}")
        seed(store)
        if settings.store == "memory":
            # read back from the file: the graph a loader built holds its own objects, a reopen
            # shares every repeated value (graph.memory), a tenth less memory for the Qibin graph
            store.close()
            store = open_store(settings)
    except BaseException:
        store.close()
        raise
    return store, True
