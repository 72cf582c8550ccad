"""The audit trail: every change and every read of personal data, append-only, tamper-evident.

Why a file of its own beside the store (``<store>.audit.jsonl``, or ``GRIDGRAPH_AUDIT_PATH``):
the trail must outlive any change to the graph, be readable without the server, and work the
same for both stores. One JSON object a line; each entry carries ``prev``, the hash of the
entry before it, and ``hash``, the SHA-256 of its own canonical JSON (without ``hash``) and
``prev``. Changing, dropping or reordering any line breaks the chain from there on, which
:meth:`AuditTrail.verify` reports. Appends from several processes are serialised with an
exclusive lock on the file (``flock``), so the chain stays one line of descent.

An entry: ``seq``, ``at`` (UTC, ISO), ``who`` (identity name), ``role``, ``action`` (``load``,
``addAgreement``, ``endAgreement``, ``read_personal``, ``list_people`` ...), ``target``,
``summary`` (counts), ``changes`` (up to :data:`MAX_DETAIL` records with ``before`` and
``after`` properties; ``None`` for a record that did not exist or no longer does).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from graph.errors import GridGraphError
from graph.settings import Settings

GENESIS = "0" * 64
MAX_DETAIL = 1000


def entry_hash(entry: Mapping[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


class AuditBroken(GridGraphError):
    """The trail's chain of hashes does not hold: an entry was changed, dropped or moved."""


class AuditTrail:
    """Append-only entries in a JSON Lines file (or in memory, for a store without a file)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._memory: list[dict[str, Any]] = []
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def append(self, who: str, role: str | None, action: str, **fields: Any) -> dict[str, Any]:
        """Add one entry after the last; returns it with its ``seq`` and ``hash``."""
        with self._lock:
            if self.path is None:
                return self._add(self._memory[-1] if self._memory else None, who, role, action,
                                 fields, self._memory.append)  # fmt: skip
            with open(self.path, "a+b") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                try:
                    last = _last_entry(f)

                    def write(entry: dict[str, Any]) -> None:
                        f.seek(0, os.SEEK_END)
                        f.write(orjson.dumps(entry, option=orjson.OPT_SORT_KEYS) + b"\n")
                        f.flush()
                        os.fsync(f.fileno())

                    return self._add(last, who, role, action, fields, write)
                finally:
                    fcntl.flock(f, fcntl.LOCK_UN)

    @staticmethod
    def _add(
        last: dict[str, Any] | None,
        who: str,
        role: str | None,
        action: str,
        fields: Mapping[str, Any],
        write: Any,
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "seq": (last["seq"] + 1) if last else 1,
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "who": who,
            "role": role,
            "action": action,
            **{k: v for k, v in fields.items() if v is not None},
            "prev": last["hash"] if last else GENESIS,
        }
        entry["hash"] = entry_hash(entry)
        write(entry)
        return entry

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first."""
        if self.path is None:
            yield from list(self._memory)
            return
        if not self.path.exists():
            return
        with open(self.path, "rb") as f:
            for n, line in enumerate(f, start=1):
                if line.strip():
                    try:
                        yield orjson.loads(line)
                    except orjson.JSONDecodeError:
                        raise AuditBroken(f"{self.path} line {n} is not JSON") from None

    def verify(self) -> int:
        """The number of entries, once every hash and link has been checked."""
        prev, count = GENESIS, 0
        for entry in self.entries():
            count += 1
            where = f"audit trail {self.path or '(memory)'} entry {entry.get('seq', count)}"
            if entry.get("seq") != count:
                raise AuditBroken(f"{where}: expected entry {count} here (one dropped or moved)")
            if entry.get("prev") != prev:
                raise AuditBroken(f"{where}: does not follow the entry before it")
            if entry.get("hash") != entry_hash(entry):
                raise AuditBroken(f"{where}: its content does not match its hash (changed)")
            prev = entry["hash"]
        return count


def _last_entry(f: Any) -> dict[str, Any] | None:
    """The last line of an open file, read from its end."""
    f.seek(0, os.SEEK_END)
    size = f.tell()
    if size == 0:
        return None
    block, data = 4096, b""
    pos = size
    while pos > 0:
        step = min(block, pos)
        pos -= step
        f.seek(pos)
        data = f.read(step) + data
        lines = data.rstrip(b"\n").split(b"\n")
        if len(lines) > 1 or pos == 0:
            last: dict[str, Any] = orjson.loads(lines[-1])
            return last
    return None


def audit_path_for(store_path: Path | None, configured: Path | None) -> Path | None:
    """Where a store's trail lives: the configured path, else beside the store's file."""
    if configured is not None:
        return configured
    if store_path is None:
        return None
    return store_path.with_name(store_path.name + ".audit.jsonl")


def trail_for(settings: Settings, store: object) -> AuditTrail:
    """The trail of ``store``: a file beside the embedded store's file (Neo4j: beside the
    configured store path), or ``GRIDGRAPH_AUDIT_PATH``; in memory for a store without a file."""
    path = getattr(store, "path", settings.store_path)
    return AuditTrail(audit_path_for(path, settings.audit_path))
