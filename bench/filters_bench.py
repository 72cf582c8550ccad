"""Benchmark the planner's filters and counts on both stores: pushed down, against fetched.

Builds the Qibin reference graph (scale 1) in the embedded store, starts the project's own Neo4j
(``tools/neo4j``) and copies the graph into it, then asks each store the questions of
``docs/api.md``'s "Filters and aggregates" as listing requests (one call each: Python over the
contract's primitives on the embedded store, one generated Cypher statement on Neo4j), and, for
comparison, the way the API answered before: fetch the kind and its links with the contract's
batched primitives and count in Python. Prints p50 in ms per question and store; the answers
of every way are checked to be the same first.

    PYTHONPATH=. .venv/bin/python bench/filters_bench.py --repeat 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from graph.contract import GraphStore  # noqa: E402
from graph.exchange import copy_graph  # noqa: E402
from graph.listing import (  # noqa: E402
    AllOf,
    KindIn,
    Listing,
    PropTest,
    Reach,
    Related,
    SortKey,
    Step,
)
from graph.memory import MemoryStore  # noqa: E402
from graph.model import Direction  # noqa: E402
from graph.neo4j import Neo4jStore, local_server  # noqa: E402
from graph.settings import Settings  # noqa: E402
from loaders.reference import seed_reference_graph  # noqa: E402

DAY = date(2023, 6, 30)
OUT, IN = Direction.OUT, Direction.IN
VACANT = Related(
    Step("POST_IN", IN),
    "some",
    AllOf((PropTest("post_type", "eq", "building_leader"), Related(Step("HOLDS", IN), "none"))),
)
PAIRED = Reach((Step("PAIRED_WITH", OUT),), KindIn(("Community",)))
REACH = Reach((Step("PARTY_TO", OUT), Step("PARTY_TO", IN)), KindIn(("Community",)))
QUESTIONS: dict[str, Listing] = {
    "communities without partners": Listing(
        "Community", Related(Step("PARTY_TO", OUT), "none"), (), DAY
    ),
    "buildings with a vacant leader post": Listing("Building", VACANT, (), DAY),
    "departments by communities paired": Listing(
        "Department", None, (SortKey(reach=PAIRED, descending=True),), DAY
    ),
    "partners by communities reached": Listing(
        "Unit", None, (SortKey(reach=REACH, descending=True),), DAY
    ),
}


def fetched(store: GraphStore, name: str) -> list[str]:
    """The same answers the way the API computed them before: fetch, then count in Python."""
    if name == "communities without partners":
        ids = [n.id for n in store.nodes_of_kind("Community")]
        hops = store.neighbours(ids, "PARTY_TO", OUT, DAY)
        return [i for i in ids if not hops[i]]
    if name == "buildings with a vacant leader post":
        ids = [n.id for n in store.nodes_of_kind("Building")]
        posts = store.neighbours(ids, "POST_IN", IN, DAY)
        leaders = sorted(
            {
                h.node.id
                for hs in posts.values()
                for h in hs
                if h.node.props.get("post_type") == "building_leader"
            }
        )
        held = store.neighbours(leaders, "HOLDS", IN, DAY)
        return [i for i in ids if any(h.node.id in held and not held[h.node.id] for h in posts[i])]
    if name == "departments by communities paired":
        ids = [n.id for n in store.nodes_of_kind("Department")]
        hops = store.neighbours(ids, "PAIRED_WITH", OUT, DAY, "Community")
        load = {i: len({h.node.id for h in hops[i]}) for i in ids}
        return sorted(ids, key=lambda i: (-load[i], i))
    ids = [n.id for n in store.nodes_of_kind("Unit")]
    agreements = store.neighbours(ids, "PARTY_TO", OUT, DAY)
    signed = sorted({h.node.id for hs in agreements.values() for h in hs})
    parties = store.neighbours(signed, "PARTY_TO", IN, DAY, "Community")
    reach = {i: len({p.node.id for h in agreements[i] for p in parties[h.node.id]}) for i in ids}
    return sorted(ids, key=lambda i: (-reach[i], i))


def p50_ms(work: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    memory = MemoryStore()
    seed_reference_graph(memory, scale=1)
    with tempfile.TemporaryDirectory() as home:
        server = local_server.start(Path(home))
        try:
            settings = Settings(
                NEO4J_URI=server.uri,
                NEO4J_USER=server.user,
                NEO4J_PASSWORD=server.password,  # type: ignore[call-arg]
            )
            neo4j = Neo4jStore.from_settings(settings)
            copy_graph(memory, neo4j)
            stores: dict[str, GraphStore] = {"embedded": memory, "neo4j": neo4j}
            print(f"{'question':38} {'store':9} {'listing ms':>11} {'fetched ms':>11} answer")
            for name, listing in QUESTIONS.items():
                for label, store in stores.items():
                    answer = [n.id for n in store.list_nodes(listing).nodes]
                    assert answer == fetched(store, name), (name, label)
                    pushed = p50_ms(lambda s=store, q=listing: s.list_nodes(q), args.repeat)
                    before = p50_ms(lambda s=store, q=name: fetched(s, q), args.repeat)
                    print(f"{name:38} {label:9} {pushed:11.1f} {before:11.1f} {len(answer)}")
            neo4j.close()
        finally:
            server.stop()
    memory.close()


if __name__ == "__main__":
    main()
