"""Load kinds: what one spreadsheet row becomes in the graph, declared from the ontology.

A load kind names the nodes each row creates or updates (:class:`NodeSlot`), the columns that
point at nodes that already exist (:class:`RefColumn`) and the relationships drawn between them
(:class:`RelSpec`). Column headers are never listed here: a node column is an ontology
:class:`~schema.ontology.Prop` (``name`` = English header, ``zh`` = Chinese header, ``headers`` =
more accepted headers); only reference columns, which the ontology has no property for, carry
their own two labels, declared once below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graph.model import Node
from schema import ONTOLOGY
from schema.ontology import PROVENANCE_PROPS, NodeKind, Prop, PropType
from schema.relations import GRIDS, ORGS
from schema.vocab import CHOICE_ZH

_NOT_LOADED = frozenset(p.name for p in PROVENANCE_PROPS) | {"synthetic"}


@dataclass(frozen=True)
class Column:
    """One column a load kind reads, with every header that names it."""

    name: str
    zh: str
    description: str
    type: PropType = PropType.STRING
    choices: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    required: bool = False
    prop: Prop | None = None
    division_lengths: tuple[int, ...] | None = None
    derived: bool = False  # a key the loader derives from the natural columns when blank

    @property
    def all_headers(self) -> tuple[str, ...]:
        return (self.zh, self.name, *self.headers)

    @property
    def label(self) -> str:
        return f"{self.zh} / {self.name}"


NaturalKey = Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class NodeSlot:
    """A node each row creates or updates. Secondary slots prefix their columns (``post_code``,
    岗位编号) so that they do not collide with the main node's."""

    name: str
    kind: str
    prefix: str = ""
    zh_prefix: str = ""
    props: tuple[str, ...] | None = None  # None: every loadable property of the kind
    required: tuple[str, ...] = ("name",)
    derived: tuple[str, ...] = ()  # key properties a load kind fills in when left blank
    # the natural key, when the row gives no registry number: first an existing record of the
    # kind with exactly this name (``by_name``), else the key ``natural`` derives from the row
    by_name: bool = False
    natural: NaturalKey | None = None

    def column_name(self, prop: str) -> str:
        if not self.prefix or prop.startswith(self.prefix + "_"):
            return prop
        return f"{self.prefix}_{prop}"

    def loadable_props(self) -> list[Prop]:
        kind = ONTOLOGY.kind(self.kind)
        chosen = [p for p in kind.all_props if p.name not in _NOT_LOADED]
        if self.props is not None:
            chosen = [p for p in chosen if p.name in self.props]

        def order(p: Prop) -> int:  # key, then name, then the rest, aliases last
            if p.name in kind.key:
                return 0
            return {"name": 1, "aliases": 3}.get(p.name, 2)

        return sorted(chosen, key=order)


@dataclass(frozen=True)
class RefColumn:
    """A column naming an existing node by id, code, or exact name or alias.

    ``code`` adds a second column holding the referenced node's identifier, taken from the
    ontology (e.g. ``Unit.uscc``, 统一社会信用代码); ``fill`` maps row columns to properties of
    the referenced node, so that either the reference or those key columns may be given.
    """

    name: str
    zh: str
    kinds: tuple[str, ...]
    description: str
    required: bool = True
    many: bool = False
    headers: tuple[str, ...] = ()
    code: tuple[str, str] | None = None
    fill: Mapping[str, str] = field(default_factory=dict)
    load_first: str | None = None  # the load kind to load first when a reference is unknown

    @property
    def code_prop(self) -> Prop | None:
        return ONTOLOGY.kind(self.code[0]).prop(self.code[1]) if self.code else None


RelProps = Callable[[Node, Node], dict[str, Any]]


@dataclass(frozen=True)
class RelSpec:
    """A relationship drawn for each row between two slots or references (by name)."""

    type: str
    source: str
    target: str
    props: tuple[str, ...] = ()  # row columns copied onto the relationship
    extra: RelProps | None = None  # properties computed from the two ends
    # Every link's id is the one every writer derives (type, ends, first day). When a file
    # corrects a record, its links of this type that the file no longer gives are removed
    # (``replace``); with ``per_period`` a link from another first day is history and stays
    # (a dated change is a new link), without it (a party's link to an agreement, which has
    # the agreement's dates) a link whose dates were corrected is replaced too.
    per_period: bool = True
    replace: bool = True


Derive = Callable[[dict[str, Any], Mapping[str, Any]], None]


@dataclass(frozen=True)
class LoadKind:
    name: str
    zh: str
    description: str
    slots: tuple[NodeSlot, ...] = ()
    refs: tuple[RefColumn, ...] = ()
    rels: tuple[RelSpec, ...] = ()
    example: Mapping[str, Any] = field(default_factory=dict)
    derive: Derive | None = None

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        """Every column, derived from the ontology: node properties, references, rel props."""
        cols: dict[str, Column] = {}
        fills = {c for r in self.refs for c in r.fill}
        for i, slot in enumerate(self.slots):
            kind = ONTOLOGY.kind(slot.kind)
            for p in slot.loadable_props():
                name = slot.column_name(p.name)
                if name in cols:
                    continue
                zh = p.zh
                if slot.zh_prefix and not zh.startswith(slot.zh_prefix):
                    zh = slot.zh_prefix + zh
                own = (*p.headers, *kind.headers_for(p.name))
                headers = tuple(slot.column_name(h) if slot.prefix else h for h in own)
                if i == 0 and p.zh in ("名称", "编号"):
                    headers += (kind.zh.split("/")[0] + p.zh,)  # 共建单位名称, 区直单位编号
                required = (
                    (p.name in kind.key or p.name in slot.required)
                    and p.name not in slot.derived
                    and name not in fills
                )
                lengths = None
                if p.name == "division_code" and kind.grid_level is not None:
                    lengths = (6 + 3 * kind.grid_level.depth,)
                cols[name] = Column(
                    name,
                    zh,
                    p.description,
                    p.type,
                    p.choices,
                    headers,
                    required,
                    p,
                    lengths,
                    derived=p.name in slot.derived,
                )
        for ref in self.refs:
            ref_type = PropType.STRINGS if ref.many else PropType.STRING
            required = ref.required and not ref.fill and not ref.code
            cols[ref.name] = Column(
                ref.name, ref.zh, ref.description, ref_type, (), ref.headers, required
            )
            code = ref.code_prop
            if code is not None and code.name not in cols:
                cols[code.name] = Column(
                    code.name, code.zh, code.description, code.type, (), code.headers, False, code
                )
        for spec in self.rels:
            rel = ONTOLOGY.relation(spec.type)
            for pname in spec.props:
                if pname in cols:
                    continue
                p = next(x for x in rel.all_props if x.name == pname)
                extra = tuple(
                    h for s in self.rels for h in ONTOLOGY.relation(s.type).headers_for(pname)
                )
                cols[pname] = Column(
                    pname, p.zh, p.description, p.type, p.choices, (*p.headers, *extra), False, p
                )
        return tuple(cols.values())

    @cached_property
    def slot_columns(self) -> tuple[tuple[NodeSlot, tuple[tuple[str, str], ...]], ...]:
        """For each slot, its (property, column) pairs: computed once, used for every row."""
        return tuple(
            (s, tuple((p.name, s.column_name(p.name)) for p in s.loadable_props()))
            for s in self.slots
        )

    @cached_property
    def slot_plans(self) -> tuple[tuple[NodeSlot, NodeKind, tuple[tuple[str, str], ...]], ...]:
        """Each slot with its ontology kind and (property, column) pairs, for the row loop."""
        return tuple((s, ONTOLOGY.kind(s.kind), pairs) for s, pairs in self.slot_columns)

    @cached_property
    def slot_names(self) -> frozenset[str]:
        return frozenset(s.name for s in self.slots)

    @cached_property
    def natural_slots(
        self,
    ) -> tuple[tuple[NodeSlot, NodeKind, dict[str, str], NaturalKey], ...]:
        """The slots that derive a natural key, each with its key's (property -> column) and
        the function that derives it."""
        return tuple(
            (s, k, {p: s.column_name(p) for p in k.key}, s.natural)
            for s, k, _ in self.slot_plans
            if s.natural is not None
        )

    @cached_property
    def ref_kinds(self) -> dict[str, tuple[str, ...]]:
        """Reference column -> the kinds it may name."""
        return {r.name: r.kinds for r in self.refs}

    @cached_property
    def column_map(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @cached_property
    def header_index(self) -> dict[str, str]:
        """Normalised header -> column name; both languages and every extra header."""
        index: dict[str, str] = {}
        for c in self.columns:
            for h in c.all_headers:
                index.setdefault(normalise_header(h), c.name)
        return index

    @property
    def one_of(self) -> list[tuple[str, ...]]:
        """Groups of columns of which at least one must be present (reference or its keys)."""
        groups = []
        for ref in self.refs:
            if not ref.required:
                continue
            if ref.fill:
                groups.append((ref.name, *ref.fill))
            elif ref.code:
                groups.append((ref.name, ref.code[1]))
        return groups

    def example_row(self) -> dict[str, Any]:
        return {c.name: self.example.get(c.name) for c in self.columns}


_HEADER_NOISE = re.compile(r"[\s_\-*＊:：]+|[(（][^)）]*[)）]$|必填$")


def normalise_header(header: Any) -> str:
    """Fold case, full-width forms, spaces, underscores, a trailing * and (notes) away."""
    text = unicodedata.normalize("NFKC", str(header or "")).strip().lower()
    text = re.sub(r"[(（][^)）]*[)）]\s*$", "", text)
    return _HEADER_NOISE.sub("", text)


# -- computed relationship properties and derived columns --------------------------------------


def _party_role(party: Node, _agreement: Node) -> dict[str, Any]:
    """The side a party signs on: the grid kinds sign as themselves, anyone else as partner."""
    role = party.kind.lower()
    return {"role": role if role in ("community", "subdistrict", "district") else "partner"}


def _partner_role(_party: Node, _agreement: Node) -> dict[str, Any]:
    return {"role": "partner"}


def _handler_role(_event_type: Node, department: Node) -> dict[str, Any]:
    return {"role": "key" if department.props.get("key_unit") else "n"}


def _derive_post(values: dict[str, Any], refs: Mapping[str, Any]) -> None:
    """A post's code defaults to the code of the grid or organisation it belongs to, and its
    name to that place's name followed by the post type (黎阳社区 + 网格长)."""
    place: Node | None = refs.get("post_in")
    if place is None:
        return
    if values.get("post_code") is None:
        values["post_code"] = place.id.split(":", 1)[1]
    if values.get("post_name") is None and values.get("post_type"):
        label = CHOICE_ZH.get(values["post_type"], (values["post_type"],))[0]
        values["post_name"] = f"{place.props.get('name') or place.id}{label}"


def _derive_agreement(values: dict[str, Any], _refs: Mapping[str, Any]) -> None:
    """签订日期 gives valid_from when no 生效日期 is given."""
    if values.get("valid_from") is None and values.get("signed_on") is not None:
        values["valid_from"] = values["signed_on"]


def _agreement_key(values: dict[str, Any], refs: Mapping[str, Any]) -> dict[str, Any]:
    """An agreement without a number is its outside partner (credit code, else exact name)
    and the day it was signed: ``12410000415801234X-20230501``."""
    from loaders.errors import InvalidCell

    partner: Node | None = refs.get("partner")
    day = values.get("signed_on") or values.get("valid_from")
    if partner is None or day is None:
        raise InvalidCell("no_natural_key", column="signed_on", **_NEEDS["agreements"])
    who = partner.props.get("uscc") or partner.props.get("name") or partner.id.split(":", 1)[1]
    return {"code": f"{who}-{str(day).replace('-', '')}"}


def _person_key(values: dict[str, Any], _refs: Mapping[str, Any]) -> dict[str, Any]:
    """A person without a number is the post they hold and their name."""
    from loaders.errors import InvalidCell

    post, name = values.get("post_code"), values.get("name")
    if post is None or name is None:
        raise InvalidCell("no_natural_key", column="post_in", **_NEEDS["people"])
    kind = values.get("post_type")
    return {"code": "-".join(str(x) for x in (post, kind, name) if x)}


def _named_key(prop: str) -> NaturalKey:
    """A record without a number is known by its exact name (within its parent, if any)."""

    def key(values: dict[str, Any], _refs: Mapping[str, Any]) -> dict[str, Any]:
        from loaders.errors import InvalidCell

        name = values.get("name")
        if name is None:
            raise InvalidCell("no_natural_key", column="name", needs_zh="名称",
                              needs_en="the name (名称)")  # fmt: skip
        return {prop: name}

    return key


_NEEDS = {
    "agreements": {"needs_zh": "共建单位和签订日期",
                   "needs_en": "the partner (共建单位) and the day signed (签订日期)"},
    "people": {"needs_zh": "岗位所属和姓名",
               "needs_en": "the post's place (岗位所属) and the name (姓名)"},
}  # fmt: skip

# -- the load kinds ----------------------------------------------------------------------------

_COMMUNITY_OR_SUBDISTRICT = ("Community", "Subdistrict")
_VALIDITY = ("valid_from", "valid_to")
_PLACES = ("Community", "Subdistrict", "District")

UNITS = LoadKind(
    "units", "共建单位", "Outside units in co-construction (驻区单位): one row per unit.",
    slots=(NodeSlot("unit", "Unit"),),
    example={"uscc": "12410000MB00000010", "name": "示例大学社会事业学院",
             "aliases": "示例大学", "unit_type": "university", "address": "示例市示例路1号"},
)  # fmt: skip

DEPARTMENTS = LoadKind(
    "departments", "区直单位", "District departments (区直单位), paired with communities.",
    slots=(NodeSlot("department", "Department", derived=("code",), by_name=True,
                    natural=_named_key("code")),),
    refs=(RefColumn("district", "所属区", ("District",), "The district whose government it "
                    "belongs to (its key units are the ones its community grids convene)",
                    required=False, headers=("区",)),),
    rels=(RelSpec("DEPARTMENT_OF", "department", "district"),),
    example={"code": "D-EX", "name": "示例区城市管理局", "aliases": "示例城管局",
             "function": "urban_management", "key_unit": "是", "district": "410611"},
)  # fmt: skip

AGREEMENTS = LoadKind(
    "agreements", "共建协议",
    "Co-construction agreements (联建共建协议): one row per agreement and partner; the partner "
    "and the community or subdistrict must already be loaded.",
    slots=(NodeSlot("agreement", "Agreement", required=(), derived=("code",),
                    natural=_agreement_key),),
    refs=(
        RefColumn("partner", "共建单位", ORGS, "The outside unit that signed (name or code)",
                  code=("Unit", "uscc"), headers=("合作单位", "驻区单位", "共建单位名称",
                                                  "单位名称", "共建方"), load_first="units"),
        RefColumn("community", "社区", _PLACES, "The community or subdistrict that signed",
                  headers=("签约社区", "社区/街道", "街道", "社区名称", "街道/社区", "所属社区",
                           "签约街道")),
    ),
    rels=(
        RelSpec("PARTY_TO", "partner", "agreement", _VALIDITY, _partner_role, per_period=False),
        RelSpec("PARTY_TO", "community", "agreement", _VALIDITY, _party_role, per_period=False),
    ),
    example={"name": "示例共建协议", "signed_on": "2023-05-01",
             "valid_to": "2025-04-30",
             "topics": "文明实践、志愿服务", "contact": "张老师", "contact_phone": "0392-0000000",
             "partner": "示例大学社会事业学院", "uscc": "12410000MB00000010",
             "community": "示例社区"},
    derive=_derive_agreement,
)  # fmt: skip

PAIRINGS = LoadKind(
    "pairings", "机关包联社区",
    "Department-community pairings (机关包联社区): the department's head leads the community grid.",
    refs=(
        RefColumn("department", "包联单位", ("Department",), "The paired district department",
                  headers=("区直单位", "部门", "包联部门", "单位名称")),
        RefColumn("community", "社区", _COMMUNITY_OR_SUBDISTRICT, "The community it is paired "
                  "with", headers=("包联社区", "街道", "社区名称")),
    ),
    rels=(RelSpec("PAIRED_WITH", "department", "community", _VALIDITY),),
    example={"department": "示例区城市管理局", "community": "示例社区",
             "valid_from": "2022-01-01"},
)  # fmt: skip

SUBDISTRICTS = LoadKind(
    "subdistricts", "街道", "Subdistricts and towns (街道、乡镇), inside a district.",
    slots=(NodeSlot("subdistrict", "Subdistrict"),),
    refs=(RefColumn("district", "所属区", ("District",), "The district it lies in",
                    required=False, headers=("区", "上级")),),
    rels=(RelSpec("PART_OF", "subdistrict", "district"),),
    example={"division_code": "410611001", "name": "示例街道", "subdistrict_type": "subdistrict",
             "runs_grid": "是", "district": "410611"},
)  # fmt: skip

COMMUNITIES = LoadKind(
    "communities", "社区", "Communities (社区), inside a subdistrict.",
    slots=(NodeSlot("community", "Community"),),
    refs=(RefColumn("subdistrict", "所属街道", ("Subdistrict",), "The subdistrict it lies in",
                    required=False, headers=("街道", "上级")),),
    rels=(RelSpec("PART_OF", "community", "subdistrict"),),
    example={"division_code": "410611001001", "name": "示例社区", "community_type": "urban",
             "population": 8000, "subdistrict": "410611001"},
)  # fmt: skip

COMPOUNDS = LoadKind(
    "compounds", "小区", "Residential compounds (小区微网格), inside a community: give the "
    "community's name or its code.",
    slots=(NodeSlot("compound", "Compound", derived=("compound_no",), by_name=True,
                    natural=_named_key("compound_no")),),
    refs=(RefColumn("community", "社区", ("Community",), "The community it lies in",
                    fill={"community_code": "division_code"},
                    headers=("所属社区", "社区名称")),),
    rels=(RelSpec("PART_OF", "compound", "community"),),
    example={"community_code": "410611001001", "compound_no": "007", "name": "示例小区",
             "management_mode": "property_firm", "households": 320, "community": "示例社区"},
)  # fmt: skip

BUILDINGS = LoadKind(
    "buildings", "楼栋", "Buildings (楼栋网格), inside a compound: give the compound's code "
    "(社区代码-小区编号), or the community code and compound number.",
    slots=(NodeSlot("building", "Building", required=()),),
    refs=(RefColumn("compound", "小区", ("Compound",), "The compound it lies in",
                    fill={"community_code": "community_code", "compound_no": "compound_no"},
                    headers=("所属小区", "小区名称")),),
    rels=(RelSpec("PART_OF", "building", "compound"),),
    example={"community_code": "410611001001", "compound_no": "007", "building_no": "03",
             "name": "示例小区3号楼", "floors": 6, "households": 36},
)  # fmt: skip

PEOPLE = LoadKind(
    "people", "人员岗位",
    "People and the posts they hold (网格长、楼栋长、书记、网格员...): one row per person and "
    "post. The post's code defaults to the code of its grid or organisation.",
    slots=(
        NodeSlot("person", "Person", derived=("code",), natural=_person_key),
        NodeSlot("post", "Post", prefix="post", zh_prefix="岗位",
                 props=("post_type", "code", "name", "roles"), required=(),
                 derived=("code",)),
    ),
    refs=(RefColumn("post_in", "岗位所属", (*GRIDS, *ORGS), "The grid or organisation the post "
                    "belongs to", headers=("所属网格", "所属组织", "网格", "所在网格",
                                           "网格名称", "所属单位")),),
    rels=(
        # a person may hold several posts, each from its own row or file: never replaced
        RelSpec("HOLDS", "person", "post", (*_VALIDITY, "drawn_from"), replace=False),
        RelSpec("POST_IN", "post", "post_in"),
    ),
    example={"code": "P-EX", "name": "示例人员", "gender": "male", "party_member": "是",
             "five_elder": "是", "post_type": "branch_secretary", "post_in": "示例小区",
             "valid_from": "2021-06-01", "drawn_from": "residents"},
    derive=_derive_post,
)  # fmt: skip

PROPERTY_CONTRACTS = LoadKind(
    "property_contracts", "物业合同",
    "Who manages a compound (物业服务合同, 业主自管): a property firm or the owners' committee.",
    refs=(
        RefColumn("firm", "物业公司", ("PropertyFirm", "OwnersCommittee"), "The property firm "
                  "or owners' committee", code=("PropertyFirm", "uscc"),
                  headers=("物业服务企业", "管理方")),
        RefColumn("compound", "小区", ("Compound",), "The compound managed",
                  headers=("管理小区",)),
    ),
    rels=(RelSpec("MANAGES", "firm", "compound", ("contract_no", *_VALIDITY)),),
    example={"firm": "示例物业服务有限公司", "uscc": "91410611MA0000001M",
             "compound": "410611001001-007", "contract_no": "WY-2023-007",
             "valid_from": "2023-01-01", "valid_to": "2025-12-31"},
)  # fmt: skip

SOCIAL_ORGANIZATIONS = LoadKind(
    "social_organizations", "社会组织",
    "Social organisations (社会组织) and the communities they are active in.",
    slots=(NodeSlot("organization", "SocialOrganization", derived=("code",), by_name=True,
                    natural=_named_key("code")),),
    refs=(RefColumn("active_in", "服务社区", _PLACES, "Communities or subdistricts it is active "
                    "in, separated by 、", required=False, many=True,
                    headers=("活动社区", "所属社区", "服务范围")),),
    rels=(RelSpec("ACTIVE_IN", "organization", "active_in", _VALIDITY),),
    example={"code": "SO-EX", "name": "示例先锋团队", "org_type": "vanguard_team",
             "active_in": "示例社区", "valid_from": "2019-03-01"},
)  # fmt: skip

VOLUNTEER_TEAMS = LoadKind(
    "volunteer_teams", "志愿服务队",
    "Volunteer teams (志愿服务队) and the communities they serve.",
    slots=(NodeSlot("team", "VolunteerTeam", derived=("code",), by_name=True,
                    natural=_named_key("code")),),
    refs=(RefColumn("active_in", "服务社区", _PLACES, "Communities or subdistricts it serves, "
                    "separated by 、", required=False, many=True,
                    headers=("活动社区", "所属社区", "服务范围")),),
    rels=(RelSpec("ACTIVE_IN", "team", "active_in", _VALIDITY),),
    example={"code": "VT-EX", "name": "示例志愿服务队", "theme": "关爱老人", "members": 45,
             "active_in": "示例社区"},
)  # fmt: skip

EVENT_CATEGORIES = LoadKind(
    "event_categories", "事件大类", "The nine categories of the grid event list (9大类).",
    slots=(NodeSlot("category", "EventCategory"),),
    example={"code": "EC-EX", "name": "示例大类"},
)  # fmt: skip

EVENT_TYPES = LoadKind(
    "event_types", "事件类型",
    "Event types of the grid event list (63项), their category and the departments that handle "
    "them (1+5+N).",
    slots=(NodeSlot("event_type", "EventType"),),
    refs=(
        RefColumn("category", "事件大类", ("EventCategory",), "The category it belongs to",
                  headers=("所属大类",)),
        RefColumn("handled_by", "处置单位", ("Department",), "Departments that handle it, "
                  "separated by 、", required=False, many=True, headers=("责任单位",)),
    ),
    rels=(
        RelSpec("IN_CATEGORY", "event_type", "category"),
        RelSpec("HANDLED_BY", "event_type", "handled_by", _VALIDITY, _handler_role),
    ),
    example={"code": "ET-EX", "name": "示例事件", "response_level": "community",
             "category": "EC-EX", "handled_by": "示例区城市管理局"},
)  # fmt: skip

LOAD_KINDS: dict[str, LoadKind] = {
    k.name: k
    for k in (
        UNITS, DEPARTMENTS, AGREEMENTS, PAIRINGS, SUBDISTRICTS, COMMUNITIES, COMPOUNDS,
        BUILDINGS, PEOPLE, PROPERTY_CONTRACTS, SOCIAL_ORGANIZATIONS, VOLUNTEER_TEAMS,
        EVENT_CATEGORIES, EVENT_TYPES,
    )
}  # fmt: skip


def load_kind(name: str) -> LoadKind:
    """A load kind by its English name or its Chinese title."""
    if name in LOAD_KINDS:
        return LOAD_KINDS[name]
    for k in LOAD_KINDS.values():
        if name == k.zh:
            return k
    from loaders.errors import LoadError

    raise LoadError(f"unknown load kind {name!r}; choose from {', '.join(LOAD_KINDS)}")


def infer_kind(headers: list[Any]) -> tuple[LoadKind | None, list[str]]:
    """The one load kind these headers fit, else None and the kinds that fit equally well.

    A kind fits when every required column is present; the best fit leaves the fewest headers
    unexplained, then explains the most.
    """
    normal = [normalise_header(h) for h in headers if normalise_header(h)]
    scored = []
    for kind in LOAD_KINDS.values():
        matched = {kind.header_index[h] for h in normal if h in kind.header_index}
        if any(c.required and c.name not in matched for c in kind.columns):
            continue
        if any(not (set(g) & matched) for g in kind.one_of):
            continue
        unknown = sum(1 for h in normal if h not in kind.header_index)
        # a kind whose key the sheet gives fits better than one that would derive it
        derived = sum(1 for s in kind.slots for k in s.derived if s.column_name(k) not in matched)
        scored.append((unknown, derived, -len(matched), kind))
    if not scored:
        return None, []
    scored.sort(key=lambda t: t[:3])
    best = [t[3] for t in scored if t[:3] == scored[0][:3]]
    if len(best) == 1:
        return best[0], []
    return None, [k.name for k in best]
