"""The accumulator one district is built into, with the small helpers every part uses.

Why a builder: each part of the model (grids, governance, society, events) is a small function
that adds nodes and relationships; the builder gives them one random source, one clock, unique
codes and the Popolo pattern (a Post in a grid or organisation, a Person holding it for a time).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from graph.model import Node, Relationship, new_node
from loaders.reference import names
from loaders.reference.figures import QIBIN_CODE, REFERENCE_SEED, SYNTHETIC_CODE_PREFIX
from schema.codes import uscc_with_check
from schema.vocab import PostType

POST_ZH: dict[str, str] = {
    PostType.LEADING_GROUP_HEAD: "组长",
    PostType.DISTRICT_CONTACT_LEADER: "联系区领导",
    PostType.SUBDISTRICT_GRID_LEADER: "街道网格长",
    PostType.COMMUNITY_GRID_LEADER: "网格长",
    PostType.COMPOUND_GRID_LEADER: "网格长",
    PostType.BUILDING_LEADER: "楼栋长",
    PostType.DEPARTMENT_HEAD: "主要负责人",
    PostType.PARTY_SECRETARY: "书记",
    PostType.FIRST_SECRETARY: "第一书记",
    PostType.BRANCH_SECRETARY: "书记",
    PostType.GROUP_LEADER: "组长",
    PostType.POLICE_OFFICER: "社区片警",
    PostType.LEGAL_ADVISER: "法律顾问",
    PostType.GRID_WORKER: "网格员",
    PostType.COMMITTEE_DIRECTOR: "主任",
}


def district_code(index: int) -> str:
    """Qibin for district 0; ``99kkkk`` (no such province in GB/T 2260) for scaled copies."""
    if index == 0:
        return QIBIN_CODE
    if index > 9999:
        raise ValueError("the reference graph goes up to 10,000 districts")
    return f"{SYNTHETIC_CODE_PREFIX}{index:04d}"


@dataclass
class DistrictBuild:
    """Nodes and relationships of one district, built in order: nodes before what joins them."""

    index: int
    nodes: list[Node] = field(default_factory=list)
    rels: list[Relationship] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.code = district_code(self.index)
        self.real = self.index == 0
        self.rng = random.Random(f"{REFERENCE_SEED}/{self.index}")
        self.name = names.DISTRICT_NAME if self.real else f"模拟{self.index:04d}区"
        self.city = "鹤壁市" if self.real else f"模拟{self.index:04d}市"
        self.people_taken: set[str] = set()

    # -- records -----------------------------------------------------------------------------
    def node(self, kind: str, *, synthetic: bool = True, **props: Any) -> Node:
        """Add a node; ``synthetic`` is forced on in scaled copies, where nothing is real."""
        n = new_node(kind, synthetic=synthetic or not self.real, **props)
        self.nodes.append(n)
        return n

    def rel(self, type_: str, source: Node, target: Node, **props: Any) -> Relationship:
        clean = {k: v for k, v in props.items() if v is not None}
        clean["synthetic"] = True
        r = Relationship(type_, source.id, target.id, clean)
        self.rels.append(r)
        return r

    def next(self, counter: str) -> int:
        self._counters[counter] = self._counters.get(counter, 0) + 1
        return self._counters[counter]

    def uscc(self, authority: str, category: str) -> str:
        """A GB 32100 code with a valid check character: authority, category, region, QB + n."""
        n = self.next("uscc")
        return uscc_with_check(f"{authority}{category}{self.code}QB{n:07d}")

    # -- people and posts (Popolo: a Post exists apart from whoever holds it) ----------------
    def person(
        self,
        *,
        name: str | None = None,
        party_member: bool | None = None,
        five_elder: bool | None = None,
        synthetic: bool = True,
    ) -> Node:
        gender = self.rng.choice(("female", "male"))
        if party_member is None:
            party_member = self.rng.random() < 0.45
        return self.node(
            "Person",
            synthetic=synthetic,
            code=f"{self.code}-P{self.next('person'):06d}",
            name=name or names.person_name(self.rng, gender),
            gender=gender,
            party_member=party_member,
            five_elder=five_elder,
        )

    def post(
        self,
        post_type: PostType,
        within: Node,
        *,
        roles: list[str] | None = None,
        code: str | None = None,
    ) -> Node:
        """The post of ``post_type`` in a grid or organisation, joined to it by POST_IN."""
        key = code or within.id.split(":", 1)[1]
        p = self.node(
            "Post",
            post_type=post_type.value,
            code=key,
            name=f"{within.name}{POST_ZH[post_type]}",
            roles=roles,
        )
        self.rel("POST_IN", p, within)
        return p

    def hold(
        self,
        person: Node,
        post: Node,
        valid_from: str,
        valid_to: str | None = None,
        drawn_from: str | None = None,
    ) -> None:
        self.rel(
            "HOLDS", person, post, valid_from=valid_from, valid_to=valid_to, drawn_from=drawn_from
        )

    def sample(self, items: list[Any], k: int) -> list[Any]:
        if k > len(items):
            raise ValueError(f"the reference graph needs {k} of only {len(items)} items")
        return self.rng.sample(items, k)


def split(
    rng: random.Random,
    total: int,
    parts: int,
    minimum: int = 1,
    weights: list[float] | None = None,
    maximum: int | None = None,
) -> list[int]:
    """``parts`` integers in ``[minimum, maximum]`` summing to ``total``, drawn by weight."""
    top = total if maximum is None else maximum
    if not parts * minimum <= total <= parts * top:
        raise ValueError(f"cannot split {total} into {parts} parts of {minimum} to {top}")
    out = [minimum] * parts
    w = list(weights) if weights is not None else [1.0] * parts
    left = total - parts * minimum
    while left:
        for i in rng.choices(range(parts), weights=w, k=left):
            if out[i] < top and left:
                out[i] += 1
                left -= 1
                if out[i] == top:
                    w[i] = 0.0
    return out
