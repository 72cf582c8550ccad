"""Imports point one way: schema ← graph ← loaders, api ← cli (and the library face,
gridgraph, beside cli). Checked on every import statement, also those inside functions."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: What each top-level package may import from the project's own packages.
ALLOWED: dict[str, set[str]] = {
    "schema": set(),
    "graph": {"schema"},
    "loaders": {"schema", "graph"},
    "api": {"schema", "graph", "loaders"},
    "gridgraph": {"schema", "graph", "loaders"},
    "cli": {"schema", "graph", "loaders", "api", "gridgraph"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(used - ALLOWED[package] - {package})
        for path in sorted((ROOT / package).rglob("*.py"))
        if (used := _imports(path)) - ALLOWED[package] - {package}
    }
    assert wrong == {}


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from api.app import create_app\n", encoding="utf-8")
    assert _imports(module) == {"api"}


def _project_imports(path: Path) -> set[str]:
    """Every module of the project that ``path`` imports by absolute name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


#: Inside graph/: the store layer never imports the domain queries (they register their
#: native versions on themselves, graph.queries.dispatch).
FORBIDDEN_INSIDE: dict[str, tuple[str, ...]] = {
    "graph/neo4j": ("graph.queries", "graph.analytics"),
}


def _forbidden(used: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(m for m in used if any(m == f or m.startswith(f"{f}.") for f in forbidden))


@pytest.mark.parametrize("folder", sorted(FORBIDDEN_INSIDE))
def test_the_store_layer_does_not_import_the_domain_queries(folder: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): bad
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (bad := _forbidden(_project_imports(path), FORBIDDEN_INSIDE[folder]))
    }
    assert wrong == {}


def test_the_store_layer_check_sees_a_wrong_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from graph import queries\nimport graph.analytics\n", encoding="utf-8")
    assert _forbidden(_project_imports(module), FORBIDDEN_INSIDE["graph/neo4j"]) == [
        "graph.analytics",
        "graph.queries",
    ]


def test_serving_the_embedded_store_does_not_import_the_neo4j_driver() -> None:
    """The queries' Neo4j versions register on a Neo4j store's first call (graph.queries.
    dispatch), so a process on the embedded store never loads the driver (nor pays for it)."""
    probe = (
        "import sys\n"
        "from datetime import date\n"
        "import api.app, cli.main\n"
        "from graph.queries import agreements, analytics, chain, coverage, gaps\n"
        "from graph.memory import MemoryStore\n"
        "from graph.queries.gaps import find_gaps\n"
        "find_gaps(MemoryStore(), date(2024, 1, 1))\n"
        "print(sorted(m for m in sys.modules if m == 'neo4j' or m.startswith('neo4j.'))[:3])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_neo4j_store_finds_every_query_version_without_the_flagship_import() -> None:
    probe = (
        "from graph.queries.coverage import coverage_of_building\n"
        "class Fake:\n    backend = 'neo4j'\n"
        "print(coverage_of_building.implementation(Fake()).__module__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "graph.queries.coverage.neo4j"
