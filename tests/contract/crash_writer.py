"""Child process for the crash test: commits batch A, then dies in the middle of batch B.

Run as ``python -m tests.contract.crash_writer memory|neo4j PATH``. For the embedded store it
pauses inside the SQLite transaction of batch B, after the node rows are written and before
COMMIT, says MID on stdout and waits to be killed. For Neo4j (``NEO4J_URI`` and friends in the
environment) it pauses inside B's write transaction after the server has answered B's first
``UNWIND`` batch (the rows are on the server, uncommitted), says MID and waits to be killed.
"""

from __future__ import annotations

import sys
from typing import Any

from graph.contract import GraphStore
from graph.model import new_node

A_SIZE = 200
B_SIZE = 20_000


def batch(prefix: str, size: int) -> list[Any]:
    return [
        new_node("Person", code=f"{prefix}-{i:06d}", name=f"{prefix}{i}", synthetic=True)
        for i in range(size)
    ]


class _PausingConnection:
    """Wraps sqlite3.Connection: after the node rows of a batch are written, stop and wait."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def executemany(self, sql: str, rows: Any) -> Any:
        result = self._db.executemany(sql, rows)
        if "INTO nodes" in sql and self._db.in_transaction:
            print("MID", flush=True)
            sys.stdin.read()  # killed here, inside the open transaction
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


def _pause_after_first_node_batch() -> None:
    """Wrap the Neo4j store's one statement runner: after the first node write of a unit of
    work has been answered by the server, stop inside the open transaction."""
    import graph.neo4j.store as neo4j_store

    real_run = neo4j_store.run

    def pausing_run(tx: Any, name: str, **params: Any) -> list[Any]:
        records = real_run(tx, name, **params)
        if name.startswith("nodes.put"):
            print("MID", flush=True)
            sys.stdin.read()  # killed here, inside the open transaction
        return records

    neo4j_store.run = pausing_run  # type: ignore[assignment]


def open_store(kind: str, where: str) -> GraphStore:
    if kind == "memory":
        from graph.memory import MemoryStore

        return MemoryStore(where)
    from graph.neo4j import Neo4jStore
    from graph.settings import Settings

    return Neo4jStore.from_settings(Settings())


def main() -> None:
    kind, where = sys.argv[1], sys.argv[2]
    store = open_store(kind, where)
    store.upsert_nodes(batch("A", A_SIZE))
    print("A", flush=True)
    if kind == "memory":
        store._db = _PausingConnection(store._db)  # type: ignore[attr-defined]
    else:
        _pause_after_first_node_batch()
    store.upsert_nodes(batch("B", B_SIZE))
    print("B", flush=True)


if __name__ == "__main__":
    main()
