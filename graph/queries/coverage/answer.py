"""The coverage answer: who covers a building on a day, level by level (what the API shows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph.errors import GridGraphError
from graph.model import Node, Relationship
from schema.ontology import GridLevel

#: Grid levels from the building up, the order in which a coverage answer lists them.
LEVELS_UP: tuple[GridLevel, ...] = tuple(reversed(GridLevel))


class NotABuilding(GridGraphError):
    """Coverage was asked for a node that is not a building."""


@dataclass(frozen=True)
class PostHolding:
    """A post and whoever holds it on the day asked about (no holders: the post is vacant)."""

    post: Node
    holders: tuple[Node, ...] = ()

    @property
    def post_type(self) -> str:
        return str(self.post.get("post_type", ""))


@dataclass(frozen=True)
class CoveringUnit:
    """An organisation or facility linked to a grid: the link, the unit's posts and, for a
    co-construction partner, the agreement through which it is linked."""

    node: Node
    relationship: Relationship
    posts: tuple[PostHolding, ...] = ()
    agreement: Node | None = None


@dataclass(frozen=True)
class LevelCoverage:
    """What covers one grid level of a building."""

    level: GridLevel
    grid: Node | None
    posts: tuple[PostHolding, ...] = ()
    party_organizations: tuple[CoveringUnit, ...] = ()
    committees: tuple[CoveringUnit, ...] = ()
    managers: tuple[CoveringUnit, ...] = ()
    paired_departments: tuple[CoveringUnit, ...] = ()
    active: tuple[CoveringUnit, ...] = ()
    partners: tuple[CoveringUnit, ...] = ()
    facilities: tuple[CoveringUnit, ...] = ()

    @property
    def social_organizations(self) -> tuple[CoveringUnit, ...]:
        return tuple(u for u in self.active if u.node.kind == "SocialOrganization")

    @property
    def volunteer_teams(self) -> tuple[CoveringUnit, ...]:
        return tuple(u for u in self.active if u.node.kind == "VolunteerTeam")

    def all_posts(self) -> tuple[PostHolding, ...]:
        """The grid's own posts, then the posts of every unit linked to it."""
        units = (
            *self.party_organizations, *self.committees, *self.managers,
            *self.paired_departments, *self.active, *self.partners, *self.facilities,
        )  # fmt: skip
        return self.posts + tuple(p for u in units for p in u.posts)


@dataclass(frozen=True)
class Coverage:
    """Everything that covers a building on a day, grouped by grid level, building first."""

    building: Node
    as_of: date
    levels: tuple[LevelCoverage, ...] = field(default_factory=tuple)

    def level(self, level: GridLevel | str) -> LevelCoverage:
        wanted = GridLevel(level)
        for lc in self.levels:
            if lc.level == wanted:
                return lc
        raise KeyError(wanted)

    def holders_of(self, post_type: str) -> list[PostHolding]:
        """Every post of ``post_type`` at any level, building first."""
        return [p for lc in self.levels for p in lc.all_posts() if p.post_type == post_type]
