"""Co-construction agreements (DOMAIN.md, question 2), in one folder.

``answer`` the answers' dataclasses; ``query`` the queries over the store contract; ``cypher``
the one Neo4j statement of :func:`shared_agreements`; ``neo4j`` its Neo4j version, registered
on the query itself (:mod:`graph.queries.dispatch`).
"""

from graph.queries.agreements.answer import ExpiringAgreement, SharedAgreement
from graph.queries.agreements.query import (
    SharedMaterial,
    agreements_expiring,
    assemble_shared,
    gather_shared,
    shared_agreements,
)

# the Neo4j versions register themselves when a Neo4j store first asks (no driver otherwise)
shared_agreements.natives_in("neo4j", "graph.queries.agreements.neo4j")

__all__ = [
    "ExpiringAgreement",
    "SharedAgreement",
    "SharedMaterial",
    "agreements_expiring",
    "assemble_shared",
    "gather_shared",
    "shared_agreements",
]
