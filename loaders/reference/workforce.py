"""The grid force: 8,400+ grid workers, community police officers and legal advisers.

One grid_worker Post per community grid and per compound grid, held by several people (each
HOLDS carries ``drawn_from``): at the community, staff of the paired department, of the
subdistrict and of the community, the community police officer and the legal adviser; at the
compound, residents, owners' committee members and property firm staff. A grid worker plays all
eight roles (八大员), so every grid_worker Post lists them.
"""

from __future__ import annotations

from graph.model import Node
from loaders.reference.builder import DistrictBuild, split
from loaders.reference.figures import generated
from loaders.reference.governance import Governance
from loaders.reference.grids import Grid
from loaders.reference.society import Society
from loaders.reference.timeline import REPORT_DAY, random_day
from schema.vocab import DepartmentFunction, GridWorkerRole, PostType

ROLES = [r.value for r in GridWorkerRole]
# At each community grid: (drawn_from, how many)
COMMUNITY_FORCE = (
    ("police", 1),
    ("legal_adviser", 1),
    ("department", 3),
    ("subdistrict", 2),
    ("community", 3),
)


def build_workforce(b: DistrictBuild, grid: Grid, gov: Governance, society: Society) -> None:
    police = gov.by_function[DepartmentFunction.PUBLIC_SECURITY.value]
    per_community = sum(n for _, n in COMMUNITY_FORCE)
    for community in grid.communities:
        _community_force(b, grid, gov, society, community, police)
    at_compounds = generated("grid_workers") - per_community * len(grid.communities)
    sizes = [float(len(grid.children[c.id])) for c in grid.compounds]
    counts = split(b.rng, at_compounds, len(grid.compounds), minimum=5, weights=sizes)
    for compound, count in zip(grid.compounds, counts, strict=True):
        _compound_force(b, society, compound, count)


def _community_force(
    b: DistrictBuild, grid: Grid, gov: Governance, society: Society, community: Node, police: Node
) -> None:
    post = b.post(PostType.GRID_WORKER, community, roles=ROLES)
    pairings = gov.pairings[community.id]
    for source, count in COMMUNITY_FORCE:
        for _ in range(count):
            start = random_day(b.rng, "2021-06-01", REPORT_DAY)
            if source == "department":  # staff of each paired department, period by period
                for dept, dept_from, dept_to in pairings:
                    since = max(start, dept_from)
                    person = b.person()
                    b.hold(person, post, since, dept_to, drawn_from=source)
                    b.rel("MEMBER_OF", person, dept, valid_from=since, valid_to=dept_to)
                continue
            person = b.person()
            b.hold(person, post, start, drawn_from=source)
            if source == "police":
                b.hold(person, b.post(PostType.POLICE_OFFICER, community), start)
                b.rel("MEMBER_OF", person, police, valid_from=start)
            elif source == "legal_adviser":
                b.hold(person, b.post(PostType.LEGAL_ADVISER, community), start)
            elif source == "community":
                b.rel(
                    "MEMBER_OF", person, society.residents_committee[community.id], valid_from=start
                )


def _compound_force(b: DistrictBuild, society: Society, compound: Node, count: int) -> None:
    post = b.post(PostType.GRID_WORKER, compound, roles=ROLES)
    owners = compound.props["management_mode"] == "owners"
    has_committee = compound.id in society.owners_committee
    for _ in range(count):
        draw = b.rng.random()
        if draw < 0.15 and has_committee:
            source = "owners_committee"
        elif draw > 0.8 and not owners:
            source = "property_firm"
        else:
            source = "residents"
        person = b.person()
        b.hold(person, post, random_day(b.rng, "2021-06-01", REPORT_DAY), drawn_from=source)
        if source == "owners_committee":
            b.rel(
                "MEMBER_OF", person, society.owners_committee[compound.id], valid_from="2021-06-01"
            )
