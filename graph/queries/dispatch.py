"""Domain queries that a store may answer natively, chosen by the store's ``backend``.

Why: a flagship query is a plain function over the store contract, but on Neo4j one Cypher
round trip answers it faster. The query registers its native versions itself (as networkx's
``_dispatchable`` does), so the store layer never names a domain query and a change to a query
stays in the query's own folder::

    @dispatchable
    def coverage_of_building(store: GraphStore, building_id: str,
                             as_of: date | None = None) -> Coverage: ...

    @coverage_of_building.native("neo4j")
    def _(store: Neo4jStore, building_id: str, as_of: date | None = None) -> Coverage: ...

A call runs the native registered for ``store.backend`` (wrappers such as the audited store
pass their inner store's backend through), else the contract-based function. A native takes
the same arguments as the query (mypy checks it) and must give the same answer.

A query may name the module that registers a backend's version instead of importing it
(:meth:`Dispatchable.natives_in`): it is imported on the first call on such a store, so that a
process serving the embedded store never imports the Neo4j driver.

Examples
--------
>>> from graph.memory import MemoryStore
>>> @dispatchable
... def where(store: GraphStore) -> str:
...     return "contract"
>>> @where.native("memory")
... def _(store: MemoryStore) -> str:
...     return "native"
>>> where(MemoryStore()), sorted(where.natives)
('native', ['memory'])
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from graph.contract import GraphStore

P = ParamSpec("P")
R = TypeVar("R")

Native = Callable[Concatenate[Any, P], R]
"""A native version: the backend's own store first, then the query's own arguments."""


class Dispatchable(Generic[P, R]):
    """A domain query with per-backend native versions; called like the function it wraps."""

    def __init__(self, generic: Callable[Concatenate[GraphStore, P], R]) -> None:
        self.generic = generic
        self._natives: dict[str, Native[P, R]] = {}
        self._modules: dict[str, str] = {}  # backend -> the module registering its version
        functools.update_wrapper(self, generic)

    @property
    def name(self) -> str:
        return f"{self.generic.__module__}.{self.generic.__qualname__}"

    @property
    def natives(self) -> Mapping[str, Native[P, R]]:
        """The native versions by backend name (read only), every named module imported."""
        for backend in list(self._modules):
            self._imported(backend)
        return MappingProxyType(self._natives)

    def natives_in(self, backend: str, module: str) -> None:
        """``module`` registers the version for ``backend``: import it when first needed."""
        self._modules[backend] = module

    def _imported(self, backend: str) -> None:
        module = self._modules.pop(backend, None)
        if module is not None:
            importlib.import_module(module)

    def native(self, backend: str) -> Callable[[Native[P, R]], Native[P, R]]:
        """Register the decorated function as the query's version on stores of ``backend``."""

        def register(function: Native[P, R]) -> Native[P, R]:
            if backend in self._natives:
                raise ValueError(f"{self.name} has a {backend!r} version already")
            self._natives[backend] = function
            return function

        return register

    def remove_native(self, backend: str) -> None:
        """Forget the version for ``backend`` (tests that register one of their own)."""
        del self._natives[backend]

    def implementation(self, store: GraphStore) -> Callable[Concatenate[Any, P], R]:
        """What a call on ``store`` runs: its backend's native version, else the generic."""
        backend = store.backend
        if backend in self._modules:
            self._imported(backend)
        return self._natives.get(backend, self.generic)

    def __call__(self, store: GraphStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.implementation(store)(store, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<dispatchable {self.name} natives={sorted(self._natives)}>"


def dispatchable(generic: Callable[Concatenate[GraphStore, P], R]) -> Dispatchable[P, R]:
    """Make ``generic`` (store first) a query that stores of a backend may answer natively."""
    return Dispatchable(generic)


__all__ = ["Dispatchable", "Native", "dispatchable"]
