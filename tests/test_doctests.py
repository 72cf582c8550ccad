"""The examples in the code's docstrings are run, so they stay true (doctest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("schema", "graph", "loaders", "api", "cli", "gridgraph")


def _modules_with_examples() -> list[str]:
    found = []
    for package in PACKAGES:
        infos = [pkgutil.ModuleInfo(None, package, True)]  # type: ignore[arg-type]
        infos += pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}.")
        for info in infos:
            path = ROOT / Path(*info.name.split("."))
            source = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
            if source.exists() and ">>> " in source.read_text(encoding="utf-8"):
                found.append(info.name)
    return sorted(found)


MODULES = _modules_with_examples()


def test_there_are_examples_to_run() -> None:
    assert {"gridgraph", "graph.name_index"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
