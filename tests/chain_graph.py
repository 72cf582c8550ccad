"""Hand-built and generated graphs for the responsibility-chain and gaps tests.

``build_small_district`` is a district small enough to write its chains out by hand; a pairing
changes on 2023-07-01 (民政局 → 城管局) and building 01's leader changes on 2024-04-01.
``build_synthetic_district`` generates a district of any size with links missing at random
(a seeded ``random.Random``), for the batch, agreement and store-call tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from graph.contract import GraphStore
from graph.model import Node, Relationship, new_node

PAIRING_CHANGE = "2023-07-01"
LEADER_CHANGE = "2024-04-01"
COMMUNITY_CODE = "410611001001"
OTHER_COMMUNITY_CODE = "410611001002"


@dataclass
class Built:
    """What a builder wrote, by short name, so tests can refer to ids without retyping them."""

    nodes: dict[str, Node] = field(default_factory=dict)
    rels: list[Relationship] = field(default_factory=list)

    def add(self, name: str, node: Node) -> Node:
        self.nodes[name] = node
        return node

    def link(self, type_: str, source: Node, target: Node, **props: Any) -> None:
        self.rels.append(Relationship(type_, source.id, target.id, props))

    def id(self, name: str) -> str:
        return self.nodes[name].id

    def write(self, store: GraphStore) -> None:
        with store.transaction() as tx:
            tx.upsert_nodes(self.nodes.values())
            tx.upsert_relationships(self.rels)

    # helpers -------------------------------------------------------------------------------
    def post(self, name: str, post_type: str, code: str, attached: Node) -> Node:
        post = self.add(name, new_node("Post", post_type=post_type, code=code))
        self.link("POST_IN", post, attached)
        return post

    def person(self, name: str, code: str, label: str, **props: Any) -> Node:
        return self.add(name, new_node("Person", code=code, name=label, **props))

    def party(self, name: str, level: str, code: str, covers: Node) -> Node:
        org = self.add(name, new_node("PartyOrganization", level=level, code=code))
        self.link("COVERS", org, covers)
        return org


KEY_UNITS = (
    ("um", "D-UM", "区城市管理局", "urban_management"),
    ("mw", "D-MW", "区市政工程处", "municipal_works"),
    ("sa", "D-SA", "区环境卫生处", "sanitation"),
    ("ls", "D-LS", "区园林绿化处", "landscaping"),
    ("pm", "D-PM", "区物业管理中心", "property_management"),
)


def build_small_district(store: GraphStore) -> Built:
    """One district, one subdistrict, two communities, three compounds, five buildings."""
    b = Built()
    district = b.add("district", new_node("District", division_code="410611", name="淇滨区"))
    group = b.add("group", new_node("LeadingGroup", code="LG01", name="网格化社会治理领导小组"))
    b.link("COVERS", group, district)
    b.post("post_group_head", "leading_group_head", "LG01", group)
    b.person("p_group_head", "P-LG", "区委书记(模拟)")
    b.link("HOLDS", b.nodes["p_group_head"], b.nodes["post_group_head"], valid_from="2021-01-01")
    dc = b.party("district_committee", "district_committee", "410611", district)
    b.post("post_dc_secretary", "party_secretary", "410611", dc)
    b.person("p_dc_secretary", "P-DC", "区委书记")
    b.link("HOLDS", b.nodes["p_dc_secretary"], b.nodes["post_dc_secretary"])

    sub = b.add("sub", new_node("Subdistrict", division_code="410611001", name="黎阳路街道"))
    b.link("PART_OF", sub, district)
    b.post("post_contact", "district_contact_leader", "410611001", sub)
    b.person("p_contact", "P-CT", "联系领导(模拟)")
    b.link("HOLDS", b.nodes["p_contact"], b.nodes["post_contact"], valid_from="2021-01-01")
    b.party("working_committee", "subdistrict_working_committee", "410611001", sub)

    # Departments: the five key units, civil affairs and market regulation.
    for short, code, name, function in KEY_UNITS:
        b.add(short, new_node("Department", code=code, name=name, function=function, key_unit=True))
    ca = b.add(
        "ca",
        new_node(
            "Department", code="D-CA", name="区民政局", function="civil_affairs", key_unit=False
        ),
    )
    b.add(
        "mr",
        new_node(
            "Department",
            code="D-MR",
            name="区市场监管局",
            function="market_regulation",
            key_unit=False,
        ),
    )
    for dept in [n for n in b.nodes.values() if n.kind == "Department"]:
        b.link("DEPARTMENT_OF", dept, district)
    b.post("post_head_ca", "department_head", "D-CA", ca)
    b.person("p_head_ca", "P-CA", "民政局长(模拟)")
    b.link("HOLDS", b.nodes["p_head_ca"], b.nodes["post_head_ca"], valid_from="2020-01-01")
    b.post("post_head_um", "department_head", "D-UM", b.nodes["um"])
    b.person("p_head_um", "P-UM", "城管局长(模拟)")
    b.link("HOLDS", b.nodes["p_head_um"], b.nodes["post_head_um"], valid_from="2020-01-01")

    # Community 黎阳: paired with civil affairs, then (from PAIRING_CHANGE) urban management.
    c1 = b.add("c1", new_node("Community", division_code=COMMUNITY_CODE, name="黎阳社区"))
    b.link("PART_OF", c1, sub)
    b.link("PAIRED_WITH", ca, c1, valid_from="2021-01-01", valid_to="2023-06-30")
    b.link("PAIRED_WITH", b.nodes["um"], c1, valid_from=PAIRING_CHANGE)
    big = b.party("big_c1", "community_big_committee", COMMUNITY_CODE, c1)
    b.post("post_first_secretary", "first_secretary", COMMUNITY_CODE, big)
    b.link("HOLDS", b.nodes["p_head_um"], b.nodes["post_first_secretary"], valid_from="2022-01-01")

    # Compound 桃园: a property firm since 2022, a party branch led by 王诚.
    k1 = b.add(
        "k1",
        new_node(
            "Compound",
            community_code=COMMUNITY_CODE,
            compound_no="001",
            name="桃园小区",
            management_mode="property_firm",
        ),
    )
    b.link("PART_OF", k1, c1)
    firm = b.add("firm", new_node("PropertyFirm", uscc="91410611MA44FIRM01", name="鹤壁宜家物业"))
    b.link("MANAGES", firm, k1, valid_from="2022-01-01", contract_no="WY-2022-01")
    branch = b.party("branch_k1", "compound_branch", f"{COMMUNITY_CODE}-001", k1)
    b.post("post_branch_k1", "branch_secretary", f"{COMMUNITY_CODE}-001", branch)
    b.person("p_wang", "P-WC", "王诚", five_elder=True, party_member=True)
    b.link("HOLDS", b.nodes["p_wang"], b.nodes["post_branch_k1"], valid_from="2020-05-01")

    # Building 01: its leader changes on LEADER_CHANGE; building 02 has no leader, no group.
    b1 = b.add(
        "b1",
        new_node(
            "Building",
            community_code=COMMUNITY_CODE,
            compound_no="001",
            building_no="01",
            name="桃园小区1号楼",
        ),
    )
    b.link("PART_OF", b1, k1)
    b.post("post_leader_b1", "building_leader", f"{COMMUNITY_CODE}-001-01", b1)
    b.person("p_old", "P-B1A", "楼栋长甲(模拟)")
    b.person("p_new", "P-B1B", "楼栋长乙(模拟)")
    b.link(
        "HOLDS",
        b.nodes["p_old"],
        b.nodes["post_leader_b1"],
        valid_from="2020-01-01",
        valid_to="2024-03-31",
    )
    b.link("HOLDS", b.nodes["p_new"], b.nodes["post_leader_b1"], valid_from=LEADER_CHANGE)
    group_b1 = b.party("group_b1", "building_group", f"{COMMUNITY_CODE}-001-01", b1)
    b.post("post_group_b1", "group_leader", f"{COMMUNITY_CODE}-001-01", group_b1)
    b.link("HOLDS", b.nodes["p_old"], b.nodes["post_group_b1"])
    b2 = b.add(
        "b2",
        new_node(
            "Building",
            community_code=COMMUNITY_CODE,
            compound_no="001",
            building_no="02",
            name="桃园小区2号楼",
        ),
    )
    b.link("PART_OF", b2, k1)

    # Compound 幸福: managed by its owners (业主自管), a compound grid leader, no party branch.
    k2 = b.add(
        "k2",
        new_node(
            "Compound",
            community_code=COMMUNITY_CODE,
            compound_no="002",
            name="幸福小区",
            management_mode="owners",
        ),
    )
    b.link("PART_OF", k2, c1)
    owners = b.add(
        "owners_k2",
        new_node(
            "OwnersCommittee",
            community_code=COMMUNITY_CODE,
            compound_no="002",
            name="幸福小区业委会",
        ),
    )
    b.link("MANAGES", owners, k2, valid_from="2021-03-01")
    b.post("post_grid_k2", "compound_grid_leader", f"{COMMUNITY_CODE}-002", k2)
    b.person("p_grid_k2", "P-K2", "小区网格长(模拟)")
    b.link("HOLDS", b.nodes["p_grid_k2"], b.nodes["post_grid_k2"], valid_from="2021-03-01")
    b3 = b.add(
        "b3",
        new_node(
            "Building",
            community_code=COMMUNITY_CODE,
            compound_no="002",
            building_no="01",
            name="幸福小区1号楼",
        ),
    )
    b.link("PART_OF", b3, k2)
    b.post("post_leader_b3", "building_leader", f"{COMMUNITY_CODE}-002-01", b3)
    b.person("p_b3", "P-B3", "楼栋长丙(模拟)")
    b.link("HOLDS", b.nodes["p_b3"], b.nodes["post_leader_b3"], valid_from="2021-01-01")
    b.party("group_b3", "building_group", f"{COMMUNITY_CODE}-002-01", b3)

    # Community 东方: never paired; its compound has no manager at all.
    c2 = b.add("c2", new_node("Community", division_code=OTHER_COMMUNITY_CODE, name="东方社区"))
    b.link("PART_OF", c2, sub)
    b.party("big_c2", "community_big_committee", OTHER_COMMUNITY_CODE, c2)
    k3 = b.add(
        "k3",
        new_node(
            "Compound",
            community_code=OTHER_COMMUNITY_CODE,
            compound_no="001",
            name="东方小区",
            management_mode="none",
        ),
    )
    b.link("PART_OF", k3, c2)
    branch3 = b.party("branch_k3", "compound_branch", f"{OTHER_COMMUNITY_CODE}-001", k3)
    b.post("post_branch_k3", "branch_secretary", f"{OTHER_COMMUNITY_CODE}-001", branch3)
    b.person("p_liu", "P-LX", "刘宪章", five_elder=True, party_member=True)
    b.link("HOLDS", b.nodes["p_liu"], b.nodes["post_branch_k3"], valid_from="2020-01-01")
    b4 = b.add(
        "b4",
        new_node(
            "Building",
            community_code=OTHER_COMMUNITY_CODE,
            compound_no="001",
            building_no="01",
            name="东方小区1号楼",
        ),
    )
    b.link("PART_OF", b4, k3)
    b.post("post_leader_b4", "building_leader", f"{OTHER_COMMUNITY_CODE}-001-01", b4)
    b.person("p_b4", "P-B4", "楼栋长丁(模拟)")
    b.link("HOLDS", b.nodes["p_b4"], b.nodes["post_leader_b4"])
    b.party("group_b4", "building_group", f"{OTHER_COMMUNITY_CODE}-001-01", b4)

    # The event catalogue: one handled type, one without a handler.
    cat = b.add("cat", new_node("EventCategory", code="C01", name="市容环境"))
    e1 = b.add(
        "e1", new_node("EventType", code="E0101", name="占道经营", response_level="community")
    )
    b.link("IN_CATEGORY", e1, cat)
    b.link("HANDLED_BY", e1, b.nodes["um"], role="key")
    b.link("HANDLED_BY", e1, b.nodes["mr"], role="n")
    e2 = b.add(
        "e2", new_node("EventType", code="E0102", name="楼道堆物", response_level="building")
    )
    b.link("IN_CATEGORY", e2, cat)

    b.write(store)
    return b


def build_synthetic_district(
    store: GraphStore,
    communities: int = 6,
    compounds_per: int = 4,
    buildings_per: int = 5,
    event_types: int = 6,
    seed: int = 7,
    missing: float = 0.2,
) -> Built:
    """A generated district (every record ``synthetic: True``) with links missing at random.

    Each building, compound and community loses each of its links with probability
    ``missing``; posts, pairings and contracts get validity periods around 2023-2024.
    """
    rng = random.Random(seed)
    b = Built()
    syn = {"synthetic": True}

    def maybe() -> bool:
        return rng.random() >= missing

    def period() -> dict[str, str]:
        choice = rng.randrange(3)
        if choice == 0:
            return {"valid_from": "2020-01-01"}
        if choice == 1:
            return {"valid_from": "2020-01-01", "valid_to": "2023-12-31"}
        return {"valid_from": "2024-01-01"}

    district = b.add("district", new_node("District", division_code="410611", name="淇滨区"))
    group = b.add("group", new_node("LeadingGroup", code="LG01", name="领导小组", **syn))
    b.link("COVERS", group, district)
    head = b.post("post_group_head", "leading_group_head", "LG01", group)
    b.link("HOLDS", b.person("p_lg", "SP-LG", "组长", **syn), head)
    b.party("dc", "district_committee", "410611", district)
    departments = []
    for i, (_, code, name, function) in enumerate(KEY_UNITS):
        departments.append(
            b.add(
                f"key{i}",
                new_node("Department", code=code, name=name, function=function, key_unit=True),
            )
        )
    for i in range(8):
        dept = b.add(
            f"dept{i}",
            new_node(
                "Department",
                code=f"SD-{i:02d}",
                name=f"区直单位{i}",
                function="general",
                key_unit=False,
                **syn,
            ),
        )
        departments.append(dept)
    for dept in departments:
        b.link("DEPARTMENT_OF", dept, district)
        if maybe():
            post = b.post(f"head_{dept.id}", "department_head", dept.get("code"), dept)
            b.link(
                "HOLDS",
                b.person(f"p_{dept.id}", f"SP-{dept.get('code')}", "单位负责人", **syn),
                post,
                **period(),
            )
    subs = []
    for s in range(2):
        sub = b.add(
            f"sub{s}",
            new_node("Subdistrict", division_code=f"41061100{s + 1}", name=f"街道{s + 1}"),
        )
        subs.append(sub)
        b.link("PART_OF", sub, district)
        if maybe():
            post = b.post(f"contact{s}", "district_contact_leader", sub.get("division_code"), sub)
            b.link("HOLDS", b.person(f"pc{s}", f"SP-C{s}", "联系领导", **syn), post)
        if maybe():
            b.party(f"wc{s}", "subdistrict_working_committee", sub.get("division_code"), sub)
    for c in range(communities):
        sub = subs[c % len(subs)]
        code = f"{sub.get('division_code')}{c + 1:03d}"
        comm = b.add(f"c{c}", new_node("Community", division_code=code, name=f"社区{c}", **syn))
        b.link("PART_OF", comm, sub)
        if maybe():
            b.link("PAIRED_WITH", rng.choice(departments), comm, **period())
        if maybe():
            b.party(f"big{c}", "community_big_committee", code, comm)
        for k in range(compounds_per):
            kno = f"{k + 1:03d}"
            comp = b.add(
                f"k{c}.{k}",
                new_node(
                    "Compound", community_code=code, compound_no=kno, name=f"小区{c}.{k}", **syn
                ),
            )
            b.link("PART_OF", comp, comm)
            roll = rng.random()
            if roll < 0.2:
                oc = b.add(
                    f"oc{c}.{k}",
                    new_node("OwnersCommittee", community_code=code, compound_no=kno, **syn),
                )
                b.link("MANAGES", oc, comp, **period())
            elif roll < 0.85:
                firm = b.add(
                    f"f{c}.{k}", new_node("PropertyFirm", uscc=f"91410611SYN{c:03d}{k:03d}", **syn)
                )
                b.link("MANAGES", firm, comp, **period())
            if maybe():
                branch = b.party(f"br{c}.{k}", "compound_branch", f"{code}-{kno}", comp)
                if maybe():
                    post = b.post(f"bs{c}.{k}", "branch_secretary", f"{code}-{kno}", branch)
                    b.link(
                        "HOLDS",
                        b.person(f"pb{c}.{k}", f"SP-B{c}.{k}", "书记", **syn),
                        post,
                        **period(),
                    )
            for n in range(buildings_per):
                bno = f"{n + 1:02d}"
                bld = b.add(
                    f"b{c}.{k}.{n}",
                    new_node(
                        "Building", community_code=code, compound_no=kno, building_no=bno, **syn
                    ),
                )
                b.link("PART_OF", bld, comp)
                if maybe():
                    post = b.post(f"bl{c}.{k}.{n}", "building_leader", f"{code}-{kno}-{bno}", bld)
                    person = b.person(f"pl{c}.{k}.{n}", f"SP-L{c}.{k}.{n}", "楼栋长", **syn)
                    b.link("HOLDS", person, post, **period())
                if maybe():
                    b.party(f"g{c}.{k}.{n}", "building_group", f"{code}-{kno}-{bno}", bld)
    levels = ("building", "compound", "community", "subdistrict", "district")
    for e in range(event_types):
        ev = b.add(
            f"e{e}",
            new_node(
                "EventType", code=f"SE{e:02d}", name=f"事件{e}", response_level=levels[e % 5], **syn
            ),
        )
        for dept in rng.sample(departments, rng.randrange(0, 3)):
            role = "key" if dept.get("key_unit") else "n"
            b.link("HANDLED_BY", ev, dept, role=role)
    b.write(store)
    return b
