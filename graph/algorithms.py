"""Graph algorithms the stores share, written as plain functions (networkx style)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Protocol, TypeVar


class Ordered(Hashable, Protocol):
    """Nodes that can be told apart and ordered (ids): ties between paths go to the least."""

    def __lt__(self, other: Any, /) -> bool: ...


N = TypeVar("N", bound=Ordered)


def bounded_bidirectional_path(
    neighbours: Callable[[N], Iterable[N]], source: N, target: N, max_length: int
) -> list[N] | None:
    """The least shortest path from ``source`` to ``target`` of at most ``max_length`` steps.

    Breadth first from both ends, a whole level at a time, always growing the smaller
    frontier, and never further than ``max_length`` steps in all: unlike an unbounded search,
    asking about two far-apart nodes of a province-size graph costs only the neighbourhoods
    within reach. Of several shortest paths it returns the one whose list of nodes is least
    (compared node by node), so every store answers the same path (Neo4j's ``shortestPath``
    picks any).

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
    >>> diamond = {"a": ["z", "b"], "b": ["a", "d"], "z": ["a", "d"], "d": ["z", "b"]}
    >>> bounded_bidirectional_path(diamond.__getitem__, "a", "d", max_length=4)
    ['a', 'b', 'd']
    """
    if source == target:
        return [source]
    dist_s: dict[N, int] = {source: 0}
    dist_t: dict[N, int] = {target: 0}
    levels_s: list[list[N]] = [[source]]
    front_s, front_t = [source], [target]
    for _ in range(max_length):
        if not front_s or not front_t:
            return None
        grow_source = len(front_s) <= len(front_t)
        front, dist, other = (front_s, dist_s, dist_t) if grow_source else (front_t, dist_t, dist_s)
        depth = dist[front[0]] + 1
        nxt: list[N] = []
        for u in front:
            for v in neighbours(u):
                if v not in dist:
                    dist[v] = depth
                    nxt.append(v)
        meets = [depth + other[v] for v in nxt if v in other]
        if grow_source:
            front_s = nxt
            levels_s.append(nxt)
        else:
            front_t = nxt
        if meets:
            length = min(meets)
            return _least_path(neighbours, source, length, dist_s, dist_t, levels_s)
    return None


def _least_path(
    neighbours: Callable[[N], Iterable[N]],
    source: N,
    length: int,
    dist_s: dict[N, int],
    dist_t: dict[N, int],
    levels_s: list[list[N]],
) -> list[N]:
    """The least path of ``length`` steps, given both searches' distances.

    Positions from ``first_known`` on are fixed by the distance to the target; before it, by
    the source levels that lead, level by level, into nodes with the right distance to go.
    """
    radius_t = max(dist_t.values())
    first_known = length - min(radius_t, length)
    good: list[set[N]] = [set() for _ in range(first_known + 1)]
    good[first_known] = {v for v in levels_s[first_known] if dist_t.get(v) == length - first_known}
    for i in range(first_known - 1, -1, -1):
        good[i] = {u for u in levels_s[i] if any(v in good[i + 1] for v in neighbours(u))}
    path = [source]
    for i in range(1, length + 1):
        here = path[-1]
        if i <= first_known:
            step = min(v for v in neighbours(here) if v in good[i])
        else:
            step = min(v for v in neighbours(here) if dist_t.get(v) == length - i)
        path.append(step)
    return path
