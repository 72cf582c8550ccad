"""Analytics over the store contract: counts per kind, type and grid level, and the domain
figures of the seed counted back from the graph.

Why count from the graph: the reference generator builds from its figures module, and these
functions count the same figures from nodes and relationships alone, so a test comparing the
two checks the graph, not a copy of the numbers. Only the contract is used (``counts``,
``iter_nodes``, ``iter_relationships``), so every store gives the same answer. Time-bound
figures (posts held, pairings, property contracts) are counted as of a day, today by default.

Examples
--------
>>> from graph.memory import MemoryStore
>>> from graph.model import Relationship, new_node
>>> store = MemoryStore(None)
>>> building = new_node("Building", community_code="410611001001", compound_no="001",
...                     building_no="01")
>>> post = new_node("Post", post_type="building_leader", code="410611001001-001-01")
>>> person = new_node("Person", code="P1", party_member=True)
>>> _ = store.upsert_nodes([building, post, person])
>>> _ = store.upsert_relationships([
...     Relationship("POST_IN", post.id, building.id),
...     Relationship("HOLDS", person.id, post.id, {"valid_from": "2024-01-01"})])
>>> figures = domain_figures(store)
>>> figures["building_leaders"], figures["buildings_without_leader"]
(1, 0)
>>> domain_figures(store, as_of=date(2023, 12, 31))["building_leaders"]
0
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from graph.contract import GraphStore
from graph.model import Node, Relationship, holds_on
from graph.settings import today
from schema import ONTOLOGY, GridLevel
from schema.vocab import SEED_N, FacilityType, PartyLevel, PostType, SocialOrgType

Number = int | float

# District properties that carry a figure of the seed, summed over districts.
DISTRICT_SUMS = (
    "area_km2", "population", "administrative_villages", "response_activations", "response_days",
    "led_screens", "service_kiosks", "proxy_service_kinds", "hard_issues_coordinated",
    "red_property_subsidy_yuan", "red_property_leveraged_yuan", "major_matters_consulted",
    "volunteer_activities", "commended_volunteers", "joint_meetings", "joint_activities",
)  # fmt: skip

# Who leads a grid at each level, as a post held (the district: a leading group covering it).
LEADER_POSTS: dict[GridLevel, PostType | None] = {
    GridLevel.DISTRICT: None,
    GridLevel.SUBDISTRICT: PostType.DISTRICT_CONTACT_LEADER,
    GridLevel.COMMUNITY: PostType.COMMUNITY_GRID_LEADER,
    GridLevel.COMPOUND: PostType.COMPOUND_GRID_LEADER,
    GridLevel.BUILDING: PostType.BUILDING_LEADER,
}


class _View:
    """Nodes and relationships read once per kind or type; time-bound ones filtered by day."""

    def __init__(self, store: GraphStore, day: str) -> None:
        self.store = store
        self.day = day
        self._nodes: dict[str, dict[str, Node]] = {}
        self._rels: dict[str, list[Relationship]] = {}
        self._current: dict[str, list[Relationship]] = {}
        self._post_in: dict[str, str] | None = None
        self._posts_by_type: dict[str, dict[str, Node]] | None = None
        self._holders: dict[str, dict[str, set[str]]] | None = None

    def nodes(self, kind: str) -> dict[str, Node]:
        if kind not in self._nodes:
            self._nodes[kind] = {n.id: n for n in self.store.iter_nodes(kind)}
        return self._nodes[kind]

    def rels(self, type_: str, current: bool = False) -> list[Relationship]:
        if not self._rels:  # one pass over every relationship: stats need nearly all types
            for r in self.store.iter_relationships():
                self._rels.setdefault(r.type, []).append(r)
                if holds_on(r.props, self.day):
                    self._current.setdefault(r.type, []).append(r)
            self._rels.setdefault("", [])
        return self._current.get(type_, []) if current else self._rels.get(type_, [])

    def kind_of(self, node_id: str) -> str:
        return ONTOLOGY.kind_of_id(node_id).name

    def posts_of_type(self, post_type: PostType) -> dict[str, Node]:
        if self._posts_by_type is None:
            self._posts_by_type = defaultdict(dict)
            for i, p in self.nodes("Post").items():
                self._posts_by_type[p.get("post_type")][i] = p
        return self._posts_by_type[post_type.value]

    def post_target(self) -> dict[str, str]:
        if self._post_in is None:
            self._post_in = {r.source: r.target for r in self.rels("POST_IN")}
        return self._post_in

    def holders(self, post_type: PostType) -> dict[str, set[str]]:
        """Post id -> persons holding it on the day, for posts of one type."""
        if self._holders is None:
            posts = self.nodes("Post")
            self._holders = defaultdict(lambda: defaultdict(set))
            for r in self.rels("HOLDS", current=True):
                post = posts.get(r.target)
                if post is not None:
                    self._holders[post.get("post_type")][r.target].add(r.source)
        return self._holders[post_type.value]

    def held_in(self, post_type: PostType) -> dict[str, set[str]]:
        """Grid or organisation id -> persons holding its post of ``post_type`` on the day."""
        target = self.post_target()
        out: dict[str, set[str]] = defaultdict(set)
        for post_id, persons in self.holders(post_type).items():
            if post_id in target:
                out[target[post_id]] |= persons
        return out

    def covered_by(self, source_filter: Any) -> set[str]:
        return {r.target for r in self.rels("COVERS", current=True) if source_filter(r.source)}


def _sum(nodes: Iterable[Node], key: str) -> Number:
    total: Number = sum(n.get(key) or 0 for n in nodes)
    return int(total) if isinstance(total, float) and total.is_integer() else total


def domain_figures(store: GraphStore, as_of: date | None = None) -> dict[str, Number]:
    """The seed's figures counted from the graph (keys as in ``loaders.reference.figures``)."""
    return _domain_figures(_View(store, (as_of or today()).isoformat()))


def _domain_figures(v: _View) -> dict[str, Number]:
    f: dict[str, Number] = {}
    _grid_figures(v, f)
    _leadership_figures(v, f)
    _party_figures(v, f)
    _property_figures(v, f)
    _service_figures(v, f)
    _self_governance_figures(v, f)
    _partner_figures(v, f)
    return f


def _grid_figures(v: _View, f: dict[str, Number]) -> None:
    districts = v.nodes("District").values()
    f["districts"] = len(districts)
    for key in DISTRICT_SUMS:
        f[key] = _sum(districts, key)
    f["towns_and_subdistricts"] = len(v.nodes("Subdistrict"))
    facilities = v.nodes("ServiceFacility")
    centres = {
        i
        for i, n in facilities.items()
        if n.get("facility_type") == FacilityType.GRID_SERVICE_CENTRE
    }
    f["grid_subdistricts"] = len(
        {t for t in v.covered_by(centres.__contains__) if t in v.nodes("Subdistrict")}
    )
    communities = v.nodes("Community").values()
    f["communities"] = len(communities)
    types = Counter(c.get("community_type") for c in communities)
    f["urban_communities"] = types["urban"]
    f["village_to_residence_communities"] = types["village_to_residence"]
    f["compounds"] = len(v.nodes("Compound"))
    f["buildings"] = len(v.nodes("Building"))
    f["demonstration_projects"] = sum(
        len(c.get("demonstration_projects") or ()) for c in communities
    )


def _leadership_figures(v: _View, f: dict[str, Number]) -> None:
    groups = set(v.nodes("LeadingGroup"))
    f["leading_groups"] = len(
        {
            r.source
            for r in v.rels("COVERS", current=True)
            if r.source in groups and r.target in v.nodes("District")
        }
    )
    f["district_contact_leaders"] = len(v.held_in(PostType.DISTRICT_CONTACT_LEADER))
    heads = v.held_in(PostType.DEPARTMENT_HEAD)  # department -> heads
    heading: dict[str, set[str]] = defaultdict(set)  # person -> departments
    for dept, persons in heads.items():
        for p in persons:
            heading[p].add(dept)
    paired: dict[str, set[str]] = defaultdict(set)  # community -> departments
    for r in v.rels("PAIRED_WITH", current=True):
        paired[r.target].add(r.source)
    communities = v.nodes("Community")
    f["paired_communities"] = len([c for c in paired if c in communities])
    f["community_grid_leaders"] = sum(
        1
        for community, persons in v.held_in(PostType.COMMUNITY_GRID_LEADER).items()
        if any(heading[p] & paired[community] for p in persons)
    )
    f["first_secretaries_heading_departments"] = sum(
        1
        for _, persons in v.held_in(PostType.FIRST_SECRETARY).items()
        if any(heading[p] for p in persons)
    )
    people = v.nodes("Person")
    building_leaders = v.held_in(PostType.BUILDING_LEADER)
    f["building_leaders"] = len(building_leaders)
    f["building_leaders_party_members"] = sum(
        1
        for persons in building_leaders.values()
        if any(people[p].get("party_member") for p in persons if p in people)
    )
    f["buildings_without_leader"] = len(set(v.nodes("Building")) - set(building_leaders))
    workers = v.holders(PostType.GRID_WORKER)
    f["grid_workers"] = len(set().union(*workers.values())) if workers else 0
    posts = v.posts_of_type(PostType.GRID_WORKER)
    f["grid_worker_sources"] = len(
        {
            r.props.get("drawn_from")
            for r in v.rels("HOLDS", current=True)
            if r.target in posts and r.props.get("drawn_from")
        }
    )
    f["grid_worker_roles"] = len({role for p in posts.values() for role in p.get("roles") or ()})
    f["community_police_officers"] = len(
        [c for c in v.held_in(PostType.POLICE_OFFICER) if c in communities]
    )
    departments = v.nodes("Department").values()
    f["key_units"] = sum(1 for d in departments if d.get("key_unit"))
    f["n_departments_named"] = sum(1 for d in departments if d.get("function") in SEED_N)
    f["event_categories"] = len(v.nodes("EventCategory"))
    f["event_types"] = len(v.nodes("EventType"))
    f["event_types_handled"] = len({r.source for r in v.rels("HANDLED_BY", current=True)})


def _party_figures(v: _View, f: dict[str, Number]) -> None:
    orgs = v.nodes("PartyOrganization")
    levels = Counter(o.get("level") for o in orgs.values())
    f["district_committees"] = levels[PartyLevel.DISTRICT_COMMITTEE]
    f["subdistrict_working_committees"] = levels[PartyLevel.SUBDISTRICT_WORKING_COMMITTEE]
    f["community_big_committees"] = levels[PartyLevel.COMMUNITY_BIG_COMMITTEE]
    f["compound_branches"] = levels[PartyLevel.COMPOUND_BRANCH]
    f["building_party_groups"] = levels[PartyLevel.BUILDING_GROUP]
    upper = {PartyLevel.DISTRICT_COMMITTEE, PartyLevel.SUBDISTRICT_WORKING_COMMITTEE}
    secretaries = v.held_in(PostType.PARTY_SECRETARY)
    f["committee_secretaries"] = sum(
        1 for i, o in orgs.items() if o.get("level") in upper and secretaries.get(i)
    )
    branches = {i for i, o in orgs.items() if o.get("level") == PartyLevel.COMPOUND_BRANCH}
    with_branch = v.covered_by(branches.__contains__)
    f["compounds_without_branch"] = len(set(v.nodes("Compound")) - with_branch)
    people = v.nodes("Person")
    f["five_elder_secretaries"] = sum(
        1
        for persons in v.holders(PostType.BRANCH_SECRETARY).values()
        if any(people[p].get("five_elder") for p in persons if p in people)
    )
    f["provincial_five_star_branches"] = sum(
        1 for o in orgs.values() if any("五星" in h for h in o.get("honours") or ())
    )
    f["municipal_five_excellent_communities"] = sum(
        1 for c in v.nodes("Community").values() if any("五优" in h for h in c.get("honours") or ())
    )


def _property_figures(v: _View, f: dict[str, Number]) -> None:
    compounds = v.nodes("Compound").values()
    red = Counter(c.get("red_property") for c in compounds if c.get("red_property"))
    f["red_property_points"] = sum(red.values())
    f["red_property_city_points"] = red["city"]
    f["smart_security_compounds"] = sum(1 for c in compounds if c.get("smart_security"))
    managed: dict[str, set[str]] = defaultdict(set)
    for r in v.rels("MANAGES", current=True):
        managed[v.kind_of(r.source)].add(r.target)
    f["owner_managed_compounds"] = len(managed["OwnersCommittee"])
    f["firm_managed_compounds"] = len(managed["PropertyFirm"])


def _service_figures(v: _View, f: dict[str, Number]) -> None:
    types = Counter(n.get("facility_type") for n in v.nodes("ServiceFacility").values())
    for key, ftype in (
        ("citizen_service_centres", FacilityType.CITIZEN_SERVICE_CENTRE),
        ("government_service_centres", FacilityType.GOVERNMENT_SERVICE_CENTRE),
        ("community_service_stations", FacilityType.COMMUNITY_SERVICE_STATION),
        ("doorstep_service_stations", FacilityType.DOORSTEP_SERVICE_STATION),
        ("grid_service_centres", FacilityType.GRID_SERVICE_CENTRE),
        ("grid_service_stations", FacilityType.GRID_SERVICE_STATION),
    ):
        f[key] = types[ftype]


def _self_governance_figures(v: _View, f: dict[str, Number]) -> None:
    committees = v.nodes("ResidentsCommittee")
    main = {i for i, c in committees.items() if c.get("committee_type") == "residents_committee"}
    f["residents_committees"] = len(main)
    f["residents_subcommittees"] = len(committees) - len(main)
    chairs = v.held_in(PostType.COMMITTEE_DIRECTOR)
    f["residents_committee_chairs"] = sum(1 for i in main if chairs.get(i))
    f["owners_committee_chairs"] = sum(1 for i in v.nodes("OwnersCommittee") if chairs.get(i))
    parents = {
        r.target for r in v.rels("SUBORDINATE_TO") if r.target in main and r.source in committees
    }
    f["communities_with_subcommittees"] = len(v.covered_by(parents.__contains__))
    communities = v.nodes("Community").values()
    f["resident_representative_teams"] = sum(
        1 for c in communities if (c.get("resident_representatives") or 0) > 0
    )
    f["resident_representatives"] = _sum(communities, "resident_representatives")


def _partner_figures(v: _View, f: dict[str, Number]) -> None:
    orgs = v.nodes("SocialOrganization")
    by_type = Counter(o.get("org_type") for o in orgs.values())
    f["registered_social_organisations"] = sum(
        1
        for o in orgs.values()
        if o.get("org_type") == SocialOrgType.REGISTERED
        and "2019-01-01" <= (o.get("registered_on") or "") <= v.day
    )
    f["social_work_stations"] = by_type[SocialOrgType.SOCIAL_WORK_STATION]
    f["community_social_organisations"] = by_type[SocialOrgType.COMMUNITY]
    f["vanguard_teams"] = by_type[SocialOrgType.VANGUARD_TEAM]
    community_orgs = {i for i, o in orgs.items() if o.get("org_type") == SocialOrgType.COMMUNITY}
    f["communities_with_social_organisations"] = len(
        {r.target for r in v.rels("ACTIVE_IN") if r.source in community_orgs}
    )
    f["volunteer_teams"] = len(v.nodes("VolunteerTeam"))
    parties: dict[str, list[str]] = defaultdict(list)  # agreement -> parties
    for r in v.rels("PARTY_TO", current=True):
        parties[r.target].append(r.source)
    units = v.nodes("Unit")
    subdistricts, communities = v.nodes("Subdistrict"), v.nodes("Community")
    partners: set[str] = set()
    territories: set[str] = set()
    for members in parties.values():
        local = [m for m in members if m in subdistricts or m in communities]
        if local:
            territories.update(local)
            partners.update(m for m in members if m in units)
    f["partner_units"] = len(partners)
    f["agreement_subdistricts"] = len(territories & set(subdistricts))
    f["agreement_urban_communities"] = len(
        [
            t
            for t in territories
            if t in communities and communities[t].get("community_type") == "urban"
        ]
    )
    agreements = [a for a in v.nodes("Agreement").values() if holds_on(a.props, v.day)]
    f["university_masters_interns"] = _sum(agreements, "masters_interns")
    f["university_undergraduate_interns"] = _sum(agreements, "undergraduate_interns")


def grid_levels(store: GraphStore, as_of: date | None = None) -> dict[str, dict[str, Any]]:
    """Per grid level: how many grids, how many have their leader on the day, who leads, and
    which meeting the level convenes."""
    return _grid_levels(_View(store, (as_of or today()).isoformat()))


def _grid_levels(v: _View) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for kind in ONTOLOGY.grid_kinds():
        assert kind.grid_level is not None
        level = kind.grid_level
        info = ONTOLOGY.grid_levels[level]
        grids = v.nodes(kind.name)
        post_type = LEADER_POSTS[level]
        if post_type is None:
            groups = set(v.nodes("LeadingGroup"))
            led = v.covered_by(groups.__contains__) & set(grids)
        else:
            led = set(v.held_in(post_type)) & set(grids)
        out[level.value] = {
            "grids": len(grids),
            "with_leader": len(led),
            "without_leader": len(grids) - len(led),
            "leader": info.leader,
            "leader_zh": info.leader_zh,
            "meeting": info.meeting,
            "meeting_zh": info.meeting_zh,
        }
    return out


def graph_stats(store: GraphStore, as_of: date | None = None) -> dict[str, Any]:
    """Everything ``gridgraph stats`` shows: counts, grid levels and domain figures."""
    day = as_of or today()
    counts = store.counts()
    view = _View(store, day.isoformat())
    return {
        "as_of": day.isoformat(),
        "nodes": dict(counts.nodes),
        "relationships": dict(counts.relationships),
        "grid_levels": _grid_levels(view),
        "figures": _domain_figures(view),
    }
