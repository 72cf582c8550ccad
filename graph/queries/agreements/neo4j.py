"""Shared agreements on Neo4j: one round trip (:data:`~graph.queries.agreements.cypher.SHARED`),
the same assembly as on every store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graph.neo4j.rows import Rows
from graph.neo4j.store import Neo4jStore, iso
from graph.queries.agreements.answer import SharedAgreement
from graph.queries.agreements.cypher import SHARED
from graph.queries.agreements.query import SharedMaterial, assemble_shared, shared_agreements
from graph.settings import today


@shared_agreements.native("neo4j")
def shared(store: Neo4jStore, unit_id: str, as_of: date | None = None) -> list[SharedAgreement]:
    """:func:`~graph.queries.agreements.query.shared_agreements` in one round trip."""
    day = as_of or today()
    records = store.read(SHARED.name, unit_id=unit_id, as_of=iso(day))
    return assemble_shared(unit_id, shared_material(records, unit_id), day)


def shared_material(records: Iterable[Mapping[str, Any]], unit_id: str) -> SharedMaterial:
    """The rows of :data:`SHARED` as :func:`~graph.queries.agreements.query.gather_shared`
    returns them."""
    rows = Rows(records)
    return SharedMaterial(
        unit=rows.nodes("node").get(unit_id),
        own=rows.hops("own").get(unit_id, []),
        parties=rows.hops("parties"),
        theirs=rows.hops("theirs"),
        second_parties=rows.hops("second"),
    )
