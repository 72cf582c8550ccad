"""The statement registry: generated from the ontology, parameters declared, the only way out.

The registry's contents are linted by Neo4j's front end in ``test_cypher_lint.py``; these tests
check what the linter cannot: that the registry covers the ontology, that each statement
declares exactly the parameters its text uses, and that no Cypher reaches the driver any other
way.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import graph.queries.flagship  # noqa: F401 - the native.* statements are in the registry too
from graph.neo4j import statements as st
from graph.neo4j.statements import (
    ENTITY,
    STATEMENTS,
    StatementParameterError,
    UnregisteredStatement,
    run,
)
from schema import ONTOLOGY

ROOT = Path(__file__).resolve().parents[3]
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_declared_parameters_are_exactly_the_used_ones(name: str) -> None:
    statement = STATEMENTS[name]
    assert set(PARAM.findall(statement.text)) == set(statement.params), statement.text


def test_every_kind_and_type_has_its_statements() -> None:
    for kind in ONTOLOGY.kinds:
        for base in ("nodes.put", "nodes.page", "nodes.count", "schema.constraint"):
            assert f"{base}[{kind}]" in STATEMENTS
        assert f"SET n:{kind}" in STATEMENTS[f"nodes.put[{kind}]"].text
    for rel in ONTOLOGY.relations:
        for base in ("rels.get", "rels.put", "rels.delete", "rels.page"):
            assert f"[r:{rel} " in STATEMENTS[f"{base}[{rel}]"].text or (
                f"[r:{rel}]" in STATEMENTS[f"{base}[{rel}]"].text
            )
        for direction in st.DIRECTIONS:
            for bound in st.WALK_BOUNDS:
                text = STATEMENTS[st.walk_statement_name(rel, direction, bound)].text
                assert f":{rel}*1..{bound}" in text


def test_walk_statements_point_the_right_way() -> None:
    def pattern(direction: str) -> str:
        return STATEMENTS[st.walk_statement_name("PART_OF", direction, 2)].text

    assert "})-[:PART_OF*1..2]->(:Entity)" in pattern("out")
    assert "})<-[:PART_OF*1..2]-(:Entity)" in pattern("in")
    assert "})-[:PART_OF*1..2]-(:Entity)" in pattern("both")


def test_constraints_cover_every_label_and_relationship_type() -> None:
    schema = "\n".join(STATEMENTS[n].text for n in st.schema_statement_names())
    assert f"FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE" in schema
    for kind in ONTOLOGY.kinds.values():
        assert f"FOR (n:{kind.name}) REQUIRE n.id IS UNIQUE" in schema
        key = ", ".join(f"n.{k}" for k in kind.key)
        assert f"FOR (n:{kind.name}) ON ({key})" in schema
        assert f"FOR (n:{kind.name}) ON (n.name)" in schema
    for rel in ONTOLOGY.relations:
        assert f"FOR ()-[r:{rel}]-() ON (r.id)" in schema
    assert "IF NOT EXISTS" in schema and schema.count("IF NOT EXISTS") == schema.count("CREATE")
    assert st.schema_statement_names()[-1] == "schema.await"


def test_counts_name_every_kind_and_type() -> None:
    for kind in ONTOLOGY.kinds:
        assert f"MATCH (n:{kind}) RETURN '{kind}' AS name" in STATEMENTS["counts.nodes"].text
    for rel in ONTOLOGY.relations:
        assert f"[r:{rel}]" in STATEMENTS["counts.relationships"].text


def test_writes_are_batched_with_unwind() -> None:
    """Data writes go in UNWIND batches; the one exception is the unit of work's lock."""
    writes = {name for name, s in STATEMENTS.items() if s.access == "write"}
    assert "meta.lock" in writes
    for name in writes - {"meta.lock"}:
        assert STATEMENTS[name].text.startswith("UNWIND $"), name


def test_an_unregistered_statement_cannot_be_sent() -> None:
    # No transaction is needed: the registry refuses before anything reaches a driver.
    with pytest.raises(UnregisteredStatement, match="no Cypher statement named"):
        run(None, "MATCH (n) DETACH DELETE n")
    with pytest.raises(StatementParameterError, match="undeclared parameters \\['oops'\\]"):
        run(None, "nodes.get", ids=["x"], oops=1)
    with pytest.raises(StatementParameterError, match="missing parameters \\['ids'\\]"):
        run(None, "nodes.get")


def test_registering_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        STATEMENTS.add("nodes.get", "RETURN 1", {}, "read")


CYPHER = re.compile(
    r"\b(MATCH\s*\(|MERGE\s*\(|UNWIND\s+\$|DETACH\s+DELETE|CREATE\s+CONSTRAINT|"
    r"shortestPath\s*\(|CALL\s+db\.|RETURN\s+\w+\s+AS\b)"
)


def _python_files() -> list[Path]:
    return sorted(
        p for top in ("graph", "api", "cli", "loaders") for p in (ROOT / top).rglob("*.py")
    )


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_no_cypher_text_outside_the_registry() -> None:
    """Cypher written anywhere else would bypass the lint: none may exist (docstrings aside).

    Its homes: the registry, and each query folder's ``cypher.py``, whose statements join the
    registry through ``native_statement`` (and are linted there).
    """
    homes = {ROOT / "graph" / "neo4j" / "statements.py"}
    homes |= set((ROOT / "graph" / "queries").glob("*/cypher.py"))
    assert len(homes) >= 6
    offenders = []
    for path in _python_files():
        if path in homes:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and CYPHER.search(node.value)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_only_the_registry_hands_text_to_the_driver() -> None:
    """tx.run / execute_query appear in statements.run only; stores go through it by name."""
    allowed = {("graph/neo4j/statements.py", "run")}
    calls = []
    for path in _python_files():
        text = path.read_text(encoding="utf-8")
        if "neo4j" not in text:
            continue
        tree = ast.parse(text)
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"run", "execute_query"}
                    and not (
                        isinstance(node.func.value, ast.Name)
                        and node.func.value.id in {"subprocess", "uvicorn", "asyncio"}
                    )
                ):
                    calls.append((str(path.relative_to(ROOT)), func.name))
    assert calls and set(calls) <= allowed, calls


def test_registry_is_sized_by_the_ontology() -> None:
    kinds, types = len(ONTOLOGY.kinds), len(ONTOLOGY.relations)
    walks = types * len(st.DIRECTIONS) * len(st.WALK_BOUNDS)
    assert sum(1 for n in STATEMENTS if n.startswith("walk[")) == walks
    assert sum(1 for n in STATEMENTS if n.startswith("nodes.put[")) == kinds


def test_generated_statements_are_sent_only_as_the_generator_wrote_them() -> None:
    """A listing's statement goes to the driver as written (even once a full registry has
    forgotten it); a text changed after writing is refused before anything is sent."""
    from graph.listing import Listing, PropTest
    from graph.neo4j.statements import (
        GeneratedStatements,
        Statement,
        UnregisteredStatement,
        listing_statement,
        run,
    )

    statement, params = listing_statement(
        Listing("Community", PropTest("name", "eq", "x")), None, 5
    )
    sent: list[str] = []

    class Tx:
        def run(self, text: str, values: dict[str, object]) -> list[object]:
            sent.append(text)
            return []

    assert run(Tx(), statement, **params) == []
    forged = Statement(
        statement.name, statement.text + "\nDETACH DELETE n", statement.params, "read"
    )
    with pytest.raises(UnregisteredStatement, match="not the generator's"):
        run(Tx(), forged, **params)
    small = GeneratedStatements(capacity=1)
    small.add("a", "RETURN 1", {})
    small.add("b", "RETURN 2", {})
    assert len(small) == 1
    assert sent == [statement.text]


def test_native_statements_are_named_native_and_registered_once() -> None:
    from graph.neo4j.statements import native_statement

    with pytest.raises(ValueError, match=r"native\.\*"):
        native_statement("coverage", "RETURN 1 AS one", {})
    with pytest.raises(ValueError, match="registered twice"):
        native_statement("native.coverage", "RETURN 1 AS one", {})
    assert STATEMENTS["native.coverage"].access == "read"
