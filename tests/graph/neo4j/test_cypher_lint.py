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
from graph.queries.flagship import native_queries  # registers every native.* statement


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
    assert native_queries(), "the flagship queries registered their Neo4j versions"
    natives = {name for name in linted if name.startswith("native.")}
    assert {"native.coverage", "native.responsibility_chains", "native.co_construction"} <= natives
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


# -- generated statements (listing requests) -----------------------------------------------


def _generated_shapes() -> list[Statement]:
    """Every construct the listing generator writes: every property of every kind (tests of
    each type, AND/OR/NOT, ids, within, orders, min/max), and every relationship step in both
    directions (some/none/all with a nested filter, orders by counts of one and two steps,
    per-node counts). The text of a step is the same from any kind that can take it."""
    from graph.listing import (
        AllOf,
        AnyOf,
        Below,
        IdIn,
        KindIn,
        Listing,
        Not,
        PropTest,
        Reach,
        Related,
        SortKey,
        Step,
        end_kinds,
    )
    from graph.model import Direction
    from graph.neo4j.statements import aggregate_statement, listing_statement, reach_statement
    from schema import ONTOLOGY
    from schema.ontology import PropType

    samples = {
        PropType.STRING: [("eq", "x"), ("in", ("x",)), ("contains", "x")],
        PropType.INT: [("gt", 1), ("lte", 2)],
        PropType.FLOAT: [("gte", 1.5), ("lt", 2.5)],
        PropType.BOOL: [("eq", True)],
        PropType.DATE: [("gte", "2024-01-01"), ("lte", "2024-12-31")],
        PropType.STRINGS: [("includes", "x")],
    }
    shapes: list[Statement] = []
    every_step = [Step(r, d) for r in ONTOLOGY.relations for d in (Direction.OUT, Direction.IN)]
    for kind in ONTOLOGY.kinds.values():  # every property of every kind, within, orders
        tests = [  # one test per property, the ops of its type in turn
            PropTest(p.name, *samples[p.type][i % len(samples[p.type])])  # type: ignore[arg-type]
            for i, p in enumerate(kind.all_props)
        ]
        where = AllOf((AnyOf(tuple(tests)), Not(tests[0]), IdIn(("x:1",))))
        if kind.grid_level is not None:
            where = AllOf((*where.parts, Below("district:1")))
        order = tuple(SortKey(prop=p.name, descending=True) for p in kind.all_props[:2])
        listing = Listing(kind.name, where, order)
        shapes.append(listing_statement(listing, "x", 10)[0])
        dated = [p.name for p in kind.all_props if p.type in (PropType.DATE, PropType.INT)]
        shapes.append(aggregate_statement(listing, dated)[0])
    for step in every_step:  # every relationship step, from the first kind that can take it
        kind = next(k for k in ONTOLOGY.kinds if end_kinds([k], step))
        others = end_kinds([kind], step)
        related = AnyOf(
            tuple(
                Related(step, q, PropTest("name", "eq", "x") if q != "none" else None)
                for q in ("some", "none", "all")
            )
        )
        order = [SortKey(reach=Reach((step,), KindIn(others)), descending=True)]
        onward = next((s for s in every_step if end_kinds(others, s)), None)
        if onward is not None:
            order.append(SortKey(reach=Reach((step, onward))))
        shapes.append(listing_statement(Listing(kind, related, tuple(order)), None, None)[0])
        props = [p.name for p in ONTOLOGY.kind(others[0]).all_props if p.type == PropType.DATE]
        shapes.append(reach_statement(["x:1"], Reach((step,), KindIn(others)), None, props)[0])
    return shapes


@pytest.fixture(scope="module")
def generated_lint() -> tuple[list[Statement], dict[str, Any]]:
    _require_linter()
    shapes = _generated_shapes()
    return shapes, run_linter(lint_payload(shapes))


def test_generated_listing_statements_lint_clean(
    generated_lint: tuple[list[Statement], dict[str, Any]],
) -> None:
    shapes, result = generated_lint
    assert {r["name"] for r in result["results"]} == {s.name for s in shapes}
    assert len(shapes) >= 2 * 20 + 2 * 26, "every kind and every relationship step"
    assert _problems(result) == []
