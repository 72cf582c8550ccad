"""Plain records the store contract passes around: nodes, relationships, hops, summaries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from schema import ONTOLOGY


class Direction(StrEnum):
    OUT = "out"
    IN = "in"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class Node:
    """A node: its id (derived from the natural key), its kind and its properties."""

    id: str
    kind: str
    props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        return self.props.get("name")

    def get(self, key: str, default: Any = None) -> Any:
        return self.props.get(key, default)


def relationship_id(type_: str, source: str, target: str, valid_from: str | None = None) -> str:
    """Identity of a relationship: one per type and endpoints, and per period if time-bound."""
    rid = f"{type_}:{source}>{target}"
    return f"{rid}@{valid_from}" if valid_from else rid


@dataclass(frozen=True, slots=True)
class Relationship:
    """A directed, typed relationship; ``id`` is derived unless given."""

    type: str
    source: str
    target: str
    props: Mapping[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            rid = relationship_id(self.type, self.source, self.target, self.props.get("valid_from"))
            object.__setattr__(self, "id", rid)

    def holds_on(self, day: date | str | None) -> bool:
        """Whether the relationship is in force on ``day`` (None: always)."""
        return holds_on(self.props, day)


def holds_on(props: Mapping[str, Any], day: date | str | None) -> bool:
    """Time-bound test shared by every store: ``valid_from <= day <= valid_to``, open ends."""
    if day is None:
        return True
    d = day.isoformat() if isinstance(day, date) else day
    start = props.get("valid_from")
    end = props.get("valid_to")
    return (start is None or start <= d) and (end is None or d <= end)


@dataclass(frozen=True, slots=True)
class Hop:
    """One step from a node: the relationship taken and the node at its other end."""

    relationship: Relationship
    node: Node


def hop_order(hop: Hop) -> tuple[str, str, str]:
    """The order every store gives hops in: relationship type, neighbour id, relationship id."""
    return (hop.relationship.type, hop.node.id, hop.relationship.id)


@dataclass(frozen=True, slots=True)
class Path:
    """An ordered path: ``nodes[i]`` and ``nodes[i+1]`` are joined by ``relationships[i]``."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


@dataclass
class WriteSummary:
    """What a unit of work changed; ``unchanged`` counts writes that found the data as given."""

    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    relationships_deleted: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.nodes_created, self.nodes_updated, self.nodes_deleted,
                self.relationships_created, self.relationships_updated,
                self.relationships_deleted,
            )
        )  # fmt: skip

    def add(self, other: WriteSummary) -> WriteSummary:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))
        return self


@dataclass(frozen=True)
class Counts:
    nodes: dict[str, int]
    relationships: dict[str, int]


def new_node(kind: str, **props: Any) -> Node:
    """Build a node of ``kind`` whose id is derived from its natural key.

    >>> new_node("Community", division_code="410611001001", name="黎阳社区").id
    'community:410611001001'
    """
    node_kind = ONTOLOGY.kind(kind)
    clean = {k: v for k, v in props.items() if v is not None}
    return Node(node_kind.node_id(clean), kind, clean)
