"""What a person types for a node (an id, a code or an exact name) turned into its id.

Why here: the CLI (``gridgraph chain 桃园小区2号楼 E0101``) and the API
(``responsibilityChain(building: "桃园小区2号楼", eventType: "E0101")``) accept the same things,
so both call :func:`resolve_node`; an unknown or ambiguous text is an error naming it.
"""

from __future__ import annotations

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from schema import ONTOLOGY


def typed_id(store: GraphStore, text: str, kind: str) -> str:
    """``text`` itself when it looks like an id (``kind:key``), so the query that uses it can
    say whether it exists and is of the right kind; otherwise :func:`resolve_node`."""
    return text if ":" in text else resolve_node(store, text, kind)


def resolve_node(store: GraphStore, text: str, kind: str) -> str:
    """The id of the ``kind`` node that ``text`` names: its id, its code, or its exact name.

    >>> from graph.memory import MemoryStore
    >>> from graph.model import new_node
    >>> s = MemoryStore()
    >>> _ = s.upsert_nodes([new_node("EventType", code="E0101", name="占道经营")])
    >>> resolve_node(s, "E0101", "EventType"), resolve_node(s, "占道经营", "EventType")
    ('event_type:E0101', 'event_type:E0101')
    """
    node_kind = ONTOLOGY.kind(kind)
    candidates = [text]
    if ":" not in text and "code" in node_kind.key:
        candidates.append(node_kind.node_id({"code": text}))
    found = store.get_nodes(candidates)
    for c in candidates:
        if c in found:
            if found[c].kind == kind:
                return c
            other = ONTOLOGY.kind(found[c].kind)
            raise NodeNotFound(
                f"{text!r} is a {other.name}, not a {kind} "
                f"({text!r} 是{other.zh}，不是{node_kind.zh})"
            )
    exact = [n for n in store.find(text, kinds=kind, limit=20) if n.name == text]
    if len(exact) == 1:
        return exact[0].id
    if len(exact) > 1:
        ids = ", ".join(n.id for n in exact[:5])
        raise NodeNotFound(
            f"{text!r} names {len(exact)} {kind} nodes ({ids}): give an id "
            f"({text!r} 对应多个{node_kind.zh}，请给出 id)"
        )
    raise NodeNotFound(
        f"no {kind} {text!r}: give an id, a code or an exact name "
        f"(找不到{node_kind.zh} {text!r}：请给出 id、编码或完整名称)"
    )
