"""A dispatchable query runs the version registered for the store's backend, else its own."""

from __future__ import annotations

import doctest

import pytest

import graph.queries.dispatch as dispatch_module
from graph.audit import AuditTrail
from graph.audited import AuditedStore
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.queries.dispatch import dispatchable


def test_the_generic_answers_unless_the_backend_has_a_version() -> None:
    @dispatchable
    def echo(store: GraphStore, value: int, twice: bool = False) -> tuple[str, int]:
        """Say where it ran."""
        return "generic", value * (2 if twice else 1)

    assert echo.__name__ == "echo" and echo.__doc__ == "Say where it ran."
    store = MemoryStore()
    assert echo(store, 3) == ("generic", 3)

    @echo.native("neo4j")
    def _(s: object, value: int, twice: bool = False) -> tuple[str, int]:
        return "neo4j", value

    assert echo(store, 3, twice=True) == ("generic", 6)  # a memory store: still the generic

    @echo.native("memory")
    def mine(s: object, value: int, twice: bool = False) -> tuple[str, int]:
        assert s is store or isinstance(s, AuditedStore)
        return "memory", value

    assert echo(store, 4) == ("memory", 4)
    audited = AuditedStore(store, AuditTrail(None), "someone", None, "test")
    assert echo(audited, 5) == ("memory", 5)  # type: ignore[arg-type]
    assert sorted(echo.natives) == ["memory", "neo4j"]
    with pytest.raises(ValueError, match="already"):
        echo.native("memory")(mine)
    echo.remove_native("memory")
    assert echo(store, 4) == ("generic", 4)


def test_the_examples_run() -> None:
    assert doctest.testmod(dispatch_module).attempted > 0
