"""A consistent copy of the embedded store with SQLite's online backup API.

Why not ``cp``: the store runs in WAL mode, so recent commits live in ``store.sqlite-wal``
until a checkpoint; a copy of the main file alone loses them (and a copy taken mid-commit may
be torn). The backup API copies a single consistent snapshot, WAL included, while servers keep
reading and writing; the result is one self-contained file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graph.errors import GridGraphError, StoreUnavailable


def backup_store(source: Path, dest: Path) -> int:
    """Copy the store file ``source`` to ``dest`` (which must not exist); the bytes written."""
    if not source.exists() or source.stat().st_size == 0:
        raise StoreUnavailable(
            f"store file {source} does not exist or is empty: nothing to back up"
        )
    if dest.exists():
        raise GridGraphError(f"{dest} already exists: choose a new file for the backup")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        try:
            out = sqlite3.connect(dest)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                out.close()
        finally:
            src.close()
    except sqlite3.Error as e:
        dest.unlink(missing_ok=True)
        raise StoreUnavailable(f"cannot back up store file {source} to {dest}: {e}") from None
    return dest.stat().st_size
