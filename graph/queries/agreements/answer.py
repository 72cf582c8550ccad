"""The agreements answers: who shares co-construction agreements with a unit, and which lapse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph.model import Node


@dataclass(frozen=True)
class SharedAgreement:
    """Another party linked to the unit asked about, and how.

    ``common`` are agreements both signed; ``via`` are the communities (or partners) both
    signed with; ``agreements`` are every agreement on those links, common ones first.
    """

    party: Node
    common: tuple[Node, ...]
    via: tuple[Node, ...]
    agreements: tuple[Node, ...]


@dataclass(frozen=True)
class ExpiringAgreement:
    """An agreement that ends within the window asked about, with its parties."""

    agreement: Node
    valid_to: date
    days_left: int
    parties: tuple[Node, ...]
