"""Dates of the reference graph: all fixed, anchored on the seed report's own period.

Why fixed: the graph must be the same graph whenever it is built (a byte-identical export on
any day), and the seed's figures must hold on the report's day and on today. So every start
falls on or before :data:`REPORT_DAY`, every deliberate change after it leaves the seed's
figures as they were (what one change removes another puts back), and agreements and property
contracts are renewed term after term until after :data:`HISTORY_END`. On every day from
``REPORT_DAY`` to ``HISTORY_END`` the time-bound figures are the seed's; in between, some
agreements lapse every month (and their renewal starts the next day), so "lapses soon" always
has answers.

Every change below happens in every district (the same counts, different grids).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

# The seed report is undated; it reports 2022's results and counts "since 2022" (2022年至今),
# so the reference graph takes the middle of 2023 as the day its figures describe.
REPORT_DAY = "2023-06-30"
HISTORY_END = "2035-12-31"  # agreements and contracts are renewed until at least this day
EARLIEST_AGREEMENT = "2019-01-01"
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
FIRM_HIRED_DAY = "2024-01-01"  # as many owner-managed compounds hire a firm
CHAIR_ELECTION_DAY = "2026-06-01"  # residents' committees elect for 2026-2031 (换届)


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
    Change("new_leaders", NEW_LEADERS_DAY, 12, "buildings that got their first building leader "
           "(as many as had lost theirs: from this day the count is the seed's again)"),
    Change("secretary_change", SECRETARY_CHANGE_DAY, 5, "compound branches whose secretary (not a "
           "five elder) was replaced; the compound grid leader post follows"),
    Change("firm_change", FIRM_CHANGE_DAY, 8, "compounds that changed property firm"),
    Change("owners_takeover", OWNERS_TAKEOVER_DAY, 3, "compounds whose firm contract ended the day "
           "before and whose owners manage them since (among the 70 owner-managed)"),
    Change("chair_election", CHAIR_ELECTION_DAY, 18, "residents' committees whose chair "
           "(committee_director) changed at the 2026 election; the others were re-elected"),
    Change("firm_hired", FIRM_HIRED_DAY, 3, "owner-managed compounds that hired a property firm "
           "that day (so 70 compounds are owner-managed before and after)"),
)
# fmt: on
CHANGE_COUNTS: dict[str, int] = {c.key: c.count for c in CHANGES}

# Building leaders between the day the 12 left and the day the 12 newcomers started.
BUILDING_LEADERS_ON_2025_05_01 = 1589 - 12


def day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def random_day(rng: random.Random, start: str, end: str) -> str:
    """A day in ``[start, end]``, both ISO strings."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return (a + timedelta(days=rng.randint(0, (b - a).days))).isoformat()


def add_days(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def terms(
    first_day: str, next_end: Callable[[str], str], until: str = HISTORY_END
) -> Iterator[tuple[str, str]]:
    """Back-to-back periods ``(valid_from, valid_to)`` from ``first_day``, each renewed the day
    after the last ends, until one reaches ``until``; ``next_end(start)`` picks each end."""
    start = first_day
    while True:
        end = next_end(start)
        if end < start:
            raise ValueError(f"a term from {start} cannot end on {end}")
        yield start, end
        if end >= until:
            return
        start = add_days(end, 1)
