"""Graph algorithms the stores share, written as plain functions (networkx style)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def bounded_bidirectional_path(
    neighbours: Callable[[N], Iterable[N]], source: N, target: N, max_length: int
) -> list[N] | None:
    """A shortest path from ``source`` to ``target`` of at most ``max_length`` steps, or None.

    Breadth first from both ends, always growing the smaller frontier, and never further than
    ``max_length`` steps in all: unlike an unbounded search, asking about two far-apart nodes
    of a province-size graph costs only the neighbourhoods within reach.

    Parameters
    ----------
    neighbours : callable
        The nodes one step from a node, in either direction.
    source, target : node
    max_length : int
        The longest path, in steps, worth finding.

    Returns
    -------
    list or None
        The nodes of the path, ``source`` first.

    Examples
    --------
    >>> ring = {0: [1, 5], 1: [0, 2], 2: [1, 3], 3: [2, 4], 4: [3, 5], 5: [4, 0]}
    >>> bounded_bidirectional_path(ring.__getitem__, 0, 3, max_length=3)
    [0, 1, 2, 3]
    >>> bounded_bidirectional_path(ring.__getitem__, 0, 3, max_length=2) is None
    True
    """
    if source == target:
        return [source]
    from_source: dict[N, N | None] = {source: None}
    from_target: dict[N, N | None] = {target: None}
    front_s, front_t = [source], [target]
    for _ in range(max_length):
        if not front_s or not front_t:
            return None
        grow_source = len(front_s) <= len(front_t)
        front, seen, other = (
            (front_s, from_source, from_target)
            if grow_source
            else (front_t, from_target, from_source)
        )
        nxt: list[N] = []
        for u in front:
            for v in neighbours(u):
                if v in seen:
                    continue
                seen[v] = u
                if v in other:
                    return _join(v, from_source, from_target)
                nxt.append(v)
        if grow_source:
            front_s = nxt
        else:
            front_t = nxt
    return None


def _join(meet: N, from_source: dict[N, N | None], from_target: dict[N, N | None]) -> list[N]:
    path: list[N] = []
    node: N | None = meet
    while node is not None:
        path.append(node)
        node = from_source[node]
    path.reverse()
    node = from_target[meet]
    while node is not None:
        path.append(node)
        node = from_target[node]
    return path
