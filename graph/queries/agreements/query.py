"""Co-construction agreements (联建共建): who shares them with whom, and which lapse soon.

Units share agreements with a unit X in two ways (DOMAIN.md, question 2): they are party to
the same agreement as X, or they signed with the same community (for an outside unit X), or
with the same partner (for a community X). The answer costs four store calls at most: X's
agreements, their parties, the agreements of the shared communities or partners, their parties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from graph.contract import GraphStore
from graph.errors import NodeNotFound
from graph.model import Direction, Hop, Node, holds_on
from graph.queries.agreements.answer import ExpiringAgreement, SharedAgreement
from graph.queries.coverage.query import TERRITORY_KINDS
from graph.queries.dispatch import dispatchable
from graph.settings import today


def _in_force(hop: Hop, day: date) -> bool:
    """The party link and the agreement itself both hold on ``day``."""
    return hop.relationship.holds_on(day) and holds_on(hop.node.props, day)


@dispatchable
def shared_agreements(
    store: GraphStore, unit_id: str, as_of: date | None = None
) -> list[SharedAgreement]:
    """The parties that share co-construction agreements with ``unit_id`` on ``as_of``.

    Parameters
    ----------
    store : GraphStore
    unit_id : str
        Any party to agreements: an outside unit, a community, a subdistrict, an organisation.
    as_of : date, optional
        Only agreements in force on that day (both the agreement's dates and the party link).
        Default: today.

    Returns
    -------
    list of SharedAgreement
        Ordered by party id; the unit itself is left out.

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> a = new_node("Agreement", code="A1", name="四合同心")
    >>> c = new_node("Community", division_code="410611001001", name="黎阳社区")
    >>> u = new_node("Unit", uscc="12410600MB0000000X", name="河南师范大学")
    >>> _ = s.upsert_nodes([a, c, u])
    >>> _ = s.upsert_relationships([Relationship("PARTY_TO", c.id, a.id),
    ...                             Relationship("PARTY_TO", u.id, a.id)])
    >>> [x.party.name for x in shared_agreements(s, u.id, date(2024, 1, 1))]
    ['黎阳社区']
    """
    day = as_of or today()
    return assemble_shared(unit_id, gather_shared(store, unit_id, day), day)


@dataclass(frozen=True)
class SharedMaterial:
    """The raw records :func:`assemble_shared` reads, as the store hands them back.

    Gathered by :func:`gather_shared` with five contract calls, or by a store in one round
    trip (:mod:`graph.queries.agreements.neo4j`); the mappings may hold more keys than the
    assembly reads.
    """

    unit: Node | None
    own: list[Hop]
    """The unit's ``PARTY_TO`` hops out (links in force)."""
    parties: Mapping[str, list[Hop]]
    """Agreement id → ``PARTY_TO`` hops in, for the unit's agreements in force."""
    theirs: Mapping[str, list[Hop]]
    """Hub id → ``PARTY_TO`` hops out."""
    second_parties: Mapping[str, list[Hop]]
    """Agreement id → ``PARTY_TO`` hops in, for the hubs' other agreements in force."""


def gather_shared(store: GraphStore, unit_id: str, day: date) -> SharedMaterial:
    """The contract calls behind :func:`shared_agreements`: exactly what it reads."""
    unit = store.get_nodes([unit_id]).get(unit_id)
    if unit is None:
        raise NodeNotFound(f"no node with id {unit_id}")
    own = store.neighbours([unit_id], "PARTY_TO", Direction.OUT, day)[unit_id]
    own_ids = [h.node.id for h in own if _in_force(h, day)]
    parties = store.neighbours(own_ids, "PARTY_TO", Direction.IN, day)
    hub_ids = sorted(_hubs(unit, own, parties, day)[1])
    theirs = store.neighbours(hub_ids, "PARTY_TO", Direction.OUT, day)
    second_ids = _second_ids(theirs, hub_ids, own_ids, day)
    second_parties = store.neighbours(second_ids, "PARTY_TO", Direction.IN, day)
    return SharedMaterial(unit, own, parties, theirs, second_parties)


def _hubs(
    unit: Node, own_hops: list[Hop], parties: Mapping[str, list[Hop]], day: date
) -> tuple[dict[str, dict[str, Node]], dict[str, Node], dict[str, list[Node]]]:
    """Parties to the unit's own agreements (``common``), and the hubs among them: the other
    side, a community for a partner, a partner for a community."""
    is_territory = unit.kind in TERRITORY_KINDS
    own = [h.node for h in own_hops if _in_force(h, day)]
    common: dict[str, dict[str, Node]] = {}
    hubs: dict[str, Node] = {}
    hub_agreements: dict[str, list[Node]] = {}
    for agreement in own:
        for hop in parties.get(agreement.id, ()):
            other = hop.node
            if other.id == unit.id or not hop.relationship.holds_on(day):
                continue
            common.setdefault(other.id, {})[agreement.id] = agreement
            if (other.kind in TERRITORY_KINDS) != is_territory:
                hubs[other.id] = other
                hub_agreements.setdefault(other.id, []).append(agreement)
    return common, hubs, hub_agreements


def _second_ids(
    theirs: Mapping[str, list[Hop]], hub_ids: list[str], own_ids: list[str], day: date
) -> list[str]:
    """The hubs' agreements in force that the unit is not party to itself."""
    return sorted(
        {h.node.id for hid in hub_ids for h in theirs.get(hid, ()) if _in_force(h, day)}
        - set(own_ids)
    )


def assemble_shared(unit_id: str, material: SharedMaterial, day: date) -> list[SharedAgreement]:
    """The shared agreements from gathered records; pure, shared by every store."""
    unit = material.unit
    if unit is None:
        raise NodeNotFound(f"no node with id {unit_id}")
    is_territory = unit.kind in TERRITORY_KINDS
    own = [h.node for h in material.own if _in_force(h, day)]
    own_ids = [a.id for a in own]
    parties = material.parties
    common, hubs, hub_agreements = _hubs(unit, material.own, parties, day)

    hub_ids = sorted(hubs)
    theirs = material.theirs
    second_ids = set(_second_ids(theirs, hub_ids, own_ids, day))
    second_parties = material.second_parties
    nodes: dict[str, Node] = {}
    via: dict[str, dict[str, Node]] = {}
    linking: dict[str, dict[str, Node]] = {}
    for hid in hub_ids:
        for hop in theirs.get(hid, ()):
            agreement = hop.node
            if agreement.id not in second_ids or not _in_force(hop, day):
                continue
            for party_hop in second_parties.get(agreement.id, ()):
                other = party_hop.node
                if other.id in (unit_id, hid) or not party_hop.relationship.holds_on(day):
                    continue
                if (other.kind in TERRITORY_KINDS) != is_territory:
                    continue  # the same side as the hub: not linked through it
                nodes[other.id] = other
                via.setdefault(other.id, {})[hid] = hubs[hid]
                links = linking.setdefault(other.id, {})
                links.update({a.id: a for a in hub_agreements[hid]})
                links[agreement.id] = agreement
    for agreement in own:
        for hop in parties.get(agreement.id, ()):
            nodes.setdefault(hop.node.id, hop.node)

    result_list = []
    for pid in sorted(set(common) | set(via)):
        direct = common.get(pid, {})
        through = {k: v for k, v in linking.get(pid, {}).items() if k not in direct}
        result_list.append(
            SharedAgreement(
                party=nodes[pid],
                common=tuple(direct[k] for k in sorted(direct)),
                via=tuple(v for _, v in sorted(via.get(pid, {}).items())),
                agreements=tuple(direct[k] for k in sorted(direct))
                + tuple(through[k] for k in sorted(through)),
            )
        )
    return result_list


def agreements_expiring(
    store: GraphStore,
    within_days: int,
    as_of: date | None = None,
    first: int | None = None,
    after: str | None = None,
) -> list[ExpiringAgreement]:
    """Agreements in force on ``as_of`` (default today) whose last day falls within
    ``within_days`` days of it, with their parties on that day.

    Lapsed agreements and agreements not yet in force (a renewal signed ahead) are left out,
    like every other as-of question; ordered by end date, then id. ``first`` and ``after`` (the
    id of the last agreement of the previous page) page through them. The agreements come from
    the stores' index of agreements by end date (``Agreement.valid_to`` is ordered), a page at
    a time: a page costs the page, not every agreement; then one call for their parties.

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import new_node
    >>> s = MemoryStore()
    >>> _ = s.upsert_nodes([new_node("Agreement", code="A1", valid_to="2024-03-01"),
    ...                     new_node("Agreement", code="A2", valid_to="2024-02-10")])
    >>> [(e.agreement.id, e.days_left) for e in agreements_expiring(s, 30, date(2024, 2, 1))]
    [('agreement:A2', 9), ('agreement:A1', 29)]
    >>> [e.agreement.id for e in agreements_expiring(s, 30, date(2024, 2, 1), after="agreement:A2")]
    ['agreement:A1']
    """
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    day = as_of or today()
    low, high = day.isoformat(), (day + timedelta(days=within_days)).isoformat()
    keyset = None
    if after is not None:
        last = store.get_nodes([after]).get(after)
        if last is None or last.kind != "Agreement" or not last.get("valid_to"):
            raise NodeNotFound(f"after: no agreement {after!r} with an end date (无此协议)")
        keyset = (last.get("valid_to"), last.id)
    ending: list[Node] = []
    while first is None or len(ending) < first:  # agreements not yet in force are skipped
        want = None if first is None else max(first - len(ending), 50)
        page = store.nodes_in_range("Agreement", "valid_to", low, high, keyset, want)
        ending += [a for a in page if holds_on(a.props, day)]
        if want is None or len(page) < want:
            break
        keyset = (page[-1].get("valid_to"), page[-1].id)
    if first is not None:
        ending = ending[:first]
    parties = store.neighbours([a.id for a in ending], "PARTY_TO", Direction.IN, day)
    out = []
    for a in ending:
        end = date.fromisoformat(a.get("valid_to"))
        out.append(
            ExpiringAgreement(a, end, (end - day).days, tuple(h.node for h in parties[a.id]))
        )
    return out
