"""Imports point one way: schema ← graph ← loaders, api ← cli (and the library face,
gridgraph, beside cli). Checked on every import statement, also those inside functions."""

from __future__ import annotations

import ast
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
