"""The links of a busy node by type, so that asking a hub for one type of link costs that type's
links, not a pass over all of them: the embedded store's relationship adjacency by type.

Why only at hubs: networkx keeps a node's links by neighbour (``G[u][v][key]``, which analytics
read and which stays as it is); a second map of every link by type, with its small dicts at
every node, would cost some 300 bytes per element more (an estimate, at scale 10: the store
holds about 670), while at a node with a few dozen links a pass over them costs about as much
as the call itself. So a side (out or in) of a node gets a map type -> {relationship id: the
other end} once it reaches :data:`HUB_NEIGHBOURS` neighbours, and loses it when it falls below
half that (not at once, so that a node hovering at the line is not indexed and unindexed on
every write).
Every write path keeps the maps equal to the graph: :meth:`TypedAdjacency.added` after a link
enters the graph, :meth:`~TypedAdjacency.removed` after one leaves it (a node's own maps go
with it in :meth:`~TypedAdjacency.forget`), :meth:`~TypedAdjacency.build` after a full load.

>>> import networkx as nx
>>> from graph.model import Relationship
>>> g = nx.MultiDiGraph()
>>> rels = [Relationship("PART_OF", f"building:{i}", "community:1") for i in range(3)]
>>> rels.append(Relationship("PAIRED_WITH", "department:1", "community:1"))
>>> keys = [g.add_edge(r.source, r.target, key=r.id) for r in rels]
>>> index = TypedAdjacency(g, hub_neighbours=4)
>>> index.build({r.id: r for r in rels})
>>> index.typed_in("community:1")["PAIRED_WITH"]
{'PAIRED_WITH:department:1>community:1': 'department:1'}
>>> for r in rels[:2]:
...     g.remove_edge(r.source, r.target, key=r.id); index.removed(r)
>>> sorted(index.typed_in("community:1"))  # two neighbours left: half the line, still kept
['PAIRED_WITH', 'PART_OF']
>>> g.remove_edge(rels[2].source, rels[2].target, key=rels[2].id); index.removed(rels[2])
>>> index.typed_in("community:1") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from graph.model import Relationship

#: Neighbours on one side from which a node's links on that side are kept by type.
HUB_NEIGHBOURS = 32

#: type -> {relationship id: the node at the other end}
Typed = dict[str, dict[str, str]]


class TypedAdjacency:
    """Out and in links by type, for the nodes with at least ``hub_neighbours`` on that side."""

    __slots__ = ("_hub", "_into", "_out", "_pred", "_succ")

    def __init__(self, g: nx.MultiDiGraph, hub_neighbours: int | None = None) -> None:
        self._succ: dict[str, dict[str, dict[str, object]]] = g._succ
        self._pred: dict[str, dict[str, dict[str, object]]] = g._pred
        self._hub = HUB_NEIGHBOURS if hub_neighbours is None else hub_neighbours
        self._out: dict[str, Typed] = {}
        self._into: dict[str, Typed] = {}

    def typed_out(self, nid: str) -> Typed | None:
        """The out-links of ``nid`` by type, or None when it is not a hub on that side (do not
        modify the result)."""
        return self._out.get(nid)

    def typed_in(self, nid: str) -> Typed | None:
        """The in-links of ``nid`` by type, or None when it is not a hub on that side."""
        return self._into.get(nid)

    def build(self, rels: Mapping[str, Relationship]) -> None:
        """Index every hub of a graph just loaded (the maps empty before)."""
        hub = self._hub
        for side, maps in ((self._succ, self._out), (self._pred, self._into)):
            for nid in [n for n, adjacency in side.items() if len(adjacency) >= hub]:
                maps[nid] = _by_type(side[nid], rels)

    def added(self, rel: Relationship, rels: Mapping[str, Relationship]) -> None:
        """``rel`` has just entered the graph (``rels``, the records, holds it)."""
        source, target = rel.source, rel.target
        typed = self._out.get(source)
        if typed is not None:
            _put(typed, rel.type, rel.id, target)
        elif len(self._succ[source]) >= self._hub:
            self._out[source] = _by_type(self._succ[source], rels)
        typed = self._into.get(target)
        if typed is not None:
            _put(typed, rel.type, rel.id, source)
        elif len(self._pred[target]) >= self._hub:
            self._into[target] = _by_type(self._pred[target], rels)

    def removed(self, rel: Relationship) -> None:
        """``rel`` has just left the graph (its ends may have left too)."""
        low = self._hub // 2
        for maps, nid, side in (
            (self._out, rel.source, self._succ),
            (self._into, rel.target, self._pred),
        ):
            typed = maps.get(nid)
            if typed is None:
                continue
            adjacency = side.get(nid)
            if adjacency is None or len(adjacency) < low:
                del maps[nid]
                continue
            links = typed.get(rel.type)
            if links is not None:
                links.pop(rel.id, None)
                if not links:
                    del typed[rel.type]

    def forget(self, nid: str) -> None:
        """``nid`` is leaving the graph: its own maps go (its links are :meth:`removed` apart)."""
        self._out.pop(nid, None)
        self._into.pop(nid, None)

    def hubs(self) -> Iterable[tuple[str, str, Typed]]:
        """``(side, node id, links by type)`` for every indexed side (``"out"`` or ``"in"``)."""
        for side, maps in (("out", self._out), ("in", self._into)):
            for nid, typed in maps.items():
                yield side, nid, typed


def _by_type(
    adjacency: Mapping[str, Mapping[str, object]], rels: Mapping[str, Relationship]
) -> Typed:
    typed: Typed = {}
    for other, keyed in adjacency.items():
        for rid in keyed:
            _put(typed, rels[rid].type, rid, other)
    return typed


def _put(typed: Typed, type_: str, rid: str, other: str) -> None:
    links = typed.get(type_)
    if links is None:
        typed[type_] = {rid: other}
    else:
        links[rid] = other
