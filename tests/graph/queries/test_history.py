"""History on every store: who held a post, which department was paired, which firm managed,
each with its dates, oldest first; and on the reference graph, the seed's successions."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from datetime import date

import pytest

import graph.queries.history as history_module
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.queries.history import BadPeriod, history
from tests.chain_graph import LEADER_CHANGE, PAIRING_CHANGE, Built, build_small_district


@pytest.fixture
def district(store: GraphStore) -> Built:
    return build_small_district(store)


def names(
    b: Built, tenures: list[history_module.Tenure]
) -> list[tuple[str, str | None, str | None]]:
    short = {n.id: k for k, n in b.nodes.items()}
    return [(short[t.node.id], t.valid_from, t.valid_to) for t in tenures]


def test_holders_of_a_post_in_order(store: GraphStore, district: Built) -> None:
    post = district.id("post_leader_b1")
    got = history(store, [post], "HOLDS", "in")[post]
    assert names(district, got) == [
        ("p_old", "2020-01-01", "2024-03-31"),
        ("p_new", LEADER_CHANGE, None),
    ]


def test_pairings_and_management_of_one_request(store: GraphStore, district: Built) -> None:
    c1, k1 = district.id("c1"), district.id("k1")
    got = history(store, [c1, k1], ("PAIRED_WITH", "MANAGES"), "in")
    assert names(district, got[c1]) == [
        ("ca", "2021-01-01", "2023-06-30"),
        ("um", PAIRING_CHANGE, None),
    ]
    assert names(district, got[k1]) == [("firm", "2022-01-01", None)]


def test_a_period_keeps_only_the_links_that_overlap_it(store: GraphStore, district: Built) -> None:
    c1 = district.id("c1")

    def between(since: str | None, until: str | None) -> list[str]:
        s = date.fromisoformat(since) if since else None
        u = date.fromisoformat(until) if until else None
        return [n for n, _, _ in names(district, history(store, [c1], "PAIRED_WITH", "in", None,
                                                           s, u)[c1])]  # fmt: skip

    assert between("2023-06-30", "2023-06-30") == ["ca"]  # the old pairing's last day
    assert between("2023-07-01", None) == ["um"]  # from the new pairing's first day
    assert between("2023-06-30", "2023-07-01") == ["ca", "um"]
    assert between(None, "2020-12-31") == []
    with pytest.raises(BadPeriod, match=r"晚于截止日期.*is after until"):
        between("2024-01-01", "2023-01-01")


def test_unknown_ids_have_no_history(store: GraphStore, district: Built) -> None:
    assert history(store, ["post:nothing"], "HOLDS", "in") == {"post:nothing": []}
    assert history(store, [], "HOLDS") == {}


def test_doctests() -> None:
    assert doctest.testmod(history_module).failed == 0


# -- the reference graph ------------------------------------------------------------------
generator = pytest.importorskip("loaders.reference.generator")
timeline = pytest.importorskip("loaders.reference.timeline")


@pytest.fixture(scope="module")
def qibin() -> Iterator[MemoryStore]:
    store = MemoryStore()
    generator.seed_reference_graph(store, scale=1)
    yield store
    store.close()


def test_reference_repairings_and_head_changes_read_as_successions(qibin: MemoryStore) -> None:
    """Each re-paired community has two pairings, the second starting on the re-pairing day,
    the first ending the day before; its community grid leader post follows them."""
    communities = [n.id for n in qibin.nodes_of_kind("Community")]
    pairings = history(qibin, communities, "PAIRED_WITH", "in")
    repaired = [c for c, t in pairings.items() if len(t) > 1]
    assert len(repaired) == timeline.CHANGE_COUNTS["repairing"]
    for community in repaired:
        old, new = pairings[community]
        assert (old.valid_to, new.valid_from) == (
            timeline.day_before(timeline.REPAIRING_DAY),
            timeline.REPAIRING_DAY,
        )
        assert old.node.id != new.node.id
    posts = qibin.neighbours(repaired, "POST_IN", "in", kinds="Post")
    leader_posts = [
        h.node.id for c in repaired for h in posts[c]
        if h.node.get("post_type") == "community_grid_leader"
    ]  # fmt: skip
    holders = history(qibin, leader_posts, "HOLDS", "in")
    for post in leader_posts:
        days = [(t.valid_from, t.valid_to) for t in holders[post]]
        assert days == sorted(days, key=lambda d: d[0] or "")
        assert any(t.valid_from == timeline.REPAIRING_DAY for t in holders[post])


def test_reference_firm_changes_are_in_the_management_history(qibin: MemoryStore) -> None:
    compounds = [n.id for n in qibin.nodes_of_kind("Compound")]
    managed = history(qibin, compounds, "MANAGES", "in")
    changed = {
        c for c, t in managed.items()
        if any(x.valid_to is not None and x.valid_to < timeline.HISTORY_END for x in t)
        and len({x.node.id for x in t}) > 1
    }  # fmt: skip
    expected = (
        timeline.CHANGE_COUNTS["firm_change"]
        + timeline.CHANGE_COUNTS["owners_takeover"]
        + timeline.CHANGE_COUNTS["firm_hired"]
    )
    assert len(changed) == expected
    for c in changed:
        starts = [t.valid_from or "" for t in managed[c]]
        assert starts == sorted(starts)
        # no two managers at once: each term ends before the next begins
        for a, b in zip(managed[c], managed[c][1:], strict=False):
            assert a.valid_to is not None and a.valid_to < (b.valid_from or "")
