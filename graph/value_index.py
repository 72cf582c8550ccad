"""Nodes in the order of a property's value, for the properties the ontology declares
``ordered``: the embedded store's answer to range questions (agreements by the day they end).

Why sorted and kept on write: a page of agreements ending soon should cost the page, not a pass
over every agreement; each write moves only the nodes it touches (``sortedcontainers`` keeps
the order in logarithmic time).

>>> from graph.model import new_node
>>> index = ValueIndex()
>>> a1 = new_node("Agreement", code="A1", valid_to="2024-03-01")
>>> a2 = new_node("Agreement", code="A2", valid_to="2024-02-01")
>>> index.put(a1, None); index.put(a2, None)
>>> index.range("Agreement", "valid_to", "2024-01-01", "2024-12-31")
['agreement:A2', 'agreement:A1']
>>> index.range("Agreement", "valid_to", "2024-01-01", "2024-12-31", ("2024-02-01", "agreement:A2"))
['agreement:A1']
"""

from __future__ import annotations

from typing import Any

from sortedcontainers import SortedList

from graph.model import Node
from schema import ONTOLOGY

#: kind -> the properties kept in value order
ORDERED: dict[str, tuple[str, ...]] = {
    k.name: names for k in ONTOLOGY.kinds.values()
    if (names := tuple(p.name for p in k.all_props if p.ordered))
}  # fmt: skip


class ValueIndex:
    """``(value, id)`` pairs per ordered ``(kind, property)``, in order."""

    def __init__(self) -> None:
        self._sorted: dict[tuple[str, str], Any] = {
            (kind, prop): SortedList() for kind, props in ORDERED.items() for prop in props
        }

    def put(self, node: Node, old: Node | None) -> None:
        """``node`` written over ``old`` (None: a new node)."""
        if old is not None and old.kind in ORDERED:
            self.drop(old)
        for prop in ORDERED.get(node.kind, ()):
            value = node.props.get(prop)
            if value is not None:
                self._sorted[node.kind, prop].add((value, node.id))

    def drop(self, node: Node) -> None:
        for prop in ORDERED.get(node.kind, ()):
            value = node.props.get(prop)
            if value is not None:
                self._sorted[node.kind, prop].discard((value, node.id))

    def range(
        self,
        kind: str,
        prop: str,
        low: Any,
        high: Any,
        after: tuple[Any, str] | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Ids with ``low <= value <= high``, by ``(value, id)``, after the keyset ``after``."""
        ordered = self._sorted[kind, prop]
        start = (
            ordered.bisect_right(after)
            if after is not None and after >= (low, "")
            else (ordered.bisect_left((low, "")))
        )
        out: list[str] = []
        for value, node_id in ordered.islice(start):
            if value > high or (limit is not None and len(out) >= limit):
                break
            out.append(node_id)
        return out
