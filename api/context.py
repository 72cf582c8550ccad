"""The per-request context: the store, the settings, and DataLoaders created per request.

A DataLoader per (relationship types, direction, day, kinds) collects every node id that the
resolvers of one nesting level ask about and makes ONE store call for all of them; loaders
live for one request only, so no answer outlives a write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from api.execution import Deadline, GuardedStore
from api.gate import identity_of
from api.identity import ANONYMOUS, Identity
from api.inline import offload_if_inline
from api.state import ApiState
from graph.audited import AuditedStore
from graph.contract import GraphStore
from graph.listing import Aggregate, Reach
from graph.model import Direction, Hop, Node
from graph.settings import Settings

HopsKey = tuple[Any, ...]
K = TypeVar("K")
V = TypeVar("V")


class GraphContext(BaseContext):
    """What every resolver gets as ``info.context``."""

    def __init__(self, state: ApiState) -> None:
        super().__init__()
        self.state = state
        self.settings: Settings = state.settings
        self.deadline = Deadline(state.settings.request_timeout)
        # every store call of the request checks its deadline (api.execution)
        self.store: GraphStore = cast(GraphStore, GuardedStore(state.store, self.deadline))
        self.today = state.settings.today()  # the governed place's day, not the server's
        self._loaders: dict[HopsKey, DataLoader[Any, Any]] = {}
        self.personal_reads: dict[str, set[str]] = {}  # node id -> personal fields read unmasked
        self.people_listed: list[str] = []
        self._version: tuple[int | None] | None = None

    def version(self) -> int | None:
        """The store's data version, looked at once per request: what the request reads from
        the caches kept per version is of one version (and an inline run may look at it: it
        is the one store call that an answer at hand needs, :mod:`api.inline`)."""
        if self._version is None:
            self._version = (self.state.store.version(),)
        return self._version[0]

    @property
    def identity(self) -> Identity:
        """Who is asking, as the gate resolved it (anonymous when there is no request)."""
        request = getattr(self, "request", None)
        found = identity_of(request.scope) if request is not None else None
        return found or ANONYMOUS

    def audited(self, action: str, target: str | None = None) -> GraphStore:
        """The store for a change by this caller: each commit becomes an audit entry."""
        who = self.identity
        store = AuditedStore(
            self.state.store, self.state.audit, who.name, who.role, action, target, who.scope
        )
        return cast(GraphStore, store)

    def read_personal(self, node_id: str, field: str) -> None:
        """Note an unmasked read of a personal field; logged when the request ends, and the
        answer is never cached (each read is logged)."""
        self.personal_reads.setdefault(node_id, set()).add(field)

    def finish(self) -> None:
        """Write the request's reads of personal data and people to the audit trail."""
        who = self.identity
        request = getattr(self, "request", None)
        if (self.personal_reads or self.people_listed) and request is not None:
            request.scope.setdefault("state", {})["no_cache"] = True
        if self.personal_reads:
            reads = {nid: sorted(fields) for nid, fields in sorted(self.personal_reads.items())}
            self.state.audit.append(
                who.name, who.role, "read_personal", summary={"records": len(reads)},
                reads=reads,
            )  # fmt: skip
        if self.people_listed:
            self.state.audit.append(
                who.name, who.role, "list_people", summary={"people": len(self.people_listed)},
                ids=self.people_listed,
            )  # fmt: skip

    def day(self, as_of: date | None) -> date:
        """The day a question is asked for: ``asOf`` when given, else today."""
        return as_of or self.today

    def loader(
        self, key: HopsKey, load: Callable[[list[K]], Awaitable[list[V | Exception]]]
    ) -> DataLoader[K, V]:
        """The request's loader under ``key``, made from ``load`` when first asked: for the
        loaders a schema module defines (the chains of :mod:`api.schema.chain`), which live
        and die with the request like the ones below."""
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = _loader(load)
        return found

    def hops(
        self,
        types: tuple[str, ...] | None,
        direction: Direction,
        as_of: date | None,
        kinds: tuple[str, ...] | None,
    ) -> DataLoader[str, list[Hop]]:
        key = ("hops", types, direction, as_of, kinds)
        loader = self._loaders.get(key)
        if loader is None:
            store = self.store

            async def load(ids: list[str]) -> list[list[Hop]]:
                found = store.neighbours(ids, types, direction, as_of, kinds)
                return [found.get(i, []) for i in ids]

            loader = self._loaders[key] = _loader(load)
        return loader

    def walk(
        self, rel_type: str, direction: Direction, max_depth: int, as_of: date | None
    ) -> DataLoader[str, list[Node]]:
        key = ("walk", rel_type, direction, max_depth, as_of)
        loader = self._loaders.get(key)
        if loader is None:
            store = self.store

            async def load(ids: list[str]) -> list[list[Node]]:
                found = store.walk(ids, rel_type, direction, max_depth, as_of)
                return [found.get(i, []) for i in ids]

            loader = self._loaders[key] = _loader(load)
        return loader

    def reach(
        self, reach: Reach, as_of: date | None, props: tuple[str, ...]
    ) -> DataLoader[str, Aggregate]:
        """Counts (and min/max of ``props``) of the nodes a path reaches from each node: one
        store call for every node of a nesting level."""
        key = ("reach", reach, as_of, props)
        loader = self._loaders.get(key)
        if loader is None:
            store = self.store

            async def load(ids: list[str]) -> list[Aggregate]:
                found = store.reach_aggregates(ids, reach, as_of, props)
                return [found[i] for i in ids]

            loader = self._loaders[key] = _loader(load)
        return loader

    def nodes(self) -> DataLoader[str, Node | None]:
        key = ("nodes",)
        loader = self._loaders.get(key)
        if loader is None:
            store = self.store

            async def load(ids: list[str]) -> list[Node | None]:
                found = store.get_nodes(ids)
                return [found.get(i) for i in ids]

            loader = self._loaders[key] = _loader(load)
        return loader


def _loader(load: Callable[[list[K]], Awaitable[Sequence[V | BaseException]]]) -> DataLoader[K, V]:
    """A DataLoader; none on the event loop (a batch is store calls: :mod:`api.inline`)."""
    offload_if_inline("a DataLoader")
    return DataLoader(load_fn=load)
