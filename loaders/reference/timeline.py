"""Dates of the reference graph: fixed change days, and dates relative to the build day.

Why fixed days: as-of queries ("who was the community grid leader on 2023-06-01?") and their
tests need changes on known dates. Why a build day: co-construction agreements and property
contracts must stay "lapsing soon" or "running for years" whenever the graph is built, so their
ends are offsets from ``today`` (pass ``today=`` to the generator for a byte-identical graph).

Every change below happens in every district (the same counts, different grids).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

MECHANISM_START = "2021-06-01"  # departments paired with communities (机关包联社区) from this day
CATALOGUE_ADOPTED = "2022-01-01"  # the 9 categories / 63 types event list in force
REPAIRING_DAY = "2024-01-01"  # some communities get a new paired department
HEAD_CHANGE_DAY = "2024-09-01"  # a paired department gets a new head
LEADER_ELECTION_DAY = "2024-04-01"  # some building leaders replaced
LEADERS_LEFT_DAY = "2025-03-31"  # last day of building leaders who left, posts now vacant
NEW_LEADERS_DAY = "2025-07-01"  # first building leaders in buildings that had none
SECRETARY_CHANGE_DAY = "2024-06-01"  # some compound branch secretaries replaced
FIRM_CHANGE_DAY = "2024-07-01"  # some compounds change property firm
OWNERS_TAKEOVER_DAY = "2024-01-01"  # some compounds turn from a firm to owner management


@dataclass(frozen=True)
class Change:
    """One deliberate change over time, as documented in docs/reference-graph.md."""

    key: str
    day: str
    count: int
    what: str


# fmt: off
CHANGES: tuple[Change, ...] = (
    Change("repairing", REPAIRING_DAY, 3, "urban communities re-paired: the old department's "
           "PAIRED_WITH ends the day before, the new one's starts; the community grid leader "
           "and first secretary posts pass to the new department's head"),
    Change("head_change", HEAD_CHANGE_DAY, 1, "a paired department gets a new head: the "
           "department_head, community grid leader and first secretary posts change holder"),
    Change("leader_election", LEADER_ELECTION_DAY, 40, "buildings whose building leader was "
           "replaced (old tenure ends the day before)"),
    Change("leaders_left", LEADERS_LEFT_DAY, 12, "buildings whose leader left on this last day, "
           "the post vacant since (counted among the buildings without a leader)"),
    Change("new_leaders", NEW_LEADERS_DAY, 10, "buildings that got their first building leader"),
    Change("secretary_change", SECRETARY_CHANGE_DAY, 5, "compound branches whose secretary (not a "
           "five elder) was replaced; the compound grid leader post follows"),
    Change("firm_change", FIRM_CHANGE_DAY, 8, "compounds that changed property firm"),
    Change("owners_takeover", OWNERS_TAKEOVER_DAY, 3, "compounds whose firm contract ended the day "
           "before and whose owners manage them since (among the 70 owner-managed)"),
)
# fmt: on
CHANGE_COUNTS: dict[str, int] = {c.key: c.count for c in CHANGES}

# Building leaders as of a day before the leader changes: current 1,589, minus the 10 who had not
# started, plus the 12 who had not yet left.
BUILDING_LEADERS_ON_2025_01_01 = 1589 - 10 + 12


def day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def random_day(rng: random.Random, start: str, end: str) -> str:
    """A day in ``[start, end]``, both ISO strings."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return (a + timedelta(days=rng.randint(0, (b - a).days))).isoformat()


def offset(today: date, days: int) -> str:
    return (today + timedelta(days=days)).isoformat()


def year_end(today: date, years: int) -> str:
    return date(today.year + years, 12, 31).isoformat()
