"""The store contract, run unchanged against every store (embedded and Neo4j)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from graph.contract import GraphStore
from graph.errors import IntegrityError
from graph.model import Direction, Node, Relationship, WriteSummary, new_node
from schema import ONTOLOGY
from tests.conftest import StoreOpener
from tests.contract import graphs as g


@pytest.fixture
def populated(store: GraphStore) -> GraphStore:
    nodes, rels = g.district_slice()
    with store.transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    return store


# -- writes ------------------------------------------------------------------------------


def test_upsert_then_get_returns_the_nodes(store: GraphStore) -> None:
    summary = store.upsert_nodes([g.DISTRICT, g.SUBDISTRICT])
    assert (summary.nodes_created, summary.nodes_updated) == (2, 0)
    found = store.get_nodes([g.DISTRICT.id, g.SUBDISTRICT.id, "district:999999"])
    assert found == {g.DISTRICT.id: g.DISTRICT, g.SUBDISTRICT.id: g.SUBDISTRICT}


def test_upsert_merges_properties_and_none_removes(store: GraphStore) -> None:
    store.upsert_nodes([g.LIYANG])
    summary = store.upsert_nodes([Node(g.LIYANG.id, "Community", {"population": 9000})])
    assert (summary.nodes_created, summary.nodes_updated) == (0, 1)
    merged = store.get_nodes([g.LIYANG.id])[g.LIYANG.id]
    assert merged.props == {**g.LIYANG.props, "population": 9000}
    store.upsert_nodes([Node(g.LIYANG.id, "Community", {"aliases": None})])
    assert "aliases" not in store.get_nodes([g.LIYANG.id])[g.LIYANG.id].props


def test_upserting_the_same_data_twice_reports_unchanged(populated: GraphStore) -> None:
    nodes, rels = g.district_slice()
    with populated.transaction() as tx:
        tx.upsert_nodes(nodes)
        tx.upsert_relationships(rels)
    summary = populated.last_summary
    assert not summary.changed
    assert (summary.nodes_unchanged, summary.relationships_unchanged) == (len(nodes), len(rels))


def test_each_thread_reads_its_own_last_summary(store: GraphStore) -> None:
    """Two writers at once (API requests in worker threads) each report what they changed."""
    store.upsert_nodes([g.DISTRICT])
    first_done, second_done = threading.Event(), threading.Event()
    seen: dict[str, WriteSummary] = {}

    def first() -> None:
        with store.transaction() as tx:
            tx.upsert_nodes([g.SUBDISTRICT, g.LIYANG])
        first_done.set()
        second_done.wait(timeout=30)
        seen["first"] = store.last_summary

    thread = threading.Thread(target=first)
    thread.start()
    assert first_done.wait(timeout=30)
    store.upsert_nodes([g.DISTRICT])  # this thread: one unchanged node, after the other's commit
    second_done.set()
    thread.join(timeout=30)
    assert (store.last_summary.nodes_created, store.last_summary.nodes_unchanged) == (0, 1)
    assert (seen["first"].nodes_created, seen["first"].nodes_unchanged) == (2, 0)


def test_relationship_needs_both_endpoints(store: GraphStore) -> None:
    store.upsert_nodes([g.BUILDING_1])
    with pytest.raises(IntegrityError, match="compound:410611001001-001"):
        store.upsert_relationships([Relationship("PART_OF", g.BUILDING_1.id, g.COMPOUND.id)])
    assert store.counts().relationships == {}


def test_relationship_endpoints_must_be_allowed_by_the_ontology(populated: GraphStore) -> None:
    with pytest.raises(IntegrityError, match="PAIRED_WITH may not join"):
        populated.upsert_relationships([Relationship("PAIRED_WITH", g.DEPT_A.id, g.BUILDING_1.id)])


@pytest.mark.parametrize(
    ("node", "message"),
    [
        (Node("spaceship:1", "Spaceship", {}), "unknown node kind"),
        (Node("district:1", "Community", {}), "does not start with community:"),
        (Node("district:1", "District", {"colour": "red"}), "no property colour"),
    ],
)
def test_nodes_outside_the_ontology_are_refused(
    store: GraphStore, node: Node, message: str
) -> None:
    with pytest.raises(IntegrityError, match=message):
        store.upsert_nodes([node])
    assert store.counts().nodes == {}


def test_a_failed_unit_of_work_writes_nothing(populated: GraphStore) -> None:
    before = populated.counts()
    new_compound = new_node("Compound", community_code="410611001002", compound_no="009")
    with pytest.raises(IntegrityError), populated.transaction() as tx:
        tx.upsert_nodes([new_compound])
        tx.upsert_relationships([Relationship("PART_OF", new_compound.id, g.DONGFANG.id)])
        tx.upsert_relationships([Relationship("PART_OF", new_compound.id, "community:nowhere")])
    assert populated.counts() == before
    assert populated.get_nodes([new_compound.id]) == {}


def test_an_exception_in_the_block_discards_the_unit_of_work(store: GraphStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.upsert_nodes([g.DISTRICT])
        raise RuntimeError("caller changed its mind")
    assert store.get_nodes([g.DISTRICT.id]) == {}


def test_a_unit_of_work_sees_its_own_nodes(store: GraphStore) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes([g.DISTRICT, g.SUBDISTRICT])
        tx.upsert_relationships([Relationship("PART_OF", g.SUBDISTRICT.id, g.DISTRICT.id)])
    assert store.counts().relationships == {"PART_OF": 1}


def test_delete_node_removes_its_relationships(populated: GraphStore) -> None:
    summary = populated.delete_nodes([g.COMPOUND.id])
    assert summary.nodes_deleted == 1
    assert summary.relationships_deleted == 3  # to its community and from both buildings
    hops = populated.neighbours([g.BUILDING_1.id], "PART_OF")
    assert hops == {g.BUILDING_1.id: []}


def test_delete_relationship_by_id(populated: GraphStore) -> None:
    summary = populated.delete_relationships([g.PAIRING_A.id, "PAIRED_WITH:none>none"])
    assert summary.relationships_deleted == 1
    assert populated.get_relationships([g.PAIRING_A.id]) == {}
    assert populated.get_relationships([g.PAIRING_B.id]) == {g.PAIRING_B.id: g.PAIRING_B}


def test_time_bound_relationships_of_two_periods_coexist(populated: GraphStore) -> None:
    again = Relationship("PAIRED_WITH", g.DEPT_A.id, g.LIYANG.id, {"valid_from": "2026-01-01"})
    populated.upsert_relationships([again])
    hops = populated.neighbours([g.DEPT_A.id], "PAIRED_WITH")[g.DEPT_A.id]
    assert sorted(h.relationship.id for h in hops) == sorted([g.PAIRING_A.id, again.id])


# -- reads -------------------------------------------------------------------------------


def test_neighbours_by_type_and_direction(populated: GraphStore) -> None:
    out = populated.neighbours([g.COMPOUND.id], "PART_OF", Direction.OUT)
    assert [h.node.id for h in out[g.COMPOUND.id]] == [g.LIYANG.id]
    inward = populated.neighbours([g.COMPOUND.id], "PART_OF", Direction.IN)
    assert [h.node.id for h in inward[g.COMPOUND.id]] == [g.BUILDING_1.id, g.BUILDING_2.id]
    both = populated.neighbours([g.COMPOUND.id], ["PART_OF"], Direction.BOTH)
    assert [h.node.id for h in both[g.COMPOUND.id]] == [
        g.BUILDING_1.id, g.BUILDING_2.id, g.LIYANG.id,
    ]  # fmt: skip


def test_neighbours_answers_every_requested_id(populated: GraphStore) -> None:
    result = populated.neighbours([g.BUILDING_1.id, "building:missing"], "PART_OF")
    assert set(result) == {g.BUILDING_1.id, "building:missing"}
    assert result["building:missing"] == []


def test_neighbours_hop_carries_relationship_and_node(populated: GraphStore) -> None:
    [hop] = populated.neighbours([g.DEPT_B.id], "PAIRED_WITH")[g.DEPT_B.id]
    assert hop.relationship == g.PAIRING_B
    assert hop.node == g.LIYANG


@pytest.mark.parametrize(
    ("day", "departments"),
    [
        (None, [g.DEPT_B.id, g.DEPT_A.id]),
        (date(2020, 12, 31), []),
        (date(2021, 1, 1), [g.DEPT_A.id]),
        (date(2023, 12, 31), [g.DEPT_A.id]),
        (date(2024, 1, 1), [g.DEPT_B.id]),
        (date(2030, 6, 1), [g.DEPT_B.id]),
    ],
)
def test_neighbours_as_of_a_date(
    populated: GraphStore, day: date | None, departments: list[str]
) -> None:
    hops = populated.neighbours([g.LIYANG.id], "PAIRED_WITH", Direction.IN, as_of=day)
    assert sorted(h.node.id for h in hops[g.LIYANG.id]) == sorted(departments)


@pytest.mark.parametrize("day", [None, date(2020, 12, 31), date(2022, 1, 1), date(2024, 1, 1)])
def test_linked_says_which_ids_neighbours_would_give_a_hop(
    populated: GraphStore, day: date | None
) -> None:
    """``linked`` is ``neighbours`` asked only whether each id has a hop: by type, direction,
    day and the kind at the other end."""
    ids = [g.LIYANG.id, g.COMPOUND.id, g.BUILDING_1.id, g.DEPT_A.id, "building:missing"]
    for types, direction, kinds in [
        ("PAIRED_WITH", Direction.IN, None),
        ("PAIRED_WITH", Direction.OUT, None),
        ("PART_OF", Direction.BOTH, None),
        (["PART_OF", "PAIRED_WITH"], Direction.IN, "Building"),
        (None, Direction.OUT, "Community"),
    ]:
        hops = populated.neighbours(ids, types, direction, day, kinds)
        expected = {nid for nid, found in hops.items() if found}
        assert populated.linked(ids, types, direction, day, kinds) == expected, (types, day)
    assert populated.linked([g.LIYANG.id], "PAIRED_WITH", Direction.IN, date(2020, 12, 31)) == set()
    assert populated.linked([g.LIYANG.id], "PAIRED_WITH", Direction.IN, date(2022, 1, 1)) == {
        g.LIYANG.id
    }


def test_neighbours_filtered_by_kind(populated: GraphStore) -> None:
    hops = populated.neighbours([g.LIYANG.id], None, Direction.BOTH, kinds="Department")
    assert {h.node.kind for h in hops[g.LIYANG.id]} == {"Department"}
    hops = populated.neighbours([g.LIYANG.id], None, Direction.BOTH, kinds=["Compound"])
    assert [h.node.id for h in hops[g.LIYANG.id]] == [g.COMPOUND.id]


def test_walk_up_the_grid(populated: GraphStore) -> None:
    up = populated.walk([g.BUILDING_1.id], "PART_OF", Direction.OUT)
    assert [n.id for n in up[g.BUILDING_1.id]] == [
        g.COMPOUND.id, g.LIYANG.id, g.SUBDISTRICT.id, g.DISTRICT.id,
    ]  # fmt: skip


def test_walk_is_bounded(populated: GraphStore) -> None:
    up = populated.walk([g.BUILDING_1.id, g.COMPOUND.id], "PART_OF", Direction.OUT, max_depth=2)
    assert [n.id for n in up[g.BUILDING_1.id]] == [g.COMPOUND.id, g.LIYANG.id]
    assert [n.id for n in up[g.COMPOUND.id]] == [g.LIYANG.id, g.SUBDISTRICT.id]


def test_walk_down_the_grid_nearest_first(populated: GraphStore) -> None:
    down = populated.walk([g.SUBDISTRICT.id], "PART_OF", Direction.IN, max_depth=3)
    ids = [n.id for n in down[g.SUBDISTRICT.id]]
    assert ids[:2] == [g.LIYANG.id, g.DONGFANG.id]
    assert ids[2] == g.COMPOUND.id
    assert set(ids[3:]) == {g.BUILDING_1.id, g.BUILDING_2.id}


def test_find_by_name_and_alias_exact_first(populated: GraphStore) -> None:
    assert [n.id for n in populated.find("黎阳")][:1] == [g.LIYANG.id]  # alias is exact
    assert {n.id for n in populated.find("社区")} == {g.LIYANG.id, g.DONGFANG.id}
    assert [n.id for n in populated.find("号楼", limit=1)] == [g.BUILDING_1.id]
    assert populated.find("社区", kinds="Department") == []
    assert populated.find("不存在的名字") == []


@pytest.mark.parametrize("same", ["同名之地", "同名A座"])  # Neo4j: full-text index; label scans
def test_find_over_kinds_orders_equal_matches_by_the_kinds_search_tier(
    store: GraphStore, same: str
) -> None:
    """Equal names of three kinds: places before the rest, whatever the ids say (a building's
    id sorts before a community's)."""
    nodes = [
        new_node("Building", community_code="410611001001", compound_no="007",
                 building_no="9", name=same),
        new_node("Community", division_code="410611001009", name=same),
        new_node("VolunteerTeam", code="V-1", name=same),
    ]  # fmt: skip
    store.upsert_nodes(nodes)
    tiers = {k: ONTOLOGY.search_rank(k) for k in ("Building", "Community", "VolunteerTeam")}
    want = [n.id for n in sorted(nodes, key=lambda n: (tiers[n.kind], n.id))]
    assert [n.id for n in store.find(same, ("Building", "Community", "VolunteerTeam"))] == want
    assert [n.id for n in store.find(same, ("VolunteerTeam", "Building"))] == [
        i for i in want if not i.startswith("community:")
    ]
    assert [n.id for n in store.find(same)] == want


def test_nodes_of_kind_pages_by_id(populated: GraphStore) -> None:
    first = populated.nodes_of_kind("Building", limit=1)
    assert [n.id for n in first] == [g.BUILDING_1.id]
    second = populated.nodes_of_kind("Building", after=first[-1].id, limit=1)
    assert [n.id for n in second] == [g.BUILDING_2.id]
    assert populated.nodes_of_kind("Building", after=g.BUILDING_2.id) == []
    urban = populated.nodes_of_kind("Community", where={"community_type": "urban"})
    assert [n.id for n in urban] == [g.LIYANG.id, g.DONGFANG.id]


def test_find_named_is_exact_on_names_and_aliases(populated: GraphStore) -> None:
    found = populated.find_named(["黎阳社区", "黎阳", "黎阳路", "东方社区"], kinds=["Community"])
    assert {k: [n.id for n in v] for k, v in found.items()} == {
        "黎阳社区": [g.LIYANG.id], "黎阳": [g.LIYANG.id], "黎阳路": [], "东方社区": [g.DONGFANG.id],
    }  # fmt: skip
    assert populated.find_named(["黎阳社区"], kinds=["Building"]) == {"黎阳社区": []}
    assert [n.id for n in populated.find_named(["1号楼"])["1号楼"]] == [g.BUILDING_1.id]
    assert populated.find_named([]) == {}


def test_counts(populated: GraphStore) -> None:
    counts = populated.counts()
    assert counts.nodes == {
        "Building": 2, "Community": 2, "Compound": 1, "Department": 2, "District": 1,
        "Subdistrict": 1,
    }  # fmt: skip
    assert counts.relationships == {"PAIRED_WITH": 2, "PART_OF": 6}
    assert populated.count_nodes("Building") == 2
    assert populated.count_nodes("Department", where={"key_unit": True}) == 1


def test_shortest_path_ignores_direction(populated: GraphStore) -> None:
    path = populated.shortest_path(g.BUILDING_1.id, g.DONGFANG.id)
    assert path is not None
    assert [n.id for n in path.nodes] == [
        g.BUILDING_1.id, g.COMPOUND.id, g.LIYANG.id, g.SUBDISTRICT.id, g.DONGFANG.id,
    ]  # fmt: skip
    assert [r.type for r in path.relationships] == ["PART_OF"] * 4
    assert populated.shortest_path(g.BUILDING_1.id, g.DONGFANG.id, max_length=3) is None


def test_shortest_path_ties_go_to_the_least_ids(populated: GraphStore) -> None:
    """Two paths of two steps join the communities: through the subdistrict, and (once A is
    paired with both) through department A, whose id sorts first. Both stores pick it."""
    populated.upsert_relationships([Relationship("PAIRED_WITH", g.DEPT_A.id, g.DONGFANG.id)])
    path = populated.shortest_path(g.LIYANG.id, g.DONGFANG.id)
    assert path is not None
    assert [n.id for n in path.nodes] == [g.LIYANG.id, g.DEPT_A.id, g.DONGFANG.id]
    back = populated.shortest_path(g.DONGFANG.id, g.LIYANG.id)
    assert back is not None
    assert [n.id for n in back.nodes] == [g.DONGFANG.id, g.DEPT_A.id, g.LIYANG.id]


def test_shortest_path_as_of(populated: GraphStore) -> None:
    path = populated.shortest_path(g.DEPT_A.id, g.COMPOUND.id, as_of=date(2022, 1, 1))
    assert path is not None and path.relationships[0].id == g.PAIRING_A.id
    assert populated.shortest_path(g.DEPT_A.id, g.COMPOUND.id, as_of=date(2025, 1, 1)) is None


def test_iteration_is_ordered_by_id(populated: GraphStore) -> None:
    ids = [n.id for n in populated.iter_nodes()]
    assert ids == sorted(ids) and len(ids) == 9
    assert [n.id for n in populated.iter_nodes("Community")] == [g.LIYANG.id, g.DONGFANG.id]
    rel_ids = [r.id for r in populated.iter_relationships()]
    assert rel_ids == sorted(rel_ids) and len(rel_ids) == 8
    assert len(list(populated.iter_relationships("PAIRED_WITH"))) == 2


# -- durability --------------------------------------------------------------------------


def test_reopening_returns_exactly_what_was_committed(
    populated: GraphStore, store_opener: StoreOpener
) -> None:
    populated.delete_relationships([g.PAIRING_A.id])
    expected_nodes = list(populated.iter_nodes())
    expected_rels = list(populated.iter_relationships())
    populated.close()
    with store_opener() as reopened:
        assert list(reopened.iter_nodes()) == expected_nodes
        assert list(reopened.iter_relationships()) == expected_rels
