"""The five-level grid: district, subdistricts, communities, compounds, buildings, facilities.

Shape (Qibin): 10 towns and subdistricts, of which the 5 urban subdistricts run grid service
centres and hold all 56 communities (41 urban + 15 village-to-residence); 312 compounds;
2,988 buildings. The towns carry no communities here: the seed's grid system is urban.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import Node
from loaders.reference import names
from loaders.reference.builder import DistrictBuild, split
from loaders.reference.figures import (
    URBAN_SUBDISTRICT_COMMUNITIES,
    VTR_SUBDISTRICT_COMMUNITIES,
    generated,
)
from schema.vocab import FacilityType, ManagementMode


@dataclass
class Grid:
    """The grid tree of one district, with the parent of every grid for quick look-up."""

    district: Node
    subdistricts: list[Node] = field(default_factory=list)  # the 5 that run the grid
    towns: list[Node] = field(default_factory=list)
    communities: list[Node] = field(default_factory=list)
    compounds: list[Node] = field(default_factory=list)
    buildings: list[Node] = field(default_factory=list)
    parent: dict[str, Node] = field(default_factory=dict)
    children: dict[str, list[Node]] = field(default_factory=dict)

    def add(self, child: Node, parent: Node) -> None:
        self.parent[child.id] = parent
        self.children.setdefault(parent.id, []).append(child)

    @property
    def urban_communities(self) -> list[Node]:
        return [c for c in self.communities if c.props["community_type"] == "urban"]


def build_grid(b: DistrictBuild) -> Grid:
    district = _district(b)
    grid = Grid(district)
    _subdistricts(b, grid)
    _communities(b, grid)
    _compounds_and_buildings(b, grid)
    _facilities(b, grid)
    return grid


def _district(b: DistrictBuild) -> Node:
    return b.node(
        "District",
        synthetic=False,
        division_code=b.code,
        name=b.name,
        aliases=list(names.DISTRICT_ALIASES) if b.real else [f"Synthetic district {b.index}"],
        area_km2=335.0,
        population=550_000,
        administrative_villages=94,
        led_screens=25,
        service_kiosks=75,
        response_activations=21,
        response_days=350,
        proxy_service_kinds=5,
        hard_issues_coordinated=2000,
        red_property_subsidy_yuan=320_000,
        red_property_leveraged_yuan=6_000_000,
        major_matters_consulted=320,
        volunteer_activities=2800,
        commended_volunteers=360,
        joint_meetings=40,
        joint_activities=800,
    )


def _subdistricts(b: DistrictBuild, grid: Grid) -> None:
    populations = split(b.rng, 550_000, 10, minimum=20_000)
    for i, name in enumerate(names.URBAN_SUBDISTRICTS):
        sd = b.node(
            "Subdistrict",
            division_code=f"{b.code}{i + 1:03d}",
            name=name,
            subdistrict_type="subdistrict",
            runs_grid=True,
            population=populations[i],
        )
        grid.subdistricts.append(sd)
    for i, name in enumerate(names.TOWNS):
        town = b.node(
            "Subdistrict",
            division_code=f"{b.code}{101 + i:03d}",
            name=name,
            subdistrict_type="town",
            runs_grid=False,
            population=populations[5 + i],
        )
        grid.towns.append(town)
    for sd in grid.subdistricts + grid.towns:
        grid.add(sd, grid.district)
        b.rel("PART_OF", sd, grid.district)


def _communities(b: DistrictBuild, grid: Grid) -> None:
    urban_total = sum(URBAN_SUBDISTRICT_COMMUNITIES)
    vtr_total = sum(VTR_SUBDISTRICT_COMMUNITIES)
    urban_names = names.unique_names(
        b.rng, names.COMMUNITY_WORDS, urban_total, "{}社区", taken=set(names.REAL_COMMUNITIES)
    )
    if b.real:  # the three communities the seed names take the first three places
        urban_names[:3] = [names.LIYANG, names.DONGFANG, names.GUANJING]
    vtr_names = names.unique_names(b.rng, names.VILLAGE_WORDS, vtr_total, "{}社区")
    reps = split(b.rng, generated("resident_representatives"), urban_total, minimum=30)
    excellent = set(
        b.sample(list(range(3, urban_total)), generated("municipal_five_excellent_communities"))
    )
    projects = _demonstration_projects(b, urban_total)
    urban_i = vtr_i = 0
    for s, sd in enumerate(grid.subdistricts):
        number = 0
        for community_type, count in (
            ("urban", URBAN_SUBDISTRICT_COMMUNITIES[s]),
            ("village_to_residence", VTR_SUBDISTRICT_COMMUNITIES[s]),
        ):
            for _ in range(count):
                number += 1
                if community_type == "urban":
                    name, i = urban_names[urban_i], urban_i
                    urban_i += 1
                else:
                    name, i = vtr_names[vtr_i], -1
                    vtr_i += 1
                real = b.real and name in names.REAL_COMMUNITIES
                honours = list(names.REAL_COMMUNITIES[name]["honours"]) if real else []
                if i in excellent:
                    honours.append(names.HONOUR_FIVE_EXCELLENT)
                c = b.node(
                    "Community",
                    synthetic=not real,
                    division_code=f"{sd.props['division_code']}{number:03d}",
                    name=name,
                    aliases=[name.removesuffix("社区")] if name.endswith("社区") else None,
                    community_type=community_type,
                    population=b.rng.randint(4_000, 14_000),
                    honours=honours or None,
                    resident_representatives=reps[i] if i >= 0 else None,
                    demonstration_projects=projects.get(i),
                )
                grid.communities.append(c)
                grid.add(c, sd)
                b.rel("PART_OF", c, sd)


def _demonstration_projects(b: DistrictBuild, urban_total: int) -> dict[int, list[str]]:
    """13 projects: the two the seed names (Qibin only), the rest generated."""
    total = generated("demonstration_projects")
    out: dict[int, list[str]] = {}
    if b.real:
        out[1] = list(names.REAL_COMMUNITIES[names.DONGFANG]["projects"])
        out[2] = list(names.REAL_COMMUNITIES[names.GUANJING]["projects"])
    rest = total - len(out)
    places = b.sample([i for i in range(urban_total) if i not in out], rest)
    words = b.sample(list(names.PROJECT_WORDS), rest)
    for i, word in zip(places, words, strict=True):
        out[i] = [word]
    return out


def _compounds_and_buildings(b: DistrictBuild, grid: Grid) -> None:
    """312 compounds over the communities, 2,988 buildings over the compounds, traits chosen
    once per compound (owner management, red property points, smart security)."""
    weights = [3.0 if c.props["community_type"] == "urban" else 2.0 for c in grid.communities]
    per_community = split(
        b.rng, generated("compounds"), len(grid.communities), minimum=2, weights=weights
    )
    total = sum(per_community)
    sizes = split(
        b.rng,
        generated("buildings"),
        total,
        minimum=2,
        weights=[b.rng.lognormvariate(0, 0.45) for _ in range(total)],
    )
    indices = list(range(total))
    owners = set(b.sample(indices, generated("owner_managed_compounds")))
    red = b.sample(indices, generated("red_property_points"))
    red_city = set(red[: generated("red_property_city_points")])
    smart = set(b.sample(indices, generated("smart_security_compounds")))
    taken: set[str] = set()
    i = 0
    for community, count in zip(grid.communities, per_community, strict=True):
        for n in range(1, count + 1):
            _compound(
                b,
                grid,
                community,
                n,
                sizes[i],
                taken,
                owners=i in owners,
                red=("city" if i in red_city else "district") if i in red else None,
                smart=i in smart,
            )
            i += 1


def _compound(
    b: DistrictBuild,
    grid: Grid,
    community: Node,
    n: int,
    size: int,
    taken: set[str],
    *,
    owners: bool,
    red: str | None,
    smart: bool,
) -> None:
    if size > 99:
        raise ValueError("building numbers have two digits")
    if b.real and community.name == names.LIYANG and n == 1:
        name, aliases, synthetic = names.NINE_COURTYARDS[0], list(names.NINE_COURTYARDS[1]), False
    else:
        form = "{}" + b.rng.choice(names.COMPOUND_SUFFIXES)
        name = names.unique_names(b.rng, names.COMPOUND_WORDS, 1, form, taken)[0]
        aliases, synthetic = None, True
    floors = [b.rng.choice((5, 6, 6, 7, 11, 18, 26)) for _ in range(size)]
    households = [f * b.rng.choice((2, 3, 4)) * 2 for f in floors]
    mode = ManagementMode.OWNERS if owners else ManagementMode.PROPERTY_FIRM
    compound = b.node(
        "Compound",
        synthetic=synthetic,
        community_code=community.props["division_code"],
        compound_no=f"{n:03d}",
        name=name,
        aliases=aliases,
        households=sum(households),
        management_mode=mode.value,
        red_property=red,
        smart_security=smart,
    )
    grid.compounds.append(compound)
    grid.add(compound, community)
    b.rel("PART_OF", compound, community)
    for k in range(size):
        building = b.node(
            "Building",
            community_code=compound.props["community_code"],
            compound_no=compound.props["compound_no"],
            building_no=f"{k + 1:02d}",
            name=f"{name}{k + 1}号楼",
            floors=floors[k],
            households=households[k],
        )
        grid.buildings.append(building)
        grid.add(building, compound)
        b.rel("PART_OF", building, compound)


def _facilities(b: DistrictBuild, grid: Grid) -> None:
    """Service centres and stations, each COVERING the grids it serves."""

    def facility(ftype: FacilityType, code: str, name: str, covers: Node) -> None:
        f = b.node("ServiceFacility", code=code, name=name, facility_type=ftype.value)
        b.rel("COVERS", f, covers)

    facility(
        FacilityType.CITIZEN_SERVICE_CENTRE, f"{b.code}-CSC", f"{b.name}市民服务中心", grid.district
    )
    for sd in grid.subdistricts:
        code = sd.props["division_code"]
        facility(
            FacilityType.GRID_SERVICE_CENTRE, f"{code}-GSC", f"{sd.name}网格化社会治理服务中心", sd
        )
        facility(
            FacilityType.GOVERNMENT_SERVICE_CENTRE,
            f"{code}-OSC",
            f"{sd.name}一站式政务服务中心",
            sd,
        )
    for c in grid.communities:
        code = c.props["division_code"]
        facility(
            FacilityType.GRID_SERVICE_STATION, f"{code}-GSS", f"{c.name}网格化社会治理服务站", c
        )
    for c in grid.urban_communities:
        code = c.props["division_code"]
        facility(FacilityType.COMMUNITY_SERVICE_STATION, f"{code}-CSS", f"{c.name}便民服务站", c)
    for c in b.sample(grid.compounds, generated("doorstep_service_stations")):
        code = f"{c.props['community_code']}-{c.props['compound_no']}"
        facility(FacilityType.DOORSTEP_SERVICE_STATION, f"{code}-DSS", f"{c.name}家门口服务站", c)
