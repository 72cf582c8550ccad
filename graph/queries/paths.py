"""The shortest connection between two nodes, for "how is X linked to Y?"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.model import Node, Relationship


@dataclass(frozen=True)
class Connection:
    """An ordered path: ``nodes[i]`` and ``nodes[i+1]`` are joined by ``relationships[i]``."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]

    @property
    def length(self) -> int:
        return len(self.relationships)


def shortest_connection(
    store: GraphStore,
    source: str,
    target: str,
    max_length: int = 6,
    as_of: date | None = None,
) -> Connection | None:
    """The shortest chain of relationships (either direction) from ``source`` to ``target``.

    Returns None when no chain of at most ``max_length`` relationships exists; raises
    :class:`NodeNotFound` when either end is not in the graph, so "no link" and "no such
    node" are told apart. ``as_of`` keeps only relationships in force on that day.

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> d = new_node("District", division_code="410611", name="淇滨区")
    >>> sd = new_node("Subdistrict", division_code="410611001", name="九州路街道")
    >>> _ = s.upsert_nodes([d, sd])
    >>> _ = s.upsert_relationships([Relationship("PART_OF", sd.id, d.id)])
    >>> [n.name for n in shortest_connection(s, d.id, sd.id).nodes]
    ['淇滨区', '九州路街道']
    """
    found = store.get_nodes([source, target])
    missing = [i for i in (source, target) if i not in found]
    if missing:
        raise NodeNotFound(f"no node with id {missing[0]}")
    path = store.shortest_path(source, target, max_length, as_of)
    if path is None:
        return None
    return Connection(path.nodes, path.relationships)
