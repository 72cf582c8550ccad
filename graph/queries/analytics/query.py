"""Analytics a district needs: pairing load, partners and their reach, the co-construction
network, agreements by topic and year, building-leader coverage.

The district's own questions, over the whole graph on a day: how many communities each
department is paired with (机关包联 load), which communities have no co-construction partner,
which partners reach the most communities (and which hold the network together), which
topics agreements cover year by year, and in which communities building leader posts stand
vacant. Each is a plain function over the store contract; on Neo4j a native version
(:mod:`graph.queries.analytics.neo4j`) gathers the same records in one round trip, and the
assembly here is shared, so both stores give one answer.

The co-construction network (联建共建网络) is a networkx graph: a node per party (community,
subdistrict, district, outside unit or organisation), an edge between two parties to the same
agreement in force, weighted by the number of such agreements. Betweenness centrality says
which partners bridge otherwise separate communities; connected components show the
clusters that share no partner with each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import combinations

import networkx as nx

from graph.contract import GraphStore
from graph.model import Direction, Hop, Node, holds_on
from graph.queries.analytics.answer import (
    CoConstruction,
    CommunityLeaders,
    DepartmentLoad,
    NetworkComponent,
    PartnerReach,
    TopicYear,
)
from graph.queries.chain.query import as_day
from graph.queries.coverage.query import TERRITORY_KINDS
from graph.queries.dispatch import dispatchable
from schema.vocab import PostType

# -- pairing load ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PairingMaterial:
    """Every department, and the communities it is ``PAIRED_WITH`` on the day."""

    departments: list[Node]
    paired: Mapping[str, list[Node]]


def gather_pairing_load(store: GraphStore, day: date) -> PairingMaterial:
    """Two contract calls: the departments, their pairings in force."""
    departments = store.nodes_of_kind("Department")
    ids = [d.id for d in departments]
    hops = store.neighbours(ids, "PAIRED_WITH", Direction.OUT, day, "Community") if ids else {}
    return PairingMaterial(departments, {d: [h.node for h in hs] for d, hs in hops.items()})


def assemble_pairing_load(material: PairingMaterial) -> list[DepartmentLoad]:
    """Heaviest first (communities, then residents), then by id; unpaired departments last."""
    loads = []
    for dept in material.departments:
        unique = {c.id: c for c in material.paired.get(dept.id, ())}
        loads.append(DepartmentLoad(dept, tuple(unique[i] for i in sorted(unique))))
    return sorted(loads, key=lambda x: (-len(x.communities), -x.population, x.department.id))


@dispatchable
def pairing_load(store: GraphStore, as_of: date | str | None = None) -> list[DepartmentLoad]:
    """Each department's pairing load on ``as_of`` (default today), heaviest first.

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> d = new_node("Department", code="D1", name="民政局")
    >>> e = new_node("Department", code="D2", name="卫健委")
    >>> c = new_node("Community", division_code="410611001001", name="黎阳社区")
    >>> _ = s.upsert_nodes([d, e, c])
    >>> _ = s.upsert_relationships([Relationship("PAIRED_WITH", d.id, c.id)])
    >>> [(x.department.name, len(x.communities)) for x in pairing_load(s, "2024-01-01")]
    [('民政局', 1), ('卫健委', 0)]
    """
    day = as_day(as_of)
    return assemble_pairing_load(gather_pairing_load(store, day))


# -- building-leader coverage ---------------------------------------------------------------


@dataclass(frozen=True)
class LeaderMaterial:
    """Every community with its building count and led-building count on the day."""

    counts: Mapping[str, tuple[Node, int, int]]
    """Community id → (community, buildings, buildings whose leader post is held)."""


def gather_leader_coverage(store: GraphStore, day: date) -> LeaderMaterial:
    """Four contract calls: communities, their buildings, the buildings' posts, the holders."""
    communities = store.nodes_of_kind("Community")
    ids = [c.id for c in communities]
    below = store.walk(ids, "PART_OF", Direction.IN, max_depth=2, as_of=day) if ids else {}
    buildings = {c: [n.id for n in below.get(c, []) if n.kind == "Building"] for c in ids}
    every = sorted({b for bs in buildings.values() for b in bs})
    posts = store.neighbours(every, "POST_IN", Direction.IN, day, "Post") if every else {}
    leader_posts = {
        b: [h.node.id for h in hops if h.node.get("post_type") == PostType.BUILDING_LEADER]
        for b, hops in posts.items()
    }
    post_ids = sorted({p for ps in leader_posts.values() for p in ps})
    holders = store.neighbours(post_ids, "HOLDS", Direction.IN, day, "Person") if post_ids else {}
    led = {b for b, ps in leader_posts.items() if any(holders.get(p) for p in ps)}
    return LeaderMaterial(
        {
            c.id: (c, len(buildings[c.id]), sum(b in led for b in buildings[c.id]))
            for c in communities
        }
    )


def assemble_leader_coverage(material: LeaderMaterial) -> list[CommunityLeaders]:
    """Worst covered first (lowest share, then most vacant posts), then by id."""
    rows = [CommunityLeaders(c, n, led) for c, n, led in material.counts.values()]
    return sorted(rows, key=lambda r: (r.ratio, -r.vacant, r.community.id))


@dispatchable
def building_leader_coverage(
    store: GraphStore, as_of: date | str | None = None
) -> list[CommunityLeaders]:
    """Building-leader coverage per community on ``as_of`` (default today), worst first.

    A building counts as led when someone holds its ``building_leader`` post on the day.
    """
    day = as_day(as_of)
    return assemble_leader_coverage(gather_leader_coverage(store, day))


# -- agreements by topic and year -----------------------------------------------------------


def count_topics(agreements: Iterable[Node]) -> list[TopicYear]:
    """Agreements per (topic, first year in force), by year, then topic; unknowns last.

    The year is that of ``valid_from``, else of ``signed_on``; an agreement with several
    topics counts once under each, one with none under topic None. A renewal is a new
    agreement (a new number), so it counts in the year it starts.
    """
    counts: Counter[tuple[str | None, int | None]] = Counter()
    for a in agreements:
        start = a.get("valid_from") or a.get("signed_on")
        year = int(str(start)[:4]) if start else None
        topics: list[str | None] = list(dict.fromkeys(a.get("topics") or [])) or [None]
        for topic in topics:
            counts[(topic, year)] += 1
    return sort_topics(TopicYear(t, y, n) for (t, y), n in counts.items())


def sort_topics(rows: Iterable[TopicYear]) -> list[TopicYear]:
    """By year, then topic; an unknown year or topic after the known ones."""
    return sorted(rows, key=lambda r: (r.year is None, r.year or 0, r.topic is None, r.topic or ""))


@dispatchable
def agreements_by_topic_and_year(store: GraphStore) -> list[TopicYear]:
    """Agreements per topic and year over the whole history (not one day)."""
    return count_topics(store.iter_nodes("Agreement"))


# -- the co-construction network ------------------------------------------------------------


@dataclass(frozen=True)
class NetworkMaterial:
    """The agreements in force on the day with their parties, and every community."""

    agreements: list[Node]
    """Agreements whose own dates hold on the day, by id."""
    parties: Mapping[str, list[Hop]]
    """Agreement id → ``PARTY_TO`` hops in force."""
    communities: list[Node]


def gather_network(store: GraphStore, day: date) -> NetworkMaterial:
    """Three contract calls: agreements, their parties, the communities."""
    agreements = [a for a in store.nodes_of_kind("Agreement") if holds_on(a.props, day)]
    ids = [a.id for a in agreements]
    parties = store.neighbours(ids, "PARTY_TO", Direction.IN, day) if ids else {}
    return NetworkMaterial(agreements, parties, store.nodes_of_kind("Community"))


def _is_partner(node: Node) -> bool:
    return node.kind not in TERRITORY_KINDS


def assemble_network(material: NetworkMaterial, day: date) -> CoConstruction:
    """The network and its readings from gathered records; pure, shared by every store."""
    g: nx.Graph = nx.Graph()
    nodes: dict[str, Node] = {c.id: c for c in material.communities}
    signed: dict[str, set[str]] = {}  # party id -> agreements
    for agreement in sorted(material.agreements, key=lambda a: a.id):
        parties = {h.node.id: h.node for h in material.parties.get(agreement.id, ())}
        nodes.update(parties)
        for pid in parties:
            signed.setdefault(pid, set()).add(agreement.id)
        for a, b in combinations(sorted(parties), 2):
            weight = g.get_edge_data(a, b, {"weight": 0})["weight"]
            g.add_edge(a, b, weight=weight + 1)
    for nid in sorted(nodes):
        g.add_node(nid)
    degree = nx.degree_centrality(g) if len(g) > 1 else dict.fromkeys(g, 0.0)
    between = nx.betweenness_centrality(g, normalized=True)
    partners = []
    for pid in sorted(p for p in signed if _is_partner(nodes[p])):
        reached = sorted(n for n in g.neighbors(pid) if nodes[n].kind == "Community")
        partners.append(
            PartnerReach(
                nodes[pid],
                tuple(nodes[c] for c in reached),
                len(signed[pid]),
                round(degree[pid], 9),
                round(between[pid], 9),
            )
        )
    partners.sort(key=lambda p: (-len(p.communities), -p.agreements, -p.betweenness, p.partner.id))
    components = [
        NetworkComponent(
            tuple(nodes[n] for n in sorted(members)),
            len(set().union(*(signed.get(n, set()) for n in members))),
        )
        for members in nx.connected_components(g)
    ]
    components.sort(key=lambda c: (-len(c.parties), c.parties[0].id))
    lonely = tuple(
        c
        for c in sorted(material.communities, key=lambda n: n.id)
        if not any(_is_partner(nodes[n]) for n in g.neighbors(c.id))
    )
    return CoConstruction(day, g, tuple(partners), tuple(components), lonely)


@dispatchable
def co_construction(store: GraphStore, as_of: date | str | None = None) -> CoConstruction:
    """The co-construction network on ``as_of`` (default today): partners by reach, with
    degree and betweenness centrality; connected components; communities without partners.

    Examples
    --------
    >>> from graph.memory import MemoryStore
    >>> from graph.model import Relationship, new_node
    >>> s = MemoryStore()
    >>> c1 = new_node("Community", division_code="410611001001", name="黎阳社区")
    >>> c2 = new_node("Community", division_code="410611001002", name="东方社区")
    >>> u = new_node("Unit", uscc="12410600MB0000000X", name="河南师范大学")
    >>> a = new_node("Agreement", code="A1", name="校地共建")
    >>> _ = s.upsert_nodes([c1, c2, u, a])
    >>> _ = s.upsert_relationships([Relationship("PARTY_TO", c1.id, a.id),
    ...                             Relationship("PARTY_TO", u.id, a.id)])
    >>> net = co_construction(s, "2024-01-01")
    >>> [(p.partner.name, [c.name for c in p.communities]) for p in net.partners]
    [('河南师范大学', ['黎阳社区'])]
    >>> [c.name for c in net.without_partners]
    ['东方社区']
    >>> [len(c.parties) for c in net.components]
    [2, 1]
    """
    day = as_day(as_of)
    return assemble_network(gather_network(store, day), day)
