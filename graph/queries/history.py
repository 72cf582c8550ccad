"""History: every link of a node over time, each with its dates, oldest first.

Accountability reviews (双问责) ask who held a post, which department was paired with a
community or which firm managed a compound on each day of a period, not only on one day. A
``neighbours`` call without ``as_of`` returns every link ever recorded; this module puts them
in the order a review reads them (by first day, open starts first) and keeps those that
overlap the period asked about. One store call for any number of nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from graph.contract import GraphStore, Types
from graph.errors import GridGraphError
from graph.model import Direction, Hop, Node, Relationship

__all__ = ["BadPeriod", "Tenure", "check_period", "history", "tenures"]


class BadPeriod(GridGraphError, ValueError):
    """A period whose first day comes after its last."""


@dataclass(frozen=True, slots=True)
class Tenure:
    """One link over its whole life: the relationship, the node at its other end, its dates.

    ``valid_from`` / ``valid_to`` are ISO days or None (open: since always, or still running).
    """

    relationship: Relationship
    node: Node

    @property
    def valid_from(self) -> str | None:
        value = self.relationship.props.get("valid_from")
        return None if value is None else str(value)

    @property
    def valid_to(self) -> str | None:
        value = self.relationship.props.get("valid_to")
        return None if value is None else str(value)

    def overlaps(self, since: date | None, until: date | None) -> bool:
        """Whether the link holds on some day of ``[since, until]`` (either end open)."""
        if since is not None and self.valid_to is not None and self.valid_to < since.isoformat():
            return False
        return not (
            until is not None
            and self.valid_from is not None
            and self.valid_from > until.isoformat()
        )

    def in_force(self, day: date) -> bool:
        """Whether the link holds on ``day``."""
        return self.overlaps(day, day)


def _order(t: Tenure) -> tuple[str, str, str, str, str]:
    # Open starts sort first ("" < any day), open ends last; ties by type, neighbour, link.
    return (
        t.valid_from or "",
        t.valid_to or "\uffff",
        t.relationship.type,
        t.node.id,
        t.relationship.id,
    )


def tenures(
    hops: Iterable[Hop], since: date | None = None, until: date | None = None
) -> list[Tenure]:
    """The hops as tenures overlapping ``[since, until]``, oldest first; pure, no store.

    Examples
    --------
    >>> from graph.model import new_node
    >>> post = new_node("Post", post_type="building_leader", code="B1")
    >>> a = new_node("Person", code="P1", name="甲")
    >>> b = new_node("Person", code="P2", name="乙")
    >>> hops = [
    ...     Hop(Relationship("HOLDS", b.id, post.id, {"valid_from": "2024-04-01"}), b),
    ...     Hop(Relationship("HOLDS", a.id, post.id, {"valid_from": "2020-01-01",
    ...                                                "valid_to": "2024-03-31"}), a),
    ... ]
    >>> [(t.node.name, t.valid_from, t.valid_to) for t in tenures(hops)]
    [('甲', '2020-01-01', '2024-03-31'), ('乙', '2024-04-01', None)]
    >>> [t.node.name for t in tenures(hops, since=date(2024, 6, 1))]
    ['乙']
    """
    found = (Tenure(h.relationship, h.node) for h in hops)
    return sorted((t for t in found if t.overlaps(since, until)), key=_order)


def check_period(since: date | None, until: date | None) -> None:
    """Raise :class:`BadPeriod`, in Chinese and English, when ``since`` is after ``until``."""
    if since is not None and until is not None and since > until:
        raise BadPeriod(
            f"起始日期 since {since.isoformat()} 晚于截止日期 until {until.isoformat()} / "
            f"since ({since.isoformat()}) is after until ({until.isoformat()})"
        )


def history(
    store: GraphStore,
    node_ids: Iterable[str],
    types: Types = None,
    direction: Direction | str = Direction.BOTH,
    kinds: Types = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, list[Tenure]]:
    """Every link of each node in ``node_ids`` that overlaps ``[since, until]``, oldest first.

    Parameters
    ----------
    store : GraphStore
        Any store: one ``neighbours`` call without ``as_of``.
    node_ids : iterable of str
        The nodes whose links are wanted (unknown ids answer an empty list).
    types, direction, kinds
        As for :meth:`GraphStore.neighbours`: ``HOLDS`` in to a post (its holders),
        ``PAIRED_WITH`` in to a community (its departments), ``MANAGES`` in to a compound.
    since, until : date, optional
        Keep only links in force on some day of the period (either end open).

    Raises
    ------
    BadPeriod
        When ``since`` is after ``until``.
    """
    check_period(since, until)
    ids = list(node_ids)
    if not ids:
        return {}
    found = store.neighbours(ids, types, Direction(direction), None, kinds)
    return {nid: tenures(found.get(nid, ()), since, until) for nid in ids}
