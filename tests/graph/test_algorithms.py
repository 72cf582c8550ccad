"""The shared graph algorithms agree with networkx and honour their bounds."""

from __future__ import annotations

import doctest
import itertools

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

import graph.algorithms
import graph.model
from graph.algorithms import bounded_bidirectional_path


def test_doctests() -> None:
    for module in (graph.algorithms, graph.model):
        assert doctest.testmod(module).failed == 0


@settings(max_examples=200, deadline=None)
@given(
    edges=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=40),
    ends=st.tuples(st.integers(0, 14), st.integers(0, 14)),
    max_length=st.integers(0, 8),
)
def test_matches_networkx_shortest_path_length(
    edges: list[tuple[int, int]], ends: tuple[int, int], max_length: int
) -> None:
    g = nx.Graph()
    g.add_nodes_from(range(15))
    g.add_edges_from(edges)
    source, target = ends
    path = bounded_bidirectional_path(lambda n: g.adj[n], source, target, max_length)
    try:
        expected = nx.shortest_path_length(g, source, target)
    except nx.NetworkXNoPath:
        expected = None
    if expected is None or expected > max_length:
        assert path is None
    else:
        assert path is not None
        assert len(path) - 1 == expected
        assert (path[0], path[-1]) == (source, target)
        assert all(g.has_edge(a, b) for a, b in itertools.pairwise(path))
        assert path == min(nx.all_shortest_paths(g, source, target))  # ties: the least path


def test_ties_go_to_the_least_path_whatever_the_neighbour_order() -> None:
    # Two equal paths a-z-d and a-b-d; neighbours listed so that a plain BFS finds z first.
    diamond = {"a": ["z", "b"], "b": ["d", "a"], "z": ["d", "a"], "d": ["z", "b"]}
    assert bounded_bidirectional_path(diamond.__getitem__, "a", "d", 4) == ["a", "b", "d"]
    assert bounded_bidirectional_path(diamond.__getitem__, "d", "a", 4) == ["d", "b", "a"]
