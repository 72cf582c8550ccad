"""Who leads each grid: the leading group, departments and their pairings, the party
organisation at five levels, and the posts people hold (Popolo: Person HOLDS Post POST_IN org).

The seed's rules, as built here:
- the head of the department paired with a community is its community grid leader and, in an
  urban community, the first secretary of its big party committee (one person, three posts);
- a district leader contacts each of the five grid subdistricts;
- 167 compound branches (in urban communities), 46 of their secretaries five elders;
- building leaders in 1,589 of the 2,988 buildings, mostly party members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import Node
from loaders.reference import names, timeline
from loaders.reference.builder import DistrictBuild
from loaders.reference.departments import DEPARTMENTS, is_key, short_names
from loaders.reference.figures import generated
from loaders.reference.grids import Grid
from loaders.reference.timeline import CHANGE_COUNTS, day_before, random_day
from schema.vocab import DepartmentFunction, PartyLevel, PostType

Period = tuple[Node, str, str | None]  # (who, valid_from, valid_to)


@dataclass
class Governance:
    leading_group: Node | None = None
    district_committee: Node | None = None
    departments: list[Node] = field(default_factory=list)
    by_function: dict[str, Node] = field(default_factory=dict)
    heads: dict[str, list[Period]] = field(default_factory=dict)  # department id -> heads
    pairings: dict[str, list[Period]] = field(default_factory=dict)  # community id -> depts
    working_committee: dict[str, Node] = field(default_factory=dict)  # subdistrict id ->
    big_committee: dict[str, Node] = field(default_factory=dict)  # community id ->
    branch: dict[str, Node] = field(default_factory=dict)  # compound id ->


def overlap(a: tuple[str, str | None], b: tuple[str, str | None]) -> tuple[str, str | None] | None:
    """The common part of two periods with open ends, or None."""
    start = max(a[0], b[0])
    ends = [e for e in (a[1], b[1]) if e is not None]
    end = min(ends) if ends else None
    return (start, end) if end is None or start <= end else None


def build_governance(b: DistrictBuild, grid: Grid) -> Governance:
    gov = Governance()
    _leadership(b, grid, gov)
    _departments(b, gov, grid)
    _pairings(b, grid, gov)
    _big_committees(b, grid, gov)
    _branches(b, grid, gov)
    _building_leaders(b, grid, gov)
    return gov


def _leadership(b: DistrictBuild, grid: Grid, gov: Governance) -> None:
    """The leading group, the district committee, working committees, contacting leaders."""
    lg = b.node(
        "LeadingGroup",
        synthetic=False,
        code=f"{b.code}-LG",
        name=names.LEADING_GROUP_NAME if b.real else f"{b.name}网格化社会治理领导小组",
        aliases=["网格化社会治理领导小组"],
    )
    gov.leading_group = lg
    b.rel("COVERS", lg, grid.district)
    head = b.person(party_member=True)
    b.hold(head, b.post(PostType.LEADING_GROUP_HEAD, lg), valid_from="2021-03-01")
    b.rel("MEMBER_OF", head, lg, valid_from="2021-03-01")
    committee = b.node(
        "PartyOrganization",
        synthetic=False,
        level=PartyLevel.DISTRICT_COMMITTEE.value,
        code=b.code,
        name=f"中共{b.city}{b.name}委员会",
        aliases=[f"{b.name}委"],
    )
    b.rel("COVERS", committee, grid.district)
    gov.district_committee = committee
    for sd in grid.subdistricts:
        leader = b.person(party_member=True)
        start = random_day(b.rng, "2021-03-01", "2021-06-01")
        b.hold(leader, b.post(PostType.DISTRICT_CONTACT_LEADER, sd), valid_from=start)
        b.rel("MEMBER_OF", leader, lg, valid_from=start)
        wc = b.node(
            "PartyOrganization",
            level=PartyLevel.SUBDISTRICT_WORKING_COMMITTEE.value,
            code=sd.props["division_code"],
            name=f"中共{sd.name}工作委员会",
            aliases=[f"{sd.name}党工委"],
        )
        gov.working_committee[sd.id] = wc
        b.rel("SUBORDINATE_TO", wc, committee)
        b.rel("COVERS", wc, sd)


def _departments(b: DistrictBuild, gov: Governance, grid: Grid) -> None:
    advanced = set(b.sample(list(range(len(DEPARTMENTS))), 9))
    for i, (suffix, function) in enumerate(DEPARTMENTS):
        real = function is DepartmentFunction.GRID_GOVERNANCE
        dept = b.node(
            "Department",
            synthetic=not real,
            code=f"{b.code}-D{i + 1:02d}",
            name=names.GRID_BUREAU_NAME if real and b.real else f"{b.name}{suffix}",
            aliases=short_names(function),
            function=function.value,
            key_unit=is_key(function),
            uscc=b.uscc("1", "1"),
            rating="先进" if i in advanced else None,
        )
        gov.departments.append(dept)
        gov.by_function.setdefault(function.value, dept)
        b.rel("DEPARTMENT_OF", dept, grid.district)
        if real:
            assert gov.leading_group is not None
            b.rel("SUBORDINATE_TO", dept, gov.leading_group)
        head = b.person(party_member=True)
        gov.heads[dept.id] = [(head, random_day(b.rng, "2018-01-01", "2021-05-31"), None)]


def _pairings(b: DistrictBuild, grid: Grid, gov: Governance) -> None:
    """Each department paired with one or two communities; some pairings and heads change."""
    depts = list(gov.departments)
    b.rng.shuffle(depts)
    extra = b.sample(depts, len(grid.communities) - len(depts))
    order = depts + extra
    start = timeline.MECHANISM_START
    for community, dept in zip(grid.communities, order, strict=True):
        gov.pairings[community.id] = [(dept, start, None)]
    changed = b.sample(grid.urban_communities[3:], CHANGE_COUNTS["repairing"])
    for community in changed:
        old = gov.pairings[community.id][0][0]
        new = b.rng.choice([d for d in gov.departments if d.id != old.id])
        gov.pairings[community.id] = [
            (old, start, day_before(timeline.REPAIRING_DAY)),
            (new, timeline.REPAIRING_DAY, None),
        ]
    changed_ids = {c.id for c in changed}
    steady = [gov.pairings[c.id][0][0] for c in grid.communities if c.id not in changed_ids]
    _head_change(b, gov, b.rng.choice(sorted(steady, key=lambda d: d.id)))
    for dept in gov.departments:
        post = b.post(PostType.DEPARTMENT_HEAD, dept)
        for person, valid_from, valid_to in gov.heads[dept.id]:
            b.hold(person, post, valid_from, valid_to)
            b.rel("MEMBER_OF", person, dept, valid_from=valid_from, valid_to=valid_to)
    for community in grid.communities:
        for dept, valid_from, valid_to in gov.pairings[community.id]:
            b.rel("PAIRED_WITH", dept, community, valid_from=valid_from, valid_to=valid_to)
        post = b.post(PostType.COMMUNITY_GRID_LEADER, community)
        _hold_as_head(b, gov, community, post)


def _head_change(b: DistrictBuild, gov: Governance, dept: Node) -> None:
    old, valid_from, _ = gov.heads[dept.id][0]
    new = b.person(party_member=True)
    gov.heads[dept.id] = [
        (old, valid_from, day_before(timeline.HEAD_CHANGE_DAY)),
        (new, timeline.HEAD_CHANGE_DAY, None),
    ]


def _hold_as_head(b: DistrictBuild, gov: Governance, community: Node, post: Node) -> None:
    """The post is held by whoever heads the paired department, period by period."""
    for dept, p_from, p_to in gov.pairings[community.id]:
        for head, h_from, h_to in gov.heads[dept.id]:
            common = overlap((p_from, p_to), (h_from, h_to))
            if common is not None:
                b.hold(head, post, common[0], common[1], drawn_from="department")


def _big_committees(b: DistrictBuild, grid: Grid, gov: Governance) -> None:
    for community in grid.urban_communities:
        big = b.node(
            "PartyOrganization",
            level=PartyLevel.COMMUNITY_BIG_COMMITTEE.value,
            code=community.props["division_code"],
            name=f"{community.name}大党委",
            aliases=[f"中共{community.name}委员会"],
        )
        gov.big_committee[community.id] = big
        b.rel("SUBORDINATE_TO", big, gov.working_committee[grid.parent[community.id].id])
        b.rel("COVERS", big, community)
        _hold_as_head(b, gov, community, b.post(PostType.FIRST_SECRETARY, big))


def _branches(b: DistrictBuild, grid: Grid, gov: Governance) -> None:
    """167 branches in compounds of urban communities; secretaries, compound grid leaders."""
    urban = {c.id for c in grid.urban_communities}
    candidates = [c for c in grid.compounds if grid.parent[c.id].id in urban]
    with_branch = sorted(b.sample(candidates, generated("compound_branches")), key=lambda n: n.id)
    elders = b.sample(with_branch, generated("five_elder_secretaries"))
    elder_ids = {c.id for c in elders}
    others = [c for c in with_branch if c.id not in elder_ids]
    replaced = {c.id for c in b.sample(others, CHANGE_COUNTS["secretary_change"])}
    five_star = {c.id for c in b.sample(with_branch, generated("provincial_five_star_branches"))}
    real_elders = list(names.FIVE_ELDERS) if b.real else []
    for compound in with_branch:
        branch = b.node(
            "PartyOrganization",
            level=PartyLevel.COMPOUND_BRANCH.value,
            code=f"{compound.props['community_code']}-{compound.props['compound_no']}",
            name=f"{compound.name}党支部",
            honours=[names.HONOUR_FIVE_STAR] if compound.id in five_star else None,
        )
        gov.branch[compound.id] = branch
        community = grid.parent[compound.id]
        b.rel("SUBORDINATE_TO", branch, gov.big_committee[community.id])
        b.rel("COVERS", branch, compound)
        periods = _secretaries(b, compound, elder_ids, replaced, real_elders)
        post = b.post(PostType.BRANCH_SECRETARY, branch)
        leader_post = b.post(PostType.COMPOUND_GRID_LEADER, compound)
        for person, valid_from, valid_to in periods:
            b.hold(person, post, valid_from, valid_to)
            b.hold(person, leader_post, valid_from, valid_to, drawn_from="residents")
            b.rel("MEMBER_OF", person, branch, valid_from=valid_from, valid_to=valid_to)
    for compound in grid.compounds:
        if compound.id in gov.branch:
            continue
        owners = compound.props["management_mode"] == "owners"
        leader = b.person()
        b.hold(
            leader,
            b.post(PostType.COMPOUND_GRID_LEADER, compound),
            random_day(b.rng, "2021-06-01", timeline.REPORT_DAY),
            drawn_from="owners_committee" if owners else "property_firm",
        )


def _secretaries(
    b: DistrictBuild, compound: Node, elders: set[str], replaced: set[str], real_elders: list[str]
) -> list[Period]:
    start = random_day(b.rng, "2020-01-01", "2023-06-30")
    if compound.id in elders:
        if real_elders:
            person = b.person(
                name=real_elders.pop(0), party_member=True, five_elder=True, synthetic=False
            )
        else:
            person = b.person(party_member=True, five_elder=True)
        return [(person, start, None)]
    first = b.person(party_member=True, five_elder=False)
    if compound.id not in replaced:
        return [(first, start, None)]
    second = b.person(party_member=True, five_elder=False)
    day = timeline.SECRETARY_CHANGE_DAY
    return [(first, start, day_before(day)), (second, day, None)]


def _building_leaders(b: DistrictBuild, grid: Grid, gov: Governance) -> None:
    """Building leader posts in every building, held in 1,589; building party groups."""
    led = b.sample(grid.buildings, generated("building_leaders"))
    led_ids = {x.id for x in led}
    party = {x.id for x in b.sample(led, generated("building_leaders_party_members"))}
    replaced = {x.id for x in b.sample(led, CHANGE_COUNTS["leader_election"])}
    new_list = b.sample([x for x in led if x.id not in replaced], CHANGE_COUNTS["new_leaders"])
    newcomers = {x.id for x in new_list}
    vacant = [x for x in grid.buildings if x.id not in led_ids]
    left_list = b.sample(vacant, CHANGE_COUNTS["leaders_left"])
    # Those who left were party members as often as the newcomers who made up for them, so
    # the seed's figures hold before the leaders left and after the newcomers started.
    left = {x.id: y.id in party for x, y in zip(left_list, new_list, strict=True)}
    current: dict[str, tuple[Node, str]] = {}
    for building in grid.buildings:
        post = b.post(PostType.BUILDING_LEADER, building)
        start = random_day(b.rng, "2019-06-01", timeline.REPORT_DAY)
        if building.id in left:
            leaver = b.person(party_member=left[building.id])
            b.hold(leaver, post, start, timeline.LEADERS_LEFT_DAY, drawn_from="residents")
        if building.id not in led_ids:
            continue
        if building.id in replaced:
            b.hold(
                b.person(party_member=building.id in party),
                post,
                start,
                day_before(timeline.LEADER_ELECTION_DAY),
                drawn_from="residents",
            )
            start = timeline.LEADER_ELECTION_DAY
        elif building.id in newcomers:
            start = timeline.NEW_LEADERS_DAY
        leader = b.person(party_member=building.id in party)
        b.hold(leader, post, start, drawn_from="residents")
        current[building.id] = (leader, start)
    eligible = [x for x in led if x.id in party and grid.parent[x.id].id in gov.branch]
    for building in sorted(
        b.sample(eligible, generated("building_party_groups")), key=lambda n: n.id
    ):
        group = b.node(
            "PartyOrganization",
            level=PartyLevel.BUILDING_GROUP.value,
            code=building.id.split(":", 1)[1],
            name=f"{building.name}党小组",
        )
        b.rel("SUBORDINATE_TO", group, gov.branch[grid.parent[building.id].id])
        b.rel("COVERS", group, building)
        leader, start = current[building.id]
        b.hold(leader, b.post(PostType.GROUP_LEADER, group), max(start, "2022-01-01"))
