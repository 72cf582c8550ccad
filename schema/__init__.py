"""The governance ontology: node kinds, relationship types, their properties and rules.

Everything else (store constraints, GraphQL types, loader column maps, docs) is derived
from the declarations in :mod:`schema.kinds` and :mod:`schema.relations`.
"""

from schema.ontology import (
    COMMON_NODE_PROPS,
    COMMON_REL_PROPS,
    GridLevel,
    NodeKind,
    Ontology,
    Prop,
    PropType,
    RelType,
)
from schema.registry import ONTOLOGY

__all__ = [
    "COMMON_NODE_PROPS",
    "COMMON_REL_PROPS",
    "ONTOLOGY",
    "GridLevel",
    "NodeKind",
    "Ontology",
    "Prop",
    "PropType",
    "RelType",
]
