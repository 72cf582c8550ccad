"""Every registered Cypher statement passes Neo4j's own front end with no error and no warning.

The linter is npm ``@neo4j-cypher/language-support`` (``lintCypherQuery``), run by
``tools/cypher-lint/lint.mjs`` with the ontology as the database schema and each statement's
declared parameters. ``make test`` installs it (``npm ci --prefix tools/cypher-lint``). Without
it the tests fail in CI (``CI`` set) and are skipped, with the command to run, elsewhere.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from graph.neo4j.lint import TOOL_DIR, lint_payload, linter_installed, run_linter
from graph.neo4j.statements import STATEMENTS, Statement


def _require_linter() -> None:
    problem = None
    if shutil.which("node") is None:
        problem = "node is not on PATH"
    elif not linter_installed():
        problem = f"the Cypher linter is not installed: run npm ci --prefix {TOOL_DIR}"
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI must lint every Cypher statement)")
    pytest.skip(problem)


@pytest.fixture(scope="module")
def registry_lint() -> dict[str, Any]:
    _require_linter()
    return run_linter(lint_payload())


def _problems(result: dict[str, Any]) -> list[str]:
    return [
        f"{r['name']} ({r['cypherVersion']}) {d['severity']} at {d['line']}:{d['column']}: "
        f"{d['message']} [{d['excerpt']}]"
        for r in result["results"]
        for d in r["diagnostics"]
        if d["severity"] in ("error", "warning")
    ]


def test_every_registered_statement_lints_clean(registry_lint: dict[str, Any]) -> None:
    assert registry_lint["linter"]["name"] == "@neo4j-cypher/language-support"
    linted = {r["name"] for r in registry_lint["results"]}
    assert linted == set(STATEMENTS), "every statement in the registry is linted"
    assert _problems(registry_lint) == []


PROBES: list[tuple[str, dict[str, Any], str, str]] = [
    ("MATCH (n:Entity) RETRN n", {}, "error", "Invalid input 'RETRN'"),
    ("MATCH (n:Entity {id: $id}) RETURN n.name", {}, "error", "Parameter $id is not defined"),
    ("MATCH (n:Spaceship) RETURN n.id", {}, "warning", "Label Spaceship is not present"),
    ("MATCH ()-[r:OWNS]->() RETURN r.id", {}, "warning", "OWNS is not present"),
    ("MATCH (n:Community) RETURN n.colour", {}, "warning", "colour is not present"),
    ("MATCH (n:Entity) RETURN id(n)", {}, "warning", "Function id is deprecated"),
    ("RETURN apoc.text.join(['a'], '-')", {}, "error", "apoc.text.join is not present"),
    ("MATCH (:Person)-[r:PART_OF]->(:Community) RETURN r.id", {}, "warning", "PART_OF"),
    ("MATCH (n:Entity {id: $id}) RETURN n.name", {"id": "x"}, "", ""),
]


@pytest.fixture(scope="module")
def probe_lint() -> list[dict[str, Any]]:
    _require_linter()
    probes = [Statement(f"probe{i}", p[0], p[1], "read") for i, p in enumerate(PROBES)]
    results: list[dict[str, Any]] = run_linter(lint_payload(probes))["results"]
    return results


@pytest.mark.parametrize("index", range(len(PROBES)))
def test_the_linter_is_live(probe_lint: list[dict[str, Any]], index: int) -> None:
    """Broken statements, undeclared parameters and schema slips are reported, not ignored;
    a statement whose parameter is declared passes."""
    text, _, severity, message = PROBES[index]
    diagnostics = probe_lint[index]["diagnostics"]
    assert probe_lint[index]["name"] == f"probe{index}"
    if not severity:
        assert diagnostics == [], text
        return
    assert any(d["severity"] == severity and message in d["message"] for d in diagnostics), (
        text,
        diagnostics,
    )
