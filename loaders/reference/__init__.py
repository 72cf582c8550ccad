"""The Qibin reference graph: a deterministic generator of the seed's district.

>>> from graph.memory import MemoryStore
>>> store = MemoryStore(None)
>>> seed_if_empty(store)
True
>>> store.count_nodes("Building")
2988
>>> seed_if_empty(store)
False
"""

from loaders.reference.generator import (
    build_district,
    clear_store,
    iter_districts,
    seed_if_empty,
    seed_reference_graph,
)

__all__ = [
    "build_district",
    "clear_store",
    "iter_districts",
    "seed_if_empty",
    "seed_reference_graph",
]
