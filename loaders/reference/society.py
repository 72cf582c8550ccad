"""Self-governance and social partners: property management, residents' committees, social
organisations, volunteer teams, co-construction units and their agreements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import Node
from loaders.reference import names, timeline
from loaders.reference.builder import DistrictBuild, split
from loaders.reference.figures import PROPERTY_FIRMS, generated
from loaders.reference.grids import Grid
from loaders.reference.timeline import (
    CHANGE_COUNTS,
    EARLIEST_AGREEMENT,
    HISTORY_END,
    REPORT_DAY,
    add_days,
    day_before,
    random_day,
    terms,
)
from schema.vocab import AgreementRole, CommitteeType, SocialOrgType, UnitType


@dataclass
class Society:
    owners_committee: dict[str, Node] = field(default_factory=dict)  # compound id ->
    residents_committee: dict[str, Node] = field(default_factory=dict)  # community id ->


def build_property_management(b: DistrictBuild, grid: Grid, society: Society) -> None:
    """Firms manage compounds under contracts; 70 compounds are managed by their owners.

    Contracts are planned first (firm, compound, period), so that a firm managing a red
    property point is created already marked as red property.
    """
    firm_names = names.unique_names(
        b.rng, names.FIRM_WORDS, PROPERTY_FIRMS, f"{b.city}{{}}物业服务有限公司"
    )
    weights = [b.rng.paretovariate(1.5) for _ in firm_names]
    firm_managed = [c for c in grid.compounds if c.props["management_mode"] != "owners"]
    owner_managed = [c for c in grid.compounds if c.props["management_mode"] == "owners"]
    owner_ids = {c.id for c in owner_managed}
    takeover = {c.id for c in b.sample(owner_managed, CHANGE_COUNTS["owners_takeover"])}
    switch = {c.id for c in b.sample(firm_managed, CHANGE_COUNTS["firm_change"])}
    extra = b.sample(firm_managed, 90)
    extra_committees = {c.id for c in extra}
    hired = {
        c.id
        for c in b.sample([c for c in extra if c.id not in switch], CHANGE_COUNTS["firm_hired"])
    }
    contracts: list[tuple[int, Node, str, str]] = []  # firm index, compound, from, to
    self_managed: list[tuple[Node, str, str | None]] = []

    def contract_end(start: str) -> str:  # contracts run to the end of a year, 1 to 4 on
        return f"{int(start[:4]) + b.rng.randint(1, 4)}-12-31"

    def firm_terms(firm: int, compound: Node, start: str, stop: str = HISTORY_END) -> None:
        for valid_from, valid_to in terms(start, contract_end, stop):
            contracts.append((firm, compound, valid_from, min(valid_to, stop)))

    for compound in grid.compounds:
        start = random_day(b.rng, "2018-01-01", timeline.REPORT_DAY)
        firm = b.rng.choices(range(len(firm_names)), weights=weights)[0]
        if compound.id in owner_ids:
            if compound.id in takeover:
                firm_terms(firm, compound, start, day_before(timeline.OWNERS_TAKEOVER_DAY))
                start = timeline.OWNERS_TAKEOVER_DAY
            self_managed.append((compound, start, None))
            continue
        if compound.id in hired:
            self_managed.append((compound, start, day_before(timeline.FIRM_HIRED_DAY)))
            start = timeline.FIRM_HIRED_DAY
        if compound.id in switch:
            firm_terms(firm, compound, start, day_before(timeline.FIRM_CHANGE_DAY))
            firm = b.rng.choice([i for i in range(len(firm_names)) if i != firm])
            start = timeline.FIRM_CHANGE_DAY
        firm_terms(firm, compound, start)
    current = {c.id: f for f, c, _, _ in contracts if c.id not in owner_ids}  # last one wins
    red = {
        f
        for cid, f in current.items()
        if cid in {c.id for c in firm_managed if c.props.get("red_property")}
    }
    firms = [
        b.node("PropertyFirm", uscc=b.uscc("9", "1"), name=n, red_property=i in red)
        for i, n in enumerate(firm_names)
    ]
    for compound in grid.compounds:
        if compound.id in owner_ids or compound.id in extra_committees:
            _owners_committee(b, compound, society)
    for firm_index, compound, valid_from, valid_to in contracts:
        b.rel(
            "MANAGES",
            firms[firm_index],
            compound,
            valid_from=valid_from,
            valid_to=valid_to,
            contract_no=f"WY-{b.code}-{b.next('contract'):05d}",
        )
    for compound, since, until in self_managed:
        committee = society.owners_committee[compound.id]
        b.rel("MANAGES", committee, compound, valid_from=since, valid_to=until)


def _owners_committee(b: DistrictBuild, compound: Node, society: Society) -> Node:
    committee = b.node(
        "OwnersCommittee",
        community_code=compound.props["community_code"],
        compound_no=compound.props["compound_no"],
        name=f"{compound.name}业主委员会",
        red=bool(compound.props.get("red_property"))
        and compound.props["management_mode"] == "owners",
    )
    society.owners_committee[compound.id] = committee
    b.rel("COVERS", committee, compound)
    return committee


def build_residents_committees(b: DistrictBuild, grid: Grid, society: Society) -> None:
    """A residents' committee per community; 133 sub-committees in 27 communities."""
    for c in grid.communities:
        rc = b.node(
            "ResidentsCommittee",
            community_code=c.props["division_code"],
            committee_type=CommitteeType.RESIDENTS_COMMITTEE.value,
            name=f"{c.name}居民委员会",
            aliases=[f"{c.name}居委会"],
        )
        society.residents_committee[c.id] = rc
        b.rel("COVERS", rc, c)
    kinds = [t for t in CommitteeType if t is not CommitteeType.RESIDENTS_COMMITTEE]
    zh = {
        CommitteeType.MEDIATION: "人民调解委员会", CommitteeType.SECURITY: "治安保卫委员会",
        CommitteeType.SOCIAL_SECURITY: "社会保障委员会",
        CommitteeType.PUBLIC_HEALTH: "公共卫生委员会",
        CommitteeType.ENVIRONMENT_PROPERTY: "环境和物业管理委员会",
        CommitteeType.WOMEN_CHILDREN: "妇女和儿童工作委员会",
        CommitteeType.CULTURE_EDUCATION: "文化教育委员会", CommitteeType.ELDERLY: "养老服务委员会",
    }  # fmt: skip
    chosen = b.sample(grid.communities, generated("communities_with_subcommittees"))
    counts = split(
        b.rng, generated("residents_subcommittees"), len(chosen), minimum=3, maximum=len(kinds)
    )
    for community, count in zip(chosen, counts, strict=True):
        first = [CommitteeType.MEDIATION, CommitteeType.SECURITY, CommitteeType.SOCIAL_SECURITY]
        rest = b.sample([k for k in kinds if k not in first], count - len(first))
        for kind in first + rest:
            sub = b.node(
                "ResidentsCommittee",
                community_code=community.props["division_code"],
                committee_type=kind.value,
                name=f"{community.name}{zh[kind]}",
            )
            b.rel("SUBORDINATE_TO", sub, society.residents_committee[community.id])


def build_social_organisations(b: DistrictBuild, grid: Grid) -> None:
    """109 registered organisations, 5 social-work stations, 136 community organisations in 29
    communities, 100+ vanguard teams."""
    registered = names.unique_names(
        b.rng,
        names.SOCIAL_ORG_WORDS,
        generated("registered_social_organisations"),
        f"{b.name}{{}}协会",
    )
    for name in registered:
        org = b.node(
            "SocialOrganization",
            code=b.uscc("5", b.rng.choice("12")),
            name=name,
            org_type=SocialOrgType.REGISTERED.value,
            registered_on=random_day(b.rng, "2019-01-01", REPORT_DAY),
        )
        b.rel(
            "ACTIVE_IN",
            org,
            b.rng.choice([grid.district, *grid.subdistricts]),
            valid_from=org.props["registered_on"],
        )
    for sd in grid.subdistricts:
        station = b.node(
            "SocialOrganization",
            code=f"{sd.props['division_code']}-SWS",
            name=f"{sd.name}社工服务站",
            org_type=SocialOrgType.SOCIAL_WORK_STATION.value,
        )
        b.rel("ACTIVE_IN", station, sd)
    hosts = b.sample(grid.communities, generated("communities_with_social_organisations"))
    per_host = split(b.rng, generated("community_social_organisations"), len(hosts), minimum=2)
    for community, count in zip(hosts, per_host, strict=True):
        form = f"{community.name}{{}}" + b.rng.choice(names.COMMUNITY_ORG_FORMS)[2:]
        org_names = names.unique_names(b.rng, names.SOCIAL_ORG_WORDS, count, form)
        for name in org_names:
            org = b.node(
                "SocialOrganization",
                code=f"{b.code}-SO{b.next('so'):05d}",
                name=name,
                org_type=SocialOrgType.COMMUNITY.value,
            )
            b.rel("ACTIVE_IN", org, community)
    _vanguard_teams(b, grid)


def _vanguard_teams(b: DistrictBuild, grid: Grid) -> None:
    count = generated("vanguard_teams")
    real = list(names.VANGUARD_TEAMS) if b.real else []
    made = names.unique_names(b.rng, names.TEAM_WORDS, count - len(real), "{}先锋队")
    for i, name in enumerate(real + made):
        team = b.node(
            "SocialOrganization",
            synthetic=i >= len(real),
            code=f"{b.code}-SO{b.next('so'):05d}",
            name=name,
            aliases=[f"{name}先锋团队"] if i < len(real) else None,
            org_type=SocialOrgType.VANGUARD_TEAM.value,
        )
        b.rel("ACTIVE_IN", team, b.rng.choice(grid.communities))


def build_volunteer_teams(b: DistrictBuild, grid: Grid) -> None:
    """1,000+ volunteer teams, three of them named by the seed."""
    real = list(names.VOLUNTEER_TEAMS) if b.real else []
    for i in range(generated("volunteer_teams")):
        where = (
            b.rng.choice(grid.communities)
            if b.rng.random() < 0.9
            else b.rng.choice(grid.subdistricts)
        )
        if i < len(real):
            name, aliases = f"{real[i]}志愿服务队", [real[i]]
        else:
            word = b.rng.choice(names.TEAM_WORDS)
            name, aliases = f"{where.name}{word}{b.rng.choice(names.TEAM_SUFFIXES)}", None
        team = b.node(
            "VolunteerTeam",
            synthetic=i >= len(real),
            code=f"{b.code}-VT{i + 1:05d}",
            name=name,
            aliases=aliases,
            theme=b.rng.choice(names.TOPICS),
            members=b.rng.randint(8, 120),
        )
        b.rel("ACTIVE_IN", team, where, valid_from=random_day(b.rng, "2019-01-01", REPORT_DAY))


def build_partners(b: DistrictBuild, grid: Grid) -> None:
    """500+ outside units in co-construction agreements with the 5 subdistricts and 41 urban
    communities, and the university's agreement with the district."""
    units = _units(b)
    territories: list[Node] = [*grid.subdistricts, *grid.urban_communities]
    b.rng.shuffle(units)
    pools: dict[str, list[Node]] = {t.id: [] for t in territories}
    for i, unit in enumerate(units):
        pools[territories[i % len(territories)].id].append(unit)
    brand_homes = b.sample(grid.urban_communities, len(names.BRANDS)) if b.real else []
    brands = {c.id: brand for c, brand in zip(brand_homes, names.BRANDS, strict=False)}
    for territory in territories:
        pool = pools[territory.id]
        b.rng.shuffle(pool)
        while pool:
            size = min(len(pool), b.rng.choice((1, 1, 1, 2, 2, 3)))
            parties, pool = pool[:size], pool[size:]
            if b.rng.random() < 0.15:  # a partner shared with another territory
                parties.append(b.rng.choice(units))
            _agreement(b, territory, parties, brands.pop(territory.id, None))
    _university(b, grid)


def _units(b: DistrictBuild) -> list[Node]:
    total = generated("partner_units")
    n_gov, n_inst = round(total * 0.12), round(total * 0.2)
    gov_forms = ("{c}{w}局", "{c}{w}中心", "{c}{w}站", "{c}{w}所", "{d}{w}分局")
    gov = _combos(b, gov_forms, names.GOVERNMENT_WORDS, n_gov)
    inst_words = tuple(str(n) for n in range(1, 41))
    inst = _combos(b, ("{d}第{w}小学", "{c}第{w}中学", "{d}第{w}幼儿园"), inst_words, n_inst - 15)
    inst += _combos(b, ("{c}{w}",), names.INSTITUTION_WORDS, 15)
    firm_words = tuple(
        a + z
        for a in names.FIRM_WORDS
        for z in (
            "商贸",
            "建设",
            "物流",
            "食品",
            "科技",
            "电气",
            "医药",
            "置业",
            "能源",
            "传媒",
            "餐饮",
            "保险",
        )
    )
    ent = _combos(b, ("{c}{w}有限公司", "河南{w}股份有限公司"), firm_words, total - n_gov - n_inst)
    out: list[Node] = []
    for unit_names, unit_type, authority, category in (
        (gov, UnitType.GOVERNMENT, "1", "1"),
        (inst, UnitType.INSTITUTION, "1", "2"),
        (ent, UnitType.ENTERPRISE, "9", "1"),
    ):
        for name in unit_names:
            out.append(
                b.node(
                    "Unit", uscc=b.uscc(authority, category), name=name, unit_type=unit_type.value
                )
            )
    return out


def _combos(
    b: DistrictBuild, forms: tuple[str, ...], words: tuple[str, ...], count: int
) -> list[str]:
    every = sorted({f.format(c=b.city, d=b.name, w=w) for f in forms for w in words})
    if count > len(every):
        raise ValueError(f"only {len(every)} names for {count} units")
    return b.sample(every, count)


def _agreement(b: DistrictBuild, territory: Node, partners: list[Node], brand: str | None) -> None:
    """One co-construction agreement and its renewals: the first signed on or before the
    report's day, each term one to five years, each renewal a new agreement (a new number)
    signed a few weeks before the last one lapses, until after ``HISTORY_END``."""
    first = random_day(b.rng, EARLIEST_AGREEMENT, add_days(REPORT_DAY, -60))
    topics = b.sample(list(names.TOPICS), b.rng.randint(1, 3))
    if brand:
        topics.insert(0, brand)
    role = AgreementRole.SUBDISTRICT if territory.kind == "Subdistrict" else AgreementRole.COMMUNITY
    parties = list({u.id: u for u in partners}.values())
    for k, (start, end) in enumerate(
        terms(first, lambda day: add_days(day, b.rng.randint(365, 5 * 365)), HISTORY_END)
    ):
        n = b.next("agreement")
        agreement = b.node(
            "Agreement",
            code=f"GJ-{b.code}-{n:05d}",
            name=f"{territory.name}联建共建协议{n}",
            signed_on=start if k == 0 else add_days(start, -b.rng.randint(7, 45)),
            valid_from=start,
            valid_to=end,
            topics=topics,
        )
        b.rel("PARTY_TO", territory, agreement, role=role.value, valid_from=start, valid_to=end)
        for unit in parties:
            b.rel(
                "PARTY_TO",
                unit,
                agreement,
                role=AgreementRole.PARTNER.value,
                valid_from=start,
                valid_to=end,
            )


def _university(b: DistrictBuild, grid: Grid) -> None:
    name = names.UNIVERSITY_NAME if b.real else f"{b.city}模拟大学社会事业学院"
    uni = b.node(
        "Unit",
        synthetic=False,
        uscc=b.uscc("1", "2"),
        name=name,
        aliases=list(names.UNIVERSITY_ALIASES) if b.real else None,
        unit_type=UnitType.UNIVERSITY.value,
    )
    start, end = "2021-09-01", "2036-08-31"  # a framework agreement for 15 years
    agreement = b.node(
        "Agreement",
        synthetic=False,
        code=f"GJ-{b.code}-U001",
        name=f"{b.name}与{name}校地共建协议",
        signed_on=start,
        valid_from=start,
        valid_to=end,
        topics=["校地共建协同创新", "社会工作专业实习"],
        masters_interns=generated("university_masters_interns"),
        undergraduate_interns=generated("university_undergraduate_interns"),
    )
    b.rel(
        "PARTY_TO",
        grid.district,
        agreement,
        role=AgreementRole.DISTRICT.value,
        valid_from=start,
        valid_to=end,
    )
    b.rel(
        "PARTY_TO", uni, agreement, role=AgreementRole.PARTNER.value, valid_from=start, valid_to=end
    )
