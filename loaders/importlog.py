"""The import log: one ``ImportRun`` node per load that wrote to the store.

Kept in the store itself (not a log file) so that the history — what was loaded, when, by whom,
with what effect — is queried like any other data, through the API's generic kind queries.
Rejected files and dry runs write nothing, not even a log entry: they change nothing.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from datetime import UTC, datetime

from graph.contract import GraphStore
from graph.model import Node
from loaders.report import LoadReport

KIND = "ImportRun"


def default_loaded_by() -> str:
    """The operating-system user, as the default for ``loaded_by``."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return os.environ.get("USER") or "unknown"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def run_code(data: bytes) -> str:
    """``20250101T120000123456Z-1a2b3c4d``: sortable by time, and names the file's content."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{hashlib.sha256(data).hexdigest()[:8]}"


def import_run_node(report: LoadReport, code: str) -> Node:
    c = report.changes
    props = {
        "code": code,
        "name": f"{report.file} @ {report.loaded_at}",
        "file": report.file,
        "load_kinds": report.kinds,
        "status": report.status,
        "rows": report.rows,
        "rows_loaded": report.rows_valid,
        "rows_invalid": report.rows_invalid,
        "rows_skipped": report.rows_skipped,
        "nodes_created": c.nodes_created,
        "nodes_updated": c.nodes_updated,
        "nodes_unchanged": c.nodes_unchanged,
        "relationships_created": c.relationships_created,
        "relationships_updated": c.relationships_updated,
        "relationships_unchanged": c.relationships_unchanged,
        "relationships_removed": c.relationships_removed,
        # before and after of every record updated or removed: old values are never lost
        "changes": json.dumps(
            [r.model_dump(mode="json") for r in report.records if r.action != "created"],
            ensure_ascii=False,
            default=str,
        ),
        "loaded_at": report.loaded_at,
        "loaded_by": report.loaded_by,
        "source_file": report.file,
    }
    return Node(f"import_run:{code}", KIND, props)


def import_runs(store: GraphStore, limit: int = 20) -> list[Node]:
    """The most recent import runs, newest first."""
    runs = store.nodes_of_kind(KIND)
    return sorted(runs, key=lambda n: n.props.get("code", ""), reverse=True)[:limit]
