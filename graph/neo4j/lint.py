"""What Neo4j's own Cypher front end is told when it lints the statement registry.

The schema handed to ``lintCypherQuery`` is derived from the ontology: labels (every kind plus
``Entity``), relationship types, property keys, and the graph schema (which kinds each type may
join), so a statement that names an unknown label, type or property, or walks a relationship
between kinds the ontology does not allow, is reported. The Node tool lives in
``tools/cypher-lint`` (installed by ``npm ci --prefix tools/cypher-lint``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.neo4j.statements import ENTITY, META, META_KEYS, STATEMENTS, Statement
from schema import ONTOLOGY

TOOL_DIR = Path(__file__).resolve().parents[2] / "tools" / "cypher-lint"
CYPHER_VERSIONS = ("CYPHER 5",)


class LinterUnavailable(RuntimeError):
    """Node or the installed linter package is missing."""


def lint_schema() -> dict[str, Any]:
    """The DbSchema (labels, types, property keys, graph schema) derived from the ontology."""
    graph_schema = [
        {"from": src, "to": tgt, "relType": rel.name}
        for rel in ONTOLOGY.relations.values()
        for src in rel.sources
        for tgt in rel.targets
    ]
    # Every endpoint also carries the common label, so patterns on it are possible too.
    graph_schema += [{"from": ENTITY, "to": ENTITY, "relType": t} for t in ONTOLOGY.relations]
    return {
        "labels": sorted([ENTITY, META, *ONTOLOGY.kinds]),
        "relationshipTypes": sorted(ONTOLOGY.relations),
        "propertyKeys": sorted({*ONTOLOGY.property_keys(), *META_KEYS}),
        "graphSchema": graph_schema,
    }


def lint_payload(statements: Iterable[Statement] | None = None) -> dict[str, Any]:
    """The JSON the Node tool reads: the schema and each statement with its parameters."""
    chosen = list(STATEMENTS.values()) if statements is None else list(statements)
    return {
        "schema": lint_schema(),
        "cypherVersions": list(CYPHER_VERSIONS),
        "statements": [
            {"name": s.name, "text": s.text, "parameters": dict(s.params)} for s in chosen
        ],
    }


def linter_installed() -> bool:
    return (TOOL_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir()


def run_linter(payload: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
    """Run ``tools/cypher-lint/lint.mjs`` on ``payload``; its JSON answer."""
    node = shutil.which("node")
    if node is None:
        raise LinterUnavailable("node is not on PATH")
    if not linter_installed():
        raise LinterUnavailable(
            f"the Cypher linter is not installed: run npm ci --prefix {TOOL_DIR}"
        )
    proc = subprocess.run(
        [node, str(TOOL_DIR / "lint.mjs")],
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"cypher-lint failed ({proc.returncode}): {proc.stderr.strip()}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result
