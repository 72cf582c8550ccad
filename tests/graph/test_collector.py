"""The serving process's collector policy (graph/collector.py), run in a fresh interpreter:
freezing there must not leak into the test process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import gc, sys, weakref
from graph.collector import settle_for_serving
from graph.memory import MemoryStore
from graph.model import new_node
from schema.codes import uscc_with_check

path = sys.argv[1]
serving = MemoryStore(path)
units = (uscc_with_check(f"91410611MA{i:07d}") for i in range(3000))
serving.upsert_nodes(new_node("Unit", uscc=u, name=f"单位{u}") for u in units)
settle_for_serving(serving)
assert gc.get_freeze_count() > 1000, gc.get_freeze_count()
unfrozen = len(gc.get_objects())
old_graph = weakref.ref(serving.graph)

other = MemoryStore(path)  # another writer on the same file (as `gridgraph load` would be)
small = new_node("Unit", uscc=uscc_with_check("91410611MB0000002"), name="甲")
other.upsert_nodes([small])
assert len(serving.get_nodes([small.id])) == 1  # caught up: the one record read back
assert serving.graph is old_graph()

import graph.memory
graph.memory.LISTED_IDS = 0  # every commit too large to list: the next look reads it whole
late = new_node("Unit", uscc=uscc_with_check("91410611MB0000001"), name="乙")
other.upsert_nodes([late])
assert len(serving.get_nodes([late.id])) == 1  # reloaded from the file
assert old_graph() is None, "the graph a reload replaced was kept"  # collected, not frozen
assert serving.graph is not None and gc.get_freeze_count() > 1000
# the 3,000 nodes read again are frozen too: only a few objects are left for the collector
assert len(gc.get_objects()) < unfrozen + 2000, (len(gc.get_objects()), unfrozen)

from graph.bulk import gc_paused
with gc_paused():  # a whole-graph answer computed and kept (as the API's caches keep it)
    kept = [{"row": i} for i in range(50_000)]
assert len(gc.get_objects()) < unfrozen + 2000 + 5000, len(gc.get_objects())  # frozen with it
assert gc.isenabled()
print("ok")
"""


def test_the_loaded_graph_is_frozen_and_a_reload_refreezes_without_keeping_the_old(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "store.sqlite")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
