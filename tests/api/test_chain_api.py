"""``responsibilityChain`` and ``gaps`` over real HTTP, on the hand-built district in which a
pairing changes on 2023-07-01 and building 01's leader on 2024-04-01."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import GraphQLEnumType, GraphQLObjectType

from api.app import create_app
from api.schema import build_schema
from graph.memory import MemoryStore
from graph.model import Node as StoreNode
from graph.settings import Settings
from tests.api.conftest import LIMITS, GraphQL
from tests.api.serving import in_process
from tests.api.test_store_calls import CountingStore
from tests.chain_graph import (
    LEADER_CHANGE,
    PAIRING_CHANGE,
    Built,
    build_small_district,
    build_synthetic_district,
)


@pytest.fixture(scope="module")
def district() -> Iterator[tuple[MemoryStore, Built]]:
    store = MemoryStore()
    built = build_small_district(store)
    yield store, built
    store.close()


@pytest.fixture(scope="module")
def built(district: tuple[MemoryStore, Built]) -> Built:
    return district[1]


@pytest.fixture(scope="module")
def small_store(district: tuple[MemoryStore, Built]) -> MemoryStore:
    """Overrides the conftest's store: the served graph here is the chain district."""
    return district[0]


CHAIN = """
query Chain($b: ID!, $e: ID!, $d: Date) {
  responsibilityChain(building: $b, eventType: $e, asOf: $d) {
    asOf complete building { id } eventType { id } category { id } responseLevel
    levels {
      level grid { id }
      inCharge { person { id } post { id } postType via { id } }
      partyOrganizations { organization { id } leaders { person { id } } }
      meeting { name zh }
      convenes { unit { id } roles }
      leadingGroups { id }
      defaultResponse
      gaps { kind level node { id } }
    }
    handlers { department { id } role }
    accountability { territory { id } pairing { id } }
    gaps { kind level node { id } community { id } }
  }
}
"""


def expected_b1(b: Built, day: str, pairing: str, leader: str) -> dict[str, Any]:
    """The whole answer for building 01 and 占道经营, given the pairing and the leader."""

    def ref(name: str) -> dict[str, str]:
        return {"id": b.id(name)}

    def person(name: str, post: str, post_type: str, via: str | None) -> dict[str, Any]:
        return {
            "person": ref(name),
            "post": ref(post),
            "postType": post_type,
            "via": ref(via) if via else None,
        }

    def party(org: str, *leaders: str) -> dict[str, Any]:
        return {"organization": ref(org), "leaders": [{"person": ref(p)} for p in leaders]}

    def level(name: str, grid: str, zh: str, meeting: str, **kw: Any) -> dict[str, Any]:
        return {
            "level": name,
            "grid": ref(grid),
            "inCharge": kw.get("in_charge", []),
            "partyOrganizations": kw.get("party", []),
            "meeting": {"name": meeting, "zh": zh},
            "convenes": kw.get("convenes", []),
            "leadingGroups": kw.get("groups", []),
            "defaultResponse": kw.get("default", False),
            "gaps": [],
        }

    head = {"ca": "p_head_ca", "um": "p_head_um"}[pairing]
    head_post = {"ca": "post_head_ca", "um": "post_head_um"}[pairing]
    paired = ["PAIRED_DEPARTMENT", "KEY_UNIT"] if pairing == "um" else ["PAIRED_DEPARTMENT"]
    units = [(pairing, paired)]
    units += [(k, ["KEY_UNIT"]) for k in ("um", "mw", "sa", "ls", "pm") if k != pairing]
    units.append(("mr", ["N_DEPARTMENT"]))
    return {
        "responsibilityChain": {
            "asOf": day,
            "complete": True,
            "building": ref("b1"),
            "eventType": ref("e1"),
            "category": ref("cat"),
            "responseLevel": "COMMUNITY",
            "levels": [
                level(
                    "BUILDING", "b1", "板凳会", "bench meeting",
                    in_charge=[person(leader, "post_leader_b1", "building_leader", None)],
                    party=[party("group_b1", "p_old")],
                ),
                level(
                    "COMPOUND", "k1", "网格议事会", "grid deliberation meeting",
                    in_charge=[person("p_wang", "post_branch_k1", "branch_secretary",
                                      "branch_k1")],
                    party=[party("branch_k1", "p_wang")],
                    convenes=[{"unit": ref("firm"), "roles": ["PROPERTY_FIRM"]}],
                ),
                level(
                    "COMMUNITY", "c1", "网格联席会", "grid joint meeting",
                    in_charge=[person(head, head_post, "department_head", pairing)],
                    party=[party("big_c1", "p_head_um")],
                    convenes=[{"unit": ref(u), "roles": r} for u, r in units],
                    default=True,
                ),
                level(
                    "SUBDISTRICT", "sub", "网格研判会", "grid analysis meeting",
                    in_charge=[person("p_contact", "post_contact", "district_contact_leader",
                                      None)],
                    party=[party("working_committee")],
                ),
                level(
                    "DISTRICT", "district", "网格调度会", "grid dispatch meeting",
                    in_charge=[person("p_group_head", "post_group_head", "leading_group_head",
                                      "group")],
                    party=[party("district_committee", "p_dc_secretary")],
                    groups=[ref("group")],
                ),
            ],
            "handlers": [
                {"department": ref("um"), "role": "KEY"},
                {"department": ref("mr"), "role": "N"},
            ],
            "accountability": {"territory": [ref("sub"), ref("c1")], "pairing": [ref(pairing)]},
            "gaps": [],
        }
    }  # fmt: skip


@pytest.mark.parametrize(
    ("day", "pairing", "leader"),
    [
        ("2023-06-30", "ca", "p_old"),  # last day of the old pairing
        (PAIRING_CHANGE, "um", "p_old"),  # first day of the new pairing
        ("2024-03-31", "um", "p_old"),  # last day of the old building leader
        (LEADER_CHANGE, "um", "p_new"),  # first day of the new one
    ],
)
def test_exact_chain_before_and_after_each_change(
    gql: GraphQL, built: Built, day: str, pairing: str, leader: str
) -> None:
    got = gql.data(CHAIN, b=built.id("b1"), e=built.id("e1"), d=day)
    assert got == expected_b1(built, day, pairing, leader)


def test_meeting_purpose_and_default_day(gql: GraphQL, built: Built) -> None:
    query = """query($b: ID!, $e: ID!) { responsibilityChain(building: $b, eventType: $e) {
      asOf level(level: SUBDISTRICT) { meeting { zh purpose } } } }"""
    got = gql.data(query, b=built.id("b1"), e=built.id("e1"))["responsibilityChain"]
    assert got["asOf"] == Settings().today().isoformat()  # the governed place's day
    assert got["level"]["meeting"]["zh"] == "网格研判会"
    assert got["level"]["meeting"]["purpose"]


def test_missing_links_are_explicit_gaps(gql: GraphQL, built: Built) -> None:
    """Building 02 (no leader, no party group) of 楼道堆物 (no handler): five levels still."""
    query = """query($b: ID!, $e: ID!) {
      responsibilityChain(building: $b, eventType: $e, asOf: "2024-06-01") {
        complete responseLevel handlers { role }
        levels { level grid { id } inCharge { person { id } } defaultResponse }
        gaps { kind level reason node { id } community { id } } } }"""
    got = gql.data(query, b=built.id("b2"), e=built.id("e2"))["responsibilityChain"]
    assert got["complete"] is False
    assert got["responseLevel"] == "BUILDING"
    assert got["handlers"] == []
    assert [(lv["level"], lv["grid"]["id"]) for lv in got["levels"]] == [
        ("BUILDING", built.id("b2")),
        ("COMPOUND", built.id("k1")),
        ("COMMUNITY", built.id("c1")),
        ("SUBDISTRICT", built.id("sub")),
        ("DISTRICT", built.id("district")),
    ]
    assert got["levels"][0]["inCharge"] == []
    assert got["levels"][0]["defaultResponse"] is True
    c1 = {"id": built.id("c1")}
    assert got["gaps"] == [
        {
            "kind": "NO_PERSON_IN_CHARGE",
            "level": "BUILDING",
            "reason": "桃园小区2号楼 (building:410611001001-001-02): nobody holds "
            "building_leader on 2024-06-01",
            "node": {"id": built.id("b2")},
            "community": c1,
        },
        {
            "kind": "NO_PARTY_ORGANIZATION",
            "level": "BUILDING",
            "reason": "桃园小区2号楼 (building:410611001001-001-02): no building_group covers "
            "the grid on 2024-06-01",
            "node": {"id": built.id("b2")},
            "community": c1,
        },
        {
            "kind": "NO_HANDLER",
            "level": "EVENT",
            "reason": "楼道堆物 (event_type:E0102): no department handles the event type on "
            "2024-06-01",
            "node": {"id": built.id("e2")},
            "community": None,
        },
    ]


def test_unpaired_community_and_owner_managed_compound(gql: GraphQL, built: Built) -> None:
    query = """query($b: ID!, $e: ID!) {
      responsibilityChain(building: $b, eventType: $e, asOf: "2024-06-01") {
        level(level: COMPOUND) { convenes { unit { id } roles } }
        accountability { territory { id } pairing { id } }
        gaps { kind level node { id } } } }"""
    owners = gql.data(query, b=built.id("b3"), e=built.id("e1"))["responsibilityChain"]
    assert owners["level"]["convenes"] == [
        {"unit": {"id": built.id("owners_k2")}, "roles": ["OWNERS_COMMITTEE"]}
    ]
    assert owners["gaps"] == [
        {"kind": "NO_PARTY_ORGANIZATION", "level": "COMPOUND", "node": {"id": built.id("k2")}}
    ]
    east = gql.data(query, b=built.id("b4"), e=built.id("e1"))["responsibilityChain"]
    assert east["level"]["convenes"] == []
    assert east["accountability"] == {
        "territory": [{"id": built.id("sub")}, {"id": built.id("c2")}],
        "pairing": [],
    }
    assert east["gaps"] == [
        {"kind": "NO_PROPERTY_MANAGER", "level": "COMPOUND", "node": {"id": built.id("k3")}},
        {"kind": "NO_PAIRING", "level": "COMMUNITY", "node": {"id": built.id("c2")}},
    ]


def test_routing_puts_the_territory_first(gql: GraphQL, built: Built) -> None:
    query = """query($b: ID!, $e: ID!) {
      responsibilityChain(building: $b, eventType: $e, asOf: "2024-06-01") {
        routing { order stage level unit { id } meeting { zh } } } }"""
    steps = gql.data(query, b=built.id("b1"), e=built.id("e1"))["responsibilityChain"]["routing"]
    assert [(s["stage"], s["unit"]["id"]) for s in steps] == [
        ("TERRITORY", built.id("b1")),
        ("TERRITORY", built.id("k1")),
        ("TERRITORY", built.id("c1")),
        ("OWNER", built.id("firm")),
        ("HANDLER", built.id("um")),
        ("HANDLER", built.id("mr")),
        ("ESCALATION", built.id("sub")),
        ("ESCALATION", built.id("district")),
    ]
    assert [s["order"] for s in steps] == list(range(1, 9))


GAPS = """query($d: Date, $kind: [GapKind!], $level: [GapLevel!], $first: Int, $after: String) {
  gaps(asOf: $d) {
    asOf totalCount
    counts { level kind count }
    checked { level count }
    rows(kind: $kind, level: $level, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      nodes { kind level node { id } community { id } }
    }
  }
}"""


def test_exact_gaps(gql: GraphQL, built: Built) -> None:
    got = gql.data(GAPS, d="2024-06-01")["gaps"]
    rows = [
        ("BUILDING", "NO_PERSON_IN_CHARGE", "b2", "c1"),
        ("BUILDING", "NO_PARTY_ORGANIZATION", "b2", "c1"),
        ("COMPOUND", "NO_PARTY_ORGANIZATION", "k2", "c1"),
        ("COMPOUND", "NO_PROPERTY_MANAGER", "k3", "c2"),
        ("COMMUNITY", "NO_PAIRING", "c2", "c2"),
        ("EVENT", "NO_HANDLER", "e2", None),
    ]
    assert got["asOf"] == "2024-06-01"
    assert got["totalCount"] == 6
    assert got["counts"] == [{"level": lv, "kind": k, "count": 1} for lv, k, _, _ in rows]
    assert got["checked"] == [
        {"level": lv, "count": n}
        for lv, n in [("BUILDING", 4), ("COMPOUND", 3), ("COMMUNITY", 2), ("SUBDISTRICT", 1),
                      ("DISTRICT", 1), ("EVENT", 2)]
    ]  # fmt: skip
    assert got["rows"] == {
        "totalCount": 6,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False,
                     "endCursor": got["rows"]["pageInfo"]["endCursor"]},
        "nodes": [
            {"kind": k, "level": lv, "node": {"id": built.id(n)},
             "community": {"id": built.id(c)} if c else None}
            for lv, k, n, c in rows
        ],
    }  # fmt: skip


def test_gaps_follow_the_date(gql: GraphQL, built: Built) -> None:
    """Before 2021 nobody was paired with 黎阳 and 桃园 had no property firm yet."""
    got = gql.data(GAPS, d="2021-06-01", kind=["NO_PAIRING", "NO_PROPERTY_MANAGER"])["gaps"]
    assert [(r["kind"], r["node"]["id"]) for r in got["rows"]["nodes"]] == [
        ("NO_PROPERTY_MANAGER", built.id("k1")),
        ("NO_PROPERTY_MANAGER", built.id("k3")),
        ("NO_PAIRING", built.id("c2")),
    ]
    early = gql.data(GAPS, d="2020-06-01", kind=["NO_PAIRING"])["gaps"]["rows"]
    assert {r["node"]["id"] for r in early["nodes"]} == {built.id("c1"), built.id("c2")}


def test_gap_rows_page_and_filter(gql: GraphQL, built: Built) -> None:
    everything = gql.data(GAPS, d="2024-06-01")["gaps"]["rows"]["nodes"]
    seen: list[dict[str, Any]] = []
    after = None
    for _ in range(10):
        page = gql.data(GAPS, d="2024-06-01", first=4, after=after)["gaps"]["rows"]
        assert page["totalCount"] == 6
        seen += page["nodes"]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == everything
    compounds = gql.data(GAPS, d="2024-06-01", level=["COMPOUND"])["gaps"]["rows"]
    assert compounds["totalCount"] == 2
    assert {r["level"] for r in compounds["nodes"]} == {"COMPOUND"}
    both = gql.data(GAPS, d="2024-06-01", level=["COMPOUND"], kind=["NO_PROPERTY_MANAGER"])
    assert [r["node"]["id"] for r in both["gaps"]["rows"]["nodes"]] == [built.id("k3")]
    assert gql.errors(GAPS, d="2024-06-01", after="bm90LWEtY3Vyc29y") == [
        "cursor 'bm90LWEtY3Vyc29y' is not in this list"
    ]
    assert "maximum page size" in gql.errors(GAPS, first=LIMITS.max_page_size + 1)[0]


def test_unknown_ids_are_clear_errors(gql: GraphQL, built: Built) -> None:
    query = """query($b: ID!, $e: ID!) {
      responsibilityChain(building: $b, eventType: $e) { asOf } }"""
    assert gql.errors(query, b="building:nowhere", e=built.id("e1")) == [
        "no Building 'building:nowhere' in the store"
    ]
    assert gql.errors(query, b=built.id("b1"), e="event_type:nothing") == [
        "no EventType 'event_type:nothing' in the store"
    ]
    assert gql.errors(query, b=built.id("k1"), e=built.id("e1")) == [
        f"'{built.id('k1')}' is a Compound, not a Building"
    ]


def test_an_unknown_id_fails_only_its_own_question(gql: GraphQL, built: Built) -> None:
    """Batched with good questions, a bad id errors its alias alone (the field is non-null,
    so GraphQL nulls the whole data, but the errors name only the bad path)."""
    query = """query($b: ID!, $e: ID!) {
      good: responsibilityChain(building: $b, eventType: $e) { asOf }
      bad: responsibilityChain(building: "building:nowhere", eventType: $e) { asOf } }"""
    body = gql.post(query, b=built.id("b1"), e=built.id("e1")).json()
    assert [(e["path"], e["message"]) for e in body["errors"]] == [
        (["bad"], "no Building 'building:nowhere' in the store")
    ]


def test_names_and_codes_are_resolved_in_the_batch_each_failing_only_its_own_question(
    gql: GraphQL, built: Built
) -> None:
    """The chain loader takes the building and event type as asked (id, code or name) and
    resolves them in its batch; one that names nothing errors its own alias alone."""
    query = """query($b: ID!, $e: ID!, $n: ID!) {
      byName: responsibilityChain(building: $b, eventType: $n) { building { id } eventType { id } }
      byId: responsibilityChain(building: $e, eventType: $n) { building { id } }
      nowhere: responsibilityChain(building: "无此楼栋", eventType: $n) { asOf } }"""
    body = gql.post(query, b="桃园小区1号楼", e=built.id("b1"), n="E0101").json()
    assert [e["path"] for e in body["errors"]] == [["nowhere"]]
    assert body["errors"][0]["message"].startswith("no Building '无此楼栋': give an id")
    good = """query($b: ID!, $n: ID!) {
      byName: responsibilityChain(building: $b, eventType: $n) { building { id } eventType { id } }
      byId: responsibilityChain(building: $b, eventType: "占道经营") { building { id } } }"""
    data = gql.data(good, b="桃园小区1号楼", n="E0101")
    assert data["byName"] == {
        "building": {"id": built.id("b1")},
        "eventType": {"id": built.id("e1")},
    }
    assert data["byId"] == {"building": {"id": built.id("b1")}}


# -- store calls ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def counting() -> Iterator[tuple[CountingStore, httpx.Client, Built]]:
    store = MemoryStore()
    built = build_synthetic_district(store, communities=4, compounds_per=3, buildings_per=4)
    proxy = CountingStore(store)
    with in_process(create_app(proxy, response_cache=False)) as client:  # type: ignore[arg-type]
        yield proxy, client, built
    store.close()


def _aliased(pairs: list[tuple[str, str]], day: str, prefix: str = "c") -> str:
    """One aliased ``responsibilityChain`` field per pair, inside ``{ }``."""
    fields = "\n".join(
        f'{prefix}{i}: responsibilityChain(building: "{b}", eventType: "{e}", asOf: "{day}") '
        "{ complete levels { grid { id } inCharge { person { name } } "
        "convenes { unit { name } roles } gaps { kind } } handlers { role } "
        "accountability { pairing { id } } gaps { kind node { id } community { id } } }"
        for i, (b, e) in enumerate(pairs)
    )
    return "{ " + fields + " }"


def test_many_chains_in_one_request_cost_a_bounded_number_of_store_calls(
    counting: tuple[CountingStore, httpx.Client, Built],
) -> None:
    proxy, client, built = counting
    buildings = sorted(n.id for n in built.nodes.values() if n.kind == "Building")
    events = sorted(n.id for n in built.nodes.values() if n.kind == "EventType")

    def calls(pairs: list[tuple[str, str]], day: str = "2024-06-01") -> Counter[str]:
        proxy.calls.clear()
        body = client.post("/graphql", json={"query": _aliased(pairs, day)})
        data = body.json()
        assert "errors" not in data, data["errors"]
        assert len(data["data"]) == len(pairs)
        return Counter(proxy.calls)

    # each ask on a day no request asked before: chains are kept across requests
    one = calls([(buildings[0], events[0])], "2024-06-02")
    # get_nodes, walk, four neighbours, nodes_of_kind: one responsibility_chains call for the
    # whole request, and the store's version for the chains kept across requests.
    assert sum(one.values()) <= 8 and one["version"] == 1, one
    many = [(b, events[i % len(events)]) for i, b in enumerate(buildings[:30])]
    assert len({b for b, _ in many}) == 30
    assert calls(many, "2024-06-03") == one  # 30 chains: the same calls as one
    # Two days asked in one request: one batch per day.
    mixed = _aliased(many[:10], "2023-01-01", "x")[:-1] + _aliased(many[10:20], "2024-06-04")[1:]
    proxy.calls.clear()
    body = client.post("/graphql", json={"query": mixed}).json()
    assert "errors" not in body, body["errors"]
    twice = Counter({k: 2 * v for k, v in one.items() if k != "version"})
    assert Counter(proxy.calls) == twice + Counter(version=1)  # one look at the version


def test_a_chain_asked_again_is_kept_until_the_data_changes(
    counting: tuple[CountingStore, httpx.Client, Built],
) -> None:
    """Chains are kept per store version across requests, as coverage is: a repeat reads
    nothing but the version; one new question among kept ones computes that one alone."""
    proxy, client, built = counting
    buildings = sorted(n.id for n in built.nodes.values() if n.kind == "Building")
    event = sorted(n.id for n in built.nodes.values() if n.kind == "EventType")[0]

    def ask(pairs: list[tuple[str, str]]) -> tuple[dict[str, object], Counter[str]]:
        proxy.calls.clear()
        body = client.post("/graphql", json={"query": _aliased(pairs, "2025-03-01")}).json()
        assert "errors" not in body, body["errors"]
        return body["data"], Counter(proxy.calls)

    first, computed = ask([(buildings[0], event), (buildings[1], event)])
    again, repeat = ask([(buildings[0], event), (buildings[1], event)])
    assert again == first
    assert set(repeat) == {"version"}, repeat
    _, one_more = ask([(buildings[0], event), (buildings[2], event)])
    assert one_more == computed  # the new chain's batch only
    kept = proxy.get_nodes([buildings[0]])[buildings[0]]
    changed = {**kept.props, "floors": int(kept.props.get("floors") or 0) + 1}
    proxy.upsert_nodes([StoreNode(kept.id, kept.kind, changed)])  # a write: kept chains go
    _, after = ask([(buildings[0], event), (buildings[1], event)])
    assert after == computed


def test_the_gap_report_is_computed_once_per_version(
    counting: tuple[CountingStore, httpx.Client, Built],
) -> None:
    proxy, client, _ = counting
    query = '{ gaps(asOf: "2024-06-01") { totalCount rows(first: 5) { nodes { kind } } } }'
    client.post("/graphql", json={"query": query})
    proxy.calls.clear()
    paged = '{ gaps(asOf: "2024-06-01") { counts { count } rows(first: 2) { totalCount } } }'
    body = client.post("/graphql", json={"query": paged}).json()
    assert "errors" not in body, body
    assert proxy.calls == Counter({"version": 1})


CHAIN_TYPES = (
    "ResponsibilityChain", "ChainLevel", "PersonInCharge", "ChainPartyOrganization", "Meeting",
    "ConvenableUnit", "Handler", "Accountability", "RoutingStep", "Gap", "GapReport",
    "GapCount", "GapsChecked", "GapConnection", "GapKind", "GapLevel", "UnitRole",
    "HandlerRole", "RoutingStage",
)  # fmt: skip


def test_every_type_field_argument_and_value_is_described_in_english_and_chinese() -> None:
    schema = build_schema()._schema
    chinese = re.compile(r"[\u4e00-\u9fff]")
    described: list[tuple[str, str | None]] = []
    for name in CHAIN_TYPES:
        t = schema.type_map[name]
        described.append((name, t.description))
        if isinstance(t, GraphQLObjectType):
            for fname, f in t.fields.items():
                described.append((f"{name}.{fname}", f.description))
                described += [(f"{name}.{fname}({a})", arg.description)
                              for a, arg in f.args.items()]  # fmt: skip
        elif isinstance(t, GraphQLEnumType):
            described += [(f"{name}.{v}", val.description) for v, val in t.values.items()]
    root = schema.query_type
    assert root is not None
    for fname in ("responsibilityChain", "gaps"):
        f = root.fields[fname]
        described.append((fname, f.description))
        described += [(f"{fname}({a})", arg.description) for a, arg in f.args.items()]
    missing = [where for where, text in described if not text or not chinese.search(text)]
    assert not missing, missing
