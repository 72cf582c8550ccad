"""The gap report answer: every missing link in the district on a day, and its CSV form."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import IO, Any

from graph.csvexport import ExcelCsv
from graph.model import Node
from graph.queries.grid_links.query import Gap, group_order
from schema.ontology import GridLevel

#: Columns of the CSV export, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "kind_of_gap",
    "level",
    "node_id",
    "name",
    "parent_community",
    "reason",
)


@dataclass(frozen=True, slots=True)
class GapRow:
    """One missing link: the gap, the grid (or event type) lacking it, and its community."""

    gap: Gap
    node: Node
    community: Node | None = None


@dataclass(frozen=True)
class GapReport:
    """Every gap in the district on ``as_of``; ``checked`` counts the nodes examined per level."""

    as_of: date
    rows: Sequence[GapRow]
    """In report order (a tuple, or a kept report's blocks read in place)."""
    checked: dict[str, int]
    tally: dict[tuple[str, str], int] | None = field(default=None, compare=False, repr=False)
    """:meth:`counts` when already known (kept reports keep them with the rows)."""

    def counts(self) -> dict[tuple[str, str], int]:
        """Gaps per ``(level, kind of gap)``, building level first."""
        if self.tally is not None:
            return dict(self.tally)
        counted = Counter((r.gap.level, r.gap.what.value) for r in self.rows)
        return dict(sorted(counted.items(), key=lambda kv: group_order(*kv[0])))

    def by_kind(self) -> dict[tuple[str, str], list[GapRow]]:
        """Rows grouped by ``(level, kind of gap)``, in the order of :meth:`counts`."""
        groups: dict[tuple[str, str], list[GapRow]] = {k: [] for k in self.counts()}
        for row in self.rows:
            groups[(row.gap.level, row.gap.what.value)].append(row)
        return groups

    def nodes_with_gaps(self, level: str | GridLevel | None = None) -> set[str]:
        return {r.node.id for r in self.rows if level is None or r.gap.level == level}

    def csv_rows(self) -> Iterator[dict[str, Any]]:
        for group in self.by_kind().values():
            for r in group:
                yield {
                    "kind_of_gap": r.gap.what.value,
                    "level": r.gap.level,
                    "node_id": r.node.id,
                    "name": r.node.name or "",
                    "parent_community": _community_label(r.community),
                    "reason": r.gap.reason,
                }

    def on(self, day: date) -> GapReport:
        """The same report for another day with the same links in force (the same interval of
        :class:`ChangeDays`): only the day in the reasons differs, so no store is asked.
        Also what turns a kept report, whose rows may name the days they were computed on,
        into the report of its day."""
        rows = tuple(GapRow(relabel_gap(r.gap, day), r.node, r.community) for r in self.rows)
        return GapReport(day, rows, dict(self.checked), self.tally)

    def write_csv(self, out: IO[str], bom: bool = False) -> int:
        """Write the report as CSV for people (header row first; cells that Excel would run
        as formulas neutralised; the UTF-8 BOM first if ``bom``); the number of data rows."""
        return ExcelCsv(out, bom=bom).dicts(CSV_COLUMNS, self.csv_rows())


def _community_label(node: Node | None) -> str:
    if node is None:
        return ""
    return f"{node.name} ({node.id})" if node.name else node.id


def relabel_gap(gap: Gap, day: date) -> Gap:
    """A gap's reason as it reads on ``day``: every reason that names its day ends with
    " on <day>" (:mod:`graph.queries.grid_links`, :func:`event_facts`), the others are kept."""
    reason = gap.reason
    tail = reason[-14:]
    if tail[:4] != " on " or not _ISO_DAY.fullmatch(tail[4:]):
        return gap
    iso = day.isoformat()
    if tail[4:] == iso:
        return gap
    return replace(gap, reason=f"{reason[:-10]}{iso}")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
