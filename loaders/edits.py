"""Small admin edits behind the API's mutations: add or end an agreement or a pairing.

Adding goes through :func:`loaders.load_records`, so a record typed into a form is checked
exactly like a spreadsheet row. Ending sets ``valid_to`` — history is kept, never deleted: an
agreement that lapsed still answers "who was partnered with whom on date D". Ending again on
the day a record already ends changes nothing, not even its provenance (:func:`_ended`); it is
still one unit of work, so a scoped admin's is judged like any other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from graph.contract import GraphStore
from graph.model import Direction, Node, Relationship, WriteSummary, holds_on
from loaders.cells import parse_date
from loaders.errors import InvalidCell, LoadError
from loaders.importlog import default_loaded_by, now_iso
from loaders.kinds import LOAD_KINDS
from loaders.resolve import Resolver


def _day(on: date | str) -> str:
    try:
        day = parse_date(on)
    except InvalidCell as e:
        raise LoadError(e.en) from None
    if day is None:
        raise LoadError("a date is required")
    return day


def _provenance(source: str, loaded_by: str | None) -> dict[str, Any]:
    return {"source_file": source, "loaded_at": now_iso(),
            "loaded_by": loaded_by or default_loaded_by()}  # fmt: skip


Stamp = Callable[[], dict[str, Any]]


def _stamp(source: str, loaded_by: str | None) -> Stamp:
    """This edit's provenance, taken once, on the first record that needs it."""
    return functools.cache(lambda: _provenance(source, loaded_by))


def _ended(props: Mapping[str, Any], day: str, stamp: Stamp) -> dict[str, Any]:
    """What ending a record on ``day`` writes: ``valid_to``, with this edit's provenance only
    when that changes the record (one already ending that day keeps the first end's stamp)."""
    return {"valid_to": day, **stamp()} if props.get("valid_to") != day else {"valid_to": day}


def end_agreement(
    store: GraphStore,
    code: str,
    on: date | str,
    *,
    source: str = "api",
    loaded_by: str | None = None,
) -> WriteSummary:
    """End agreement ``code`` on day ``on`` (its last day in force), with every party's link."""
    day = _day(on)
    nid = code if code.startswith("agreement:") else f"agreement:{code.strip()}"
    agreement = store.get_nodes([nid]).get(nid)
    if agreement is None:
        raise LoadError(f"no agreement {code!r}")
    start = agreement.props.get("valid_from") or agreement.props.get("signed_on")
    if start and day < start:
        raise LoadError(f"agreement {code} starts on {start}, it cannot end on {day}")
    stamp = _stamp(source, loaded_by)
    hops = store.neighbours([nid], "PARTY_TO", direction=Direction.IN)[nid]
    links = [h.relationship for h in hops]
    rels = [
        Relationship(r.type, r.source, r.target, _ended(r.props, day, stamp), r.id)
        for r in links
        if not r.props.get("valid_to") or r.props["valid_to"] > day
    ]
    with store.transaction() as tx:
        tx.upsert_nodes([Node(nid, agreement.kind, _ended(agreement.props, day, stamp))])
        tx.upsert_relationships(rels)
    return store.last_summary


def end_pairing(
    store: GraphStore,
    department: str,
    community: str,
    on: date | str,
    *,
    source: str = "api",
    loaded_by: str | None = None,
) -> WriteSummary:
    """End the pairing of a department with a community (names, codes or ids) on day ``on``."""
    day = _day(on)
    refs = {r.name: r for r in LOAD_KINDS["pairings"].refs}
    resolver = Resolver(store)
    ends = []
    for ref_name, value in (("department", department), ("community", community)):
        kinds = refs[ref_name].kinds
        resolver.prefetch([value], kinds)
        try:
            ends.append(resolver.resolve(value, kinds))
        except InvalidCell as e:
            raise LoadError(e.en) from None
    dept, place = ends
    hops = store.neighbours([dept.id], "PAIRED_WITH", as_of=None)[dept.id]
    current = [h.relationship for h in hops
               if h.node.id == place.id and holds_on(h.relationship.props, day)]  # fmt: skip
    if not current:
        raise LoadError(f"{dept.props.get('name', dept.id)} is not paired with "
                        f"{place.props.get('name', place.id)} on {day}")  # fmt: skip
    stamp = _stamp(source, loaded_by)
    with store.transaction() as tx:
        tx.upsert_relationships(
            Relationship(r.type, r.source, r.target, _ended(r.props, day, stamp), r.id)
            for r in current
        )
    return store.last_summary
