"""Every field that takes ``asOf`` treats it the same way: without it, the question is asked
for *today in the governed place* (``Settings.timezone``, default Asia/Shanghai), not the
server's day, and only what is in force on that day counts.

The clock is frozen at 2024-06-30 17:00 UTC, which is already 2024-07-01 in Shanghai: the day
the small graph's pairing changes (城管局 until 2024-06-30, 民政局 from 2024-07-01), so each
answer shows which day it was asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    Undefined,
)

from api.app import create_app
from api.schema import build_schema
from graph.listing import Step, end_kinds
from graph.memory import MemoryStore
from graph.model import Direction, Relationship, new_node
from graph.settings import Settings
from tests import small_graph as g
from tests.api.conftest import LIMITS, GraphQL
from tests.api.serving import in_process

FLIP = datetime(2024, 6, 30, 17, 0, tzinfo=UTC)  # 2024-07-01 01:00 in Shanghai
SHANGHAI_DAY, UTC_DAY = "2024-07-01", "2024-06-30"

LEADING_GROUP = new_node("LeadingGroup", code="LG01", name="网格化社会治理领导小组", synthetic=True)
CATEGORY = new_node("EventCategory", code="C01", name="市容环境", synthetic=True)
EVENT = new_node(
    "EventType", code="E0101", name="占道经营", response_level="community", synthetic=True
)
EXTRA_NODES = [LEADING_GROUP, CATEGORY, EVENT]
EXTRA_RELS = [
    Relationship("COVERS", LEADING_GROUP.id, g.DISTRICT.id, {"synthetic": True}),
    Relationship("MEMBER_OF", g.QIAN.id, LEADING_GROUP.id, {"synthetic": True}),
    Relationship("IN_CATEGORY", EVENT.id, CATEGORY.id, {"synthetic": True}),
    Relationship(
        "HANDLED_BY",
        EVENT.id,
        g.CHENGGUAN.id,
        {"role": "key", "valid_to": UTC_DAY, "synthetic": True},
    ),
    Relationship(
        "HANDLED_BY",
        EVENT.id,
        g.MINZHENG.id,
        {"role": "n", "valid_from": SHANGHAI_DAY, "synthetic": True},
    ),
]


@pytest.fixture(scope="module")
def store() -> Iterator[MemoryStore]:
    s = MemoryStore()
    g.seed_small_graph(s)
    with s.transaction() as tx:
        tx.upsert_nodes(EXTRA_NODES)
        tx.upsert_relationships(EXTRA_RELS)
    yield s
    s.close()


def _client(store: MemoryStore, settings: Settings) -> Iterator[GraphQL]:
    with in_process(create_app(store, settings)) as c:
        yield GraphQL(c)


@pytest.fixture(scope="module")
def shanghai(store: MemoryStore) -> Iterator[GraphQL]:
    yield from _client(store, LIMITS.model_copy(update={"max_aliases": 30}))


@pytest.fixture(scope="module")
def utc(store: MemoryStore) -> Iterator[GraphQL]:
    yield from _client(store, LIMITS.model_copy(update={"timezone": "UTC", "max_aliases": 30}))


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(FLIP, tick=False):
        assert Settings().today() == date.fromisoformat(SHANGHAI_DAY)
        yield


def names(items: list[dict[str, Any]]) -> list[str]:
    return sorted(i["name"] for i in items)


# -- today is the governed place's day ----------------------------------------------------
def test_the_default_zone_is_shanghai_and_a_setting_decides(frozen: None) -> None:
    assert Settings().timezone == "Asia/Shanghai"
    assert Settings(timezone="UTC").today() == date.fromisoformat(UTC_DAY)
    with pytest.raises(ValueError, match="Mars/Olympus"):
        Settings(timezone="Mars/Olympus")


PAIRED = '{ node(id: "' + g.LIYANG.id + '") { ... on Community { pairedBy { name } } } }'


def test_relationship_fields_default_to_the_places_day(
    shanghai: GraphQL, utc: GraphQL, frozen: None
) -> None:
    assert names(shanghai.data(PAIRED)["node"]["pairedBy"]) == ["区民政局"]
    assert names(utc.data(PAIRED)["node"]["pairedBy"]) == ["区城市管理局"]


# -- each top-level field -------------------------------------------------------------------
def test_coverage_chain_and_gaps_answer_for_the_places_day(
    shanghai: GraphQL, utc: GraphQL, frozen: None
) -> None:
    query = """query($b: ID!, $e: ID!) {
      coverage(building: $b) { asOf }
      responsibilityChain(building: $b, eventType: $e) { asOf }
      gaps { asOf } }"""
    for client, day in ((shanghai, SHANGHAI_DAY), (utc, UTC_DAY)):
        got = client.data(query, b=g.B3.id, e=EVENT.id)
        assert {k: v["asOf"] for k, v in got.items()} == dict.fromkeys(got, day)


def test_path_without_as_of_uses_only_links_in_force_today(shanghai: GraphQL, frozen: None) -> None:
    query = """query($a: ID!, $b: ID!, $d: Date) {
      path(from: $a, to: $b, maxLength: 1, asOf: $d) { length } }"""
    # 城管局's pairing with 黎阳社区 lapsed on 2024-06-30: no direct link today.
    assert shanghai.data(query, a=g.LIYANG.id, b=g.CHENGGUAN.id)["path"] is None
    assert shanghai.data(query, a=g.LIYANG.id, b=g.CHENGGUAN.id, d=UTC_DAY)["path"] == {"length": 1}
    assert shanghai.data(query, a=g.LIYANG.id, b=g.MINZHENG.id)["path"] == {"length": 1}


def test_agreements_expiring_lists_only_agreements_in_force(
    shanghai: GraphQL, frozen: None
) -> None:
    query = """query($n: Int!, $d: Date) { agreementsExpiring(withinDays: $n, asOf: $d) {
      agreement { name } daysLeft parties { name } } }"""
    # On 2023-05-01, 红领巾驿站 (A3) is not yet in force (it starts 2023-06-01): not listed.
    early = shanghai.data(query, n=1000, d="2023-05-01")["agreementsExpiring"]
    assert [e["agreement"]["name"] for e in early] == ["海棠书巷", "四合同心"]
    today = shanghai.data(query, n=200)["agreementsExpiring"]
    assert [(e["agreement"]["name"], e["daysLeft"]) for e in today] == [("海棠书巷", 183)]
    assert names(today[0]["parties"]) == ["东方社区", "河南师范大学社会事业学院"]
    lapsed = shanghai.data(query, n=30, d="2025-01-01")["agreementsExpiring"]
    assert lapsed == []


def test_shared_agreements_default_to_the_places_day(shanghai: GraphQL, utc: GraphQL) -> None:
    query = """query($u: ID!) { sharedAgreements(unit: $u) { party { name } } }"""
    # 海棠书巷 (with 东方社区) lapses on 2024-12-31; at 17:00 UTC it is 2025 in Shanghai.
    with time_machine.travel(datetime(2024, 12, 31, 17, 0, tzinfo=UTC), tick=False):
        here = shanghai.data(query, u=g.UNIVERSITY.id)["sharedAgreements"]
        there = utc.data(query, u=g.UNIVERSITY.id)["sharedAgreements"]
    assert "东方社区" not in {s["party"]["name"] for s in here}
    assert "东方社区" in {s["party"]["name"] for s in there}


# -- every relationship field with asOf: no asOf is the same as asOf = the place's day ------
def _unwrap(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def _selection(t: Any) -> str:
    t = _unwrap(t)
    if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
        inner = [f for f in ("id", "type", "validFrom", "count") if f in t.fields]
        if "node" in t.fields and "id" in _unwrap(t.fields["node"].type).fields:
            inner.append("node { id }")
        return "{ %s }" % (" ".join(inner) or "__typename")
    if isinstance(t, GraphQLUnionType):
        return "{ __typename ... on Node { id } }"
    return ""


def _step(name: str) -> Step:
    """``PARTY_TO_OUT`` as a step."""
    rel, direction = name.rsplit("_", 1)
    return Step(rel, Direction[direction])


def _required(field: Any, kind: str) -> str:
    """Values for the field's other required arguments (enums: their last value; a path of
    relationship steps: the last step the kind can take)."""
    out = []
    for name, arg in field.args.items():
        if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined:
            t = _unwrap(arg.type)
            assert isinstance(t, GraphQLEnumType), (name, t)
            values = list(t.values)
            if t.name == "RelStep":
                values = [v for v in values if end_kinds([kind], _step(v))]
            out.append(f"{name}: {values[-1]}")
    return ", ".join(out)


def _as_of_fields() -> list[tuple[str, str, str]]:
    schema = build_schema()._schema
    kinds_served = {n.kind for n in [*g.NODES, *EXTRA_NODES]}
    out = []
    for name in sorted(kinds_served):
        t = schema.type_map[name]
        assert isinstance(t, GraphQLObjectType)
        for field_name, field in sorted(t.fields.items()):
            if "asOf" in field.args:
                args = _required(field, name)
                out.append(
                    (
                        name,
                        f"{field_name}({args}" if args else f"{field_name}(",
                        _selection(field.type),
                    )
                )
    return out


AS_OF_FIELDS = _as_of_fields()


def _bare_and_dated(kind: str, field: str, selection: str) -> str:
    """The field twice on node $id: without asOf (``bare``) and with asOf: $d (``dated``)."""
    bare = field[:-1] if field.endswith("(") else field + ")"
    dated = field + ("asOf: $d)" if field.endswith("(") else ", asOf: $d)")
    return (
        "query($id: ID!, $d: Date!) { node(id: $id) { ... on " + kind + " { "
        f"bare: {bare} {selection} dated: {dated} {selection} }} }} }}"
    )


NODE_OF_KIND = {n.kind: n.id for n in reversed([*g.NODES, *EXTRA_NODES])}
NODE_OF_KIND |= {"Post": g.GRID_LEADER.id, "Person": g.ZHANG.id}  # whose links change that day


@pytest.mark.parametrize(
    ("kind", "field", "selection"),
    AS_OF_FIELDS,
    ids=[f"{k}.{f.split('(')[0]}" for k, f, _ in AS_OF_FIELDS],
)
def test_each_as_of_field_defaults_to_the_places_day(
    shanghai: GraphQL, frozen: None, kind: str, field: str, selection: str
) -> None:
    got = shanghai.data(
        _bare_and_dated(kind, field, selection), id=NODE_OF_KIND[kind], d=SHANGHAI_DAY
    )
    assert got["node"]["bare"] == got["node"]["dated"]


def test_the_day_matters_to_the_time_bound_fields(shanghai: GraphQL, frozen: None) -> None:
    """The check above can fail: on the server's (UTC) day these fields answer differently."""
    changed = set()
    for kind, field, selection in AS_OF_FIELDS:
        query = _bare_and_dated(kind, field, selection)
        got = shanghai.data(query, id=NODE_OF_KIND[kind], d=UTC_DAY)["node"]
        if got["bare"] != got["dated"]:
            changed.add(f"{kind}.{field.split('(')[0]}")
    assert {
        "Community.pairedBy", "Department.pairedWith", "Post.heldBy", "Person.holds",
        "EventType.handledBy", "Department.handles",
    } <= changed  # fmt: skip
