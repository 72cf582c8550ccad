"""The Qibin reference graph (fixed dates) in an embedded store and in the suite's Neo4j.

The tests that compare the two stores on the reference graph
(``tests/graph/neo4j/test_native_queries.py``, ``tests/api/test_served_neo4j.py``) copy it into
Neo4j with :func:`graph.exchange.copy_graph`, the function behind ``gridgraph copy``: a copy
takes seconds, so it is made once, not per test.

Why a check before every test rather than trusting a module-scoped copy: every other Neo4j test
wipes the worker's one database, and pytest-xdist may run such a test between two of ours on the
same worker. :func:`ensure_copied` compares the database with the embedded store (counts per
kind and type, and every agreement node with its dates) and copies again
only when they differ, so the comparisons are right whatever ran before them and in whatever
order; :data:`GROUP` (``xdist_group``, with ``--dist loadgroup`` in the Makefile) keeps these
tests on one worker, so the suite copies once instead of once per worker.
"""

from __future__ import annotations

from pathlib import Path

from graph.contract import GraphStore
from graph.exchange import copy_graph
from graph.memory import MemoryStore
from graph.model import Counts, Node
from loaders.reference import seed_reference_graph

GROUP = "reference-neo4j"


def build_reference(path: Path | None = None) -> MemoryStore:
    """The reference graph (scale 1; every date fixed) in an embedded store."""
    store = MemoryStore(path)
    seed_reference_graph(store, scale=1)
    return store


def fingerprint(store: GraphStore) -> tuple[Counts, list[Node]]:
    """What tells the reference graph from anything else another test may have left."""
    return store.counts(), sorted(store.iter_nodes("Agreement"), key=lambda n: n.id)


def ensure_copied(source: GraphStore, target: GraphStore) -> bool:
    """Make ``target`` hold exactly ``source``'s graph; True if it had to copy."""
    if fingerprint(target) == fingerprint(source):
        return False
    target.delete_nodes([n.id for n in target.iter_nodes()])
    copy_graph(source, target)
    if fingerprint(target) != fingerprint(source):
        raise AssertionError("the copy into Neo4j does not hold the reference graph")
    return True
