"""The building blocks of the ontology: properties, node kinds, relationship types.

Declared as frozen dataclasses so that the whole ontology is plain data that other layers
can walk to derive constraints, GraphQL types, column maps and documentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any


class PropType(StrEnum):
    """Value types a property may hold; dates travel as ISO ``YYYY-MM-DD`` strings."""

    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    STRINGS = "strings"


@dataclass(frozen=True)
class Prop:
    """One property of a node kind or relationship type.

    ``zh`` is the Chinese term, used as the Chinese column header in spreadsheets;
    ``headers`` lists further accepted column headers (either language).
    ``personal`` marks personal information (个人信息) under China's PIPL, such as phone and ID
    numbers: the API masks it (``139****1234``) for roles without the right to see it, and logs
    every unmasked read in the audit trail (docs/security.md).
    ``indexed`` asks the stores for an exact-value index (Neo4j: a range index); ``ordered`` for
    an index in value order that answers range questions page by page (agreements by the day
    they end) without looking at the rest: the embedded store keeps it sorted on every write,
    Neo4j uses a range index.
    """

    name: str
    type: PropType = PropType.STRING
    description: str = ""
    zh: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    indexed: bool = False
    personal: bool = False
    ordered: bool = False


class GridLevel(StrEnum):
    """The five levels of the grid (五级网格), from the top down."""

    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"
    COMMUNITY = "community"
    COMPOUND = "compound"
    BUILDING = "building"

    @property
    def depth(self) -> int:
        return list(GridLevel).index(self)


#: ``PART_OF`` steps from a building up to its district: how far every upward walk goes.
GRID_STEPS = len(GridLevel) - 1


@dataclass(frozen=True)
class GridLevelInfo:
    """What the seed says about one grid level: who leads it and which meeting it convenes."""

    level: GridLevel
    zh: str
    leader: str
    leader_zh: str
    meeting: str
    meeting_zh: str
    meeting_purpose: str


@dataclass(frozen=True)
class NodeKind:
    """A kind of node (a label in Neo4j), with its natural key and properties.

    The id of a node is derived from its natural key: ``<prefix>:<key values joined by '-'>``,
    e.g. ``community:410611001001`` or ``building:410611001001-007-03``.
    """

    name: str
    zh: str
    description: str
    key: tuple[str, ...]
    props: tuple[Prop, ...]
    interfaces: tuple[str, ...] = ()
    grid_level: GridLevel | None = None
    # column headers offices use for a property of this kind, beyond the property's own
    # (``name`` is 姓名 for a person, 队伍名称 for a volunteer team)
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def headers_for(self, prop: str) -> tuple[str, ...]:
        """Every extra header a spreadsheet may give this kind's property under."""
        return next((h for p, h in self.synonyms if p == prop), ())

    @cached_property
    def id_prefix(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.name).lower()

    def prop(self, name: str) -> Prop:
        for p in self.all_props:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no property {name!r}")

    @cached_property
    def all_props(self) -> tuple[Prop, ...]:
        """The kind's own properties followed by those every node carries."""
        own = {p.name for p in self.props}
        return self.props + tuple(p for p in COMMON_NODE_PROPS if p.name not in own)

    @cached_property
    def personal_props(self) -> frozenset[str]:
        """Names of the properties that hold personal information (masked by role)."""
        return frozenset(p.name for p in self.all_props if p.personal)

    def node_id(self, key_values: Mapping[str, Any]) -> str:
        """The stable id for the node whose natural key has these values."""
        parts = []
        for k in self.key:
            v = key_values.get(k)
            if v is None or str(v).strip() == "":
                raise ValueError(f"{self.name} key field {k!r} is missing")
            parts.append(str(v).strip())
        return f"{self.id_prefix}:{'-'.join(parts)}"


@dataclass(frozen=True)
class RelType:
    """A relationship type with the node kinds it may connect.

    ``temporal`` marks relationships that change over time (pairings, posts held, contracts,
    agreements, memberships): they are expected to carry ``valid_from`` / ``valid_to``.
    Every relationship may carry them; ``as_of`` filtering treats a missing bound as open.
    """

    name: str
    zh: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    props: tuple[Prop, ...] = ()
    temporal: bool = False
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # as for NodeKind: 包联时间

    def headers_for(self, prop: str) -> tuple[str, ...]:
        return next((h for p, h in self.synonyms if p == prop), ())

    @cached_property
    def all_props(self) -> tuple[Prop, ...]:
        own = {p.name for p in self.props}
        return self.props + tuple(p for p in COMMON_REL_PROPS if p.name not in own)

    def allows(self, source_kind: str, target_kind: str) -> bool:
        return source_kind in self.sources and target_kind in self.targets


PROVENANCE_PROPS: tuple[Prop, ...] = (
    Prop("source_file", description="File the record was loaded from", zh="来源文件"),
    Prop("source_sheet", description="Sheet of the source file", zh="来源工作表"),
    Prop("source_row", PropType.INT, description="Row of the source file", zh="来源行"),
    Prop("loaded_at", description="When the record was loaded (ISO timestamp)", zh="导入时间"),
    Prop("loaded_by", description="Who loaded the record", zh="导入人"),
)

COMMON_NODE_PROPS: tuple[Prop, ...] = (
    Prop("name", description="Name as used locally, in Chinese", zh="名称", indexed=True),
    Prop("aliases", PropType.STRINGS, description="Other names and abbreviations", zh="别名"),
    Prop(
        "synthetic",
        PropType.BOOL,
        description="True when the record is generated, not taken from a real source",
        zh="模拟数据",
    ),
    *PROVENANCE_PROPS,
)

COMMON_REL_PROPS: tuple[Prop, ...] = (
    Prop(
        "valid_from",
        PropType.DATE,
        description="First day the link holds",
        zh="生效日期",
        headers=("起始日期", "开始日期", "生效时间"),
    ),
    Prop(
        "valid_to",
        PropType.DATE,
        description="Last day the link holds (inclusive); 长期, 至今 or a dash: open",
        zh="有效期至",
        headers=("截止日期", "终止日期", "到期日期", "有效期"),
    ),
    Prop("synthetic", PropType.BOOL, description="True when generated", zh="模拟数据"),
    *PROVENANCE_PROPS,
)


@dataclass
class Ontology:
    """The registry of kinds and relationship types, with the look-ups other layers need."""

    kinds: dict[str, NodeKind] = field(default_factory=dict)
    relations: dict[str, RelType] = field(default_factory=dict)
    grid_levels: dict[GridLevel, GridLevelInfo] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        kinds: Iterable[NodeKind],
        relations: Iterable[RelType],
        grid_levels: Iterable[GridLevelInfo],
    ) -> Ontology:
        onto = cls()
        for k in kinds:
            if k.name in onto.kinds:
                raise ValueError(f"node kind {k.name} declared twice")
            onto.kinds[k.name] = k
        for r in relations:
            if r.name in onto.relations:
                raise ValueError(f"relationship type {r.name} declared twice")
            for end in (*r.sources, *r.targets):
                if end not in onto.kinds:
                    raise ValueError(f"{r.name} names unknown node kind {end}")
            onto.relations[r.name] = r
        for g in grid_levels:
            onto.grid_levels[g.level] = g
        return onto

    def kind(self, name: str) -> NodeKind:
        try:
            return self.kinds[name]
        except KeyError:
            raise KeyError(f"unknown node kind {name!r}") from None

    def relation(self, name: str) -> RelType:
        try:
            return self.relations[name]
        except KeyError:
            raise KeyError(f"unknown relationship type {name!r}") from None

    def kind_of_id(self, node_id: str) -> NodeKind:
        """The kind a node id belongs to, read from its prefix."""
        prefix = node_id.split(":", 1)[0]
        for k in self.kinds.values():
            if k.id_prefix == prefix:
                return k
        raise KeyError(f"id {node_id!r} has no known kind prefix")

    def grid_kinds(self) -> list[NodeKind]:
        """The five grid kinds, district first."""
        grids = [k for k in self.kinds.values() if k.grid_level is not None]
        return sorted(grids, key=lambda k: k.grid_level.depth if k.grid_level else 0)

    def grid_kind(self, level: GridLevel) -> NodeKind:
        for k in self.kinds.values():
            if k.grid_level == level:
                return k
        raise KeyError(level)

    def search_rank(self, kind: str) -> int:
        """Among equally close name matches, which kind comes first: the places, district
        down to building (0-4), then organisations (10), then the rest (20); a search for
        黎阳社区 puts the community before what is named after it."""
        node_kind = self.kind(kind)
        if node_kind.grid_level is not None:
            return node_kind.grid_level.depth
        return 10 if "Organization" in node_kind.interfaces else 20

    def search_tiers(self, kinds: Iterable[str] | None = None) -> list[list[str]]:
        """``kinds`` (None: every kind) grouped by :meth:`search_rank`, best first."""
        tiers: dict[int, list[str]] = {}
        for kind in sorted(self.kinds if kinds is None else set(kinds) & set(self.kinds)):
            tiers.setdefault(self.search_rank(kind), []).append(kind)
        return [tiers[r] for r in sorted(tiers)]

    def implementers(self, interface: str) -> list[NodeKind]:
        return [k for k in self.kinds.values() if interface in k.interfaces]

    def property_keys(self) -> set[str]:
        keys = {"id", "kind", "type"}
        for k in self.kinds.values():
            keys.update(p.name for p in k.all_props)
        for r in self.relations.values():
            keys.update(p.name for p in r.all_props)
        return keys
