"""The rows of a native statement, sorted back into the records the contract calls return.

Each native statement (``native.*``, registered by the query's ``cypher.py``) answers in rows
of one shape, ``part, key, rel, node``. :class:`Rows` decodes them into exactly what the
contract-based gathering would have got (hops in the contract's order, walks in breadth-first
order), so the query's own assembly builds the same answer from them. Domain-free on purpose:
the parts are whatever names the statement gave its branches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from graph.model import Direction, Hop, Node
from graph.neo4j.store import breadth_first, decode_node, decode_rel


class Rows:
    """The rows of one native statement, sorted into the records contract calls return."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        self._hops: dict[str, dict[str, list[Hop]]] = defaultdict(lambda: defaultdict(list))
        self._nodes: dict[str, dict[str, Node]] = defaultdict(dict)
        for record in records:
            part, key = record["part"], record["key"]
            node = decode_node(record["node"])
            if record["rel"] is None:
                self._nodes[part][node.id] = node
            else:
                self._hops[part][key].append(Hop(decode_rel(record["rel"], ""), node))

    def nodes(self, part: str) -> dict[str, Node]:
        """The nodes of ``part`` by id (``get_nodes``)."""
        return dict(self._nodes.get(part, {}))

    def listing(self, part: str) -> list[Node]:
        """The nodes of ``part`` ordered by id (``nodes_of_kind``)."""
        found = self._nodes.get(part, {})
        return [found[nid] for nid in sorted(found)]

    def hops(self, part: str) -> dict[str, list[Hop]]:
        """The hops of ``part`` per key, each relationship once, in the contract's order
        (``neighbours``: relationship type, neighbour id, relationship id)."""
        out: dict[str, list[Hop]] = {}
        for key, hops in self._hops.get(part, {}).items():
            unique = {h.relationship.id: h for h in hops}
            out[key] = sorted(
                unique.values(),
                key=lambda h: (h.relationship.type, h.node.id, h.relationship.id),
            )
        return out

    def walk(self, part: str, starts: Iterable[str], depth: int) -> dict[str, list[Node]]:
        """Per start, the nodes reached over the links of ``part`` in ``walk``'s order.

        The rows of a start are the links of every walk of at most ``depth`` steps from it;
        the same breadth-first pass the store's ``walk`` runs orders them.
        """
        result: dict[str, list[Node]] = {}
        for start, hops in self._hops.get(part, {}).items():
            links = {
                (h.relationship.id, h.relationship.source, h.relationship.target) for h in hops
            }
            nodes = {h.node.id: h.node for h in hops}
            order: dict[str, list[str]] = {start: []}
            breadth_first({start: [start]}, {start: {start}}, order, links, Direction.OUT, depth)
            result[start] = [nodes[nid] for nid in order[start] if nid in nodes]
        return {s: result.get(s, []) for s in starts}


__all__ = ["Rows"]
