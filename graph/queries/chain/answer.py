"""The responsibility chain answer: who answers for an event at a building, level by level."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Any

from graph.model import Node
from graph.queries.grid_links.query import ConvenableUnit, Gap, PartyOrgAtLevel, PersonInCharge
from schema.ontology import GridLevel
from schema.responsibility import CHAIN_ORDER


@dataclass(frozen=True, slots=True)
class Meeting:
    """The meeting a grid level convenes (五级议事协商), from the ontology's grid levels."""

    name: str
    zh: str
    purpose: str


@dataclass(frozen=True, slots=True)
class ChainLevel:
    """One level of the chain. ``grid`` is None only when the level above is missing (a gap)."""

    level: GridLevel
    grid: Node | None
    in_charge: tuple[PersonInCharge, ...]
    party_organizations: tuple[PartyOrgAtLevel, ...]
    meeting: Meeting
    convenes: tuple[ConvenableUnit, ...]
    leading_groups: tuple[Node, ...]
    default_response: bool
    gaps: tuple[Gap, ...]


@dataclass(frozen=True, slots=True)
class Handler:
    """A department that handles the event type: ``role`` is ``key`` (the 5) or ``n`` (the N)."""

    department: Node
    role: str
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass(frozen=True, slots=True)
class Accountability:
    """Double accountability (双问责): the territory (属地) and the pairing side (分包)."""

    territory: tuple[Node, ...]
    pairing: tuple[Node, ...]


class Stage(StrEnum):
    """Stages of routing an event: the territory answers first, then the owner (属地优先)."""

    TERRITORY = "territory"  # 属地: the grids from the building up to the response level
    OWNER = "owner"  # 权属: whoever manages the compound (property firm or owners' committee)
    HANDLER = "handler"  # 1+5+N: the functional departments that handle the event type
    ESCALATION = "escalation"  # the levels above the response level, each by its meeting


@dataclass(frozen=True, slots=True)
class RoutingStep:
    """One step of :meth:`ResponsibilityChain.routing`, in the order an event is passed on."""

    order: int
    stage: Stage
    level: str | None
    unit: Node | None
    people: tuple[PersonInCharge, ...] = ()
    meeting: Meeting | None = None


@dataclass(frozen=True, slots=True)
class ResponsibilityChain:
    """Who answers for an event of one type at one building, on one date."""

    building: Node
    event_type: Node
    category: Node | None
    as_of: date
    levels: tuple[ChainLevel, ...]
    handlers: tuple[Handler, ...]
    response_level: GridLevel | None
    accountability: Accountability
    gaps: tuple[Gap, ...]

    @property
    def complete(self) -> bool:
        """True when no link is missing on the date."""
        return not self.gaps

    def level(self, level: GridLevel | str) -> ChainLevel:
        for lvl in self.levels:
            if lvl.level == level:
                return lvl
        raise KeyError(level)

    def routing(self) -> tuple[RoutingStep, ...]:
        """The order an event is passed on: territory first, then the owner, then handlers.

        The territory is every grid from the building up to the event type's default response
        level (the building alone when the type has none); the owner is whoever manages the
        compound; the handlers are the 1+5+N departments (the five key units first); the
        levels above the response level follow as escalation, each convening its meeting.
        """
        top = self.response_level or GridLevel.BUILDING
        cut = CHAIN_ORDER.index(top) + 1
        steps: list[
            tuple[Stage, str | None, Node | None, tuple[PersonInCharge, ...], Meeting | None]
        ] = []
        for lvl in self.levels[:cut]:
            steps.append((Stage.TERRITORY, lvl.level.value, lvl.grid, lvl.in_charge, lvl.meeting))
        for unit in self.level(GridLevel.COMPOUND).convenes:
            steps.append((Stage.OWNER, GridLevel.COMPOUND.value, unit.unit, (), None))
        for h in self.handlers:
            steps.append((Stage.HANDLER, None, h.department, (), None))
        for lvl in self.levels[cut:]:
            steps.append((Stage.ESCALATION, lvl.level.value, lvl.grid, lvl.in_charge, lvl.meeting))
        return tuple(RoutingStep(i, *step) for i, step in enumerate(steps, start=1))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible form (nodes as ``{id, kind, name}``) for the CLI and exports."""
        data: dict[str, Any] = to_jsonable(self)
        data["routing"] = to_jsonable(self.routing())
        return data


# -- JSON -----------------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """Dataclasses to dicts, nodes to ``{id, kind, name}``, enums and dates to strings."""
    if isinstance(value, Node):
        out: dict[str, Any] = {"id": value.id, "kind": value.kind, "name": value.name}
        if value.get("synthetic"):
            out["synthetic"] = True
        return out
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
