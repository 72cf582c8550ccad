"""The district analytics' answers: pairing load, building-leader coverage, agreements by
topic and year, and the co-construction network with its partners and clusters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from graph.model import Node
from graph.queries.coverage.query import TERRITORY_KINDS


@dataclass(frozen=True, slots=True)
class DepartmentLoad:
    """A department and the communities it is paired with on the day (its 包联 load)."""

    department: Node
    communities: tuple[Node, ...]

    @property
    def population(self) -> int:
        """Residents of its paired communities, where the graph records them."""
        return sum(int(c.get("population") or 0) for c in self.communities)


@dataclass(frozen=True, slots=True)
class CommunityLeaders:
    """How many of a community's buildings have a building leader in office on the day."""

    community: Node
    buildings: int
    led: int

    @property
    def vacant(self) -> int:
        return self.buildings - self.led

    @property
    def ratio(self) -> float:
        """Share of buildings with a leader; 0 for a community with no building."""
        return self.led / self.buildings if self.buildings else 0.0


@dataclass(frozen=True, slots=True)
class TopicYear:
    """How many agreements on one topic started in one year (None: not recorded)."""

    topic: str | None
    year: int | None
    agreements: int


@dataclass(frozen=True, slots=True)
class PartnerReach:
    """A partner: the communities it signed with, its agreements, its place in the network."""

    partner: Node
    communities: tuple[Node, ...]
    agreements: int
    degree_centrality: float
    betweenness: float


@dataclass(frozen=True, slots=True)
class NetworkComponent:
    """A connected cluster of the co-construction network: parties linked by agreements."""

    parties: tuple[Node, ...]
    agreements: int

    @property
    def communities(self) -> int:
        return sum(p.kind == "Community" for p in self.parties)

    @property
    def partners(self) -> int:
        return sum(p.kind not in TERRITORY_KINDS for p in self.parties)


@dataclass(frozen=True)
class CoConstruction:
    """The network of agreements in force on a day, and what a district reads from it."""

    as_of: date
    graph: nx.Graph = field(repr=False, compare=False)
    partners: tuple[PartnerReach, ...]
    """Every partner, by reach: most communities first, then agreements, betweenness, id."""
    components: tuple[NetworkComponent, ...]
    """Largest first (then by first party id); a community with no agreement is its own."""
    without_partners: tuple[Node, ...]
    """Communities party to no agreement in force with a partner, by id."""
