"""Answers at hand are given on the event loop, everything else in a worker thread, with the
same bytes either way (:mod:`api.inline`).

Two apps over one small graph, one compiling its registered documents and one answering all
through graphql-core: a building's coverage and a chain asked for the first time need the
store, so they run in a worker; asked again they are kept, and run inline. A name instead of
an id, a write, a plan with a long list: each needs more than is at hand and is given to a
worker, never computed on the loop. And the pieces the rule rests on: a store call, a
DataLoader, a kept answer to compute, each refused while a run is inline.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from graphql import parse

from api import inline
from api.app import create_app
from api.compiled import Compiler
from api.context import GraphContext
from api.identity import token_hash
from api.inline import Offload, inline_when_kept
from api.persisted import Registry
from api.state import ApiState
from graph.memory import MemoryStore
from graph.model import Direction, new_node
from graph.settings import Settings
from tests.api.serving import in_process
from tests.chain_graph import Built, build_small_district

ROOT = Path(__file__).resolve().parents[2]
COVERAGE = (ROOT / "docs" / "queries" / "coverage.graphql").read_text(encoding="utf-8")
CHAIN = (ROOT / "docs" / "queries" / "responsibility_chain.graphql").read_text(encoding="utf-8")
GAPS = (ROOT / "docs" / "queries" / "gaps.graphql").read_text(encoding="utf-8")
DAY = "2024-07-01"

Servers = tuple[httpx.Client, httpx.Client, Registry, MemoryStore]


@pytest.fixture(autouse=True)
def time_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """An inline budget no busy test machine reaches: what is counted here is which requests
    need more than is at hand, not how fast this machine is."""
    monkeypatch.setattr(inline, "BUDGET", 60.0)


@pytest.fixture(scope="module")
def built() -> Iterator[tuple[MemoryStore, Built]]:
    store = MemoryStore()
    yield store, build_small_district(store)
    store.close()


@pytest.fixture(scope="module")
def servers(built: tuple[MemoryStore, Built]) -> Iterator[Servers]:
    """(compiled, graphql-core, the compiled app's registry, the store); no response cache
    (every request executes), a time limit no busy machine reaches."""
    store = built[0]
    compiled = create_app(store, Settings(request_timeout=120), response_cache=False)
    plain = create_app(
        store, Settings(request_timeout=120, compiled_queries=False), response_cache=False
    )
    with in_process(compiled) as a, in_process(plain) as b:
        yield a, b, compiled.state.persisted, store


def _by_hash(text: str, **variables: Any) -> dict[str, Any]:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
            "variables": variables}  # fmt: skip


def _ask(servers: Servers, body: dict[str, Any]) -> tuple[bytes, int, int]:
    """The compiled app's bytes (checked equal to graphql-core's), and how many answers
    came from a plan and how many of those inline."""
    compiled, plain, registry, _ = servers
    hits, inlined = registry.hits, registry.inline
    a, b = compiled.post("/graphql", json=body), plain.post("/graphql", json=body)
    assert a.status_code == b.status_code == 200
    assert "errors" not in a.json(), a.text[:300]
    assert a.content == b.content
    return a.content, registry.hits - hits, registry.inline - inlined


def test_a_kept_coverage_is_answered_inline_with_the_same_bytes(
    servers: Servers, built: tuple[MemoryStore, Built]
) -> None:
    body = _by_hash(COVERAGE, building=built[1].id("b1"), asOf=DAY)
    first, hits, inlined = _ask(servers, body)
    assert (hits, inlined) == (1, 0)  # computed: the store, in a worker
    again, hits, inlined = _ask(servers, body)
    assert (hits, inlined) == (1, 1) and again == first


def test_a_kept_chain_is_answered_inline_with_the_same_bytes(
    servers: Servers, built: tuple[MemoryStore, Built]
) -> None:
    nodes = built[1]
    body = _by_hash(CHAIN, building=nodes.id("b1"), eventType=nodes.id("e1"), asOf=DAY)
    first, hits, inlined = _ask(servers, body)
    assert (hits, inlined) == (1, 0)
    again, hits, inlined = _ask(servers, body)
    assert (hits, inlined) == (1, 1) and again == first


def test_a_name_needs_the_store_and_is_never_answered_inline(
    servers: Servers, built: tuple[MemoryStore, Built]
) -> None:
    """The building by its exact name: resolving the name is a store call, so every ask goes
    to a worker, kept answer or not; the answer is the one the id gets."""
    b1 = built[1].nodes["b1"]
    by_id, _, _ = _ask(servers, _by_hash(COVERAGE, building=b1.id, asOf=DAY))
    name = str(b1.props["name"])
    for _ in range(2):
        by_name, hits, inlined = _ask(servers, _by_hash(COVERAGE, building=name, asOf=DAY))
        assert (hits, inlined) == (1, 0) and by_name == by_id


def test_after_a_write_the_answer_is_computed_again_in_a_worker(
    servers: Servers, built: tuple[MemoryStore, Built]
) -> None:
    """(Last of the HTTP tests: it renames building b1.)"""
    b1 = built[1].nodes["b1"]
    body = _by_hash(COVERAGE, building=b1.id, asOf=DAY)
    _ask(servers, body)
    _ask(servers, body)
    store = servers[3]
    store.upsert_nodes([new_node("Building", **{**b1.props, "name": "改名楼"})])
    changed, hits, inlined = _ask(servers, body)
    assert (hits, inlined) == (1, 0)
    assert "改名楼".encode() in changed
    _, _, inlined = _ask(servers, body)
    assert inlined == 1


def test_only_plans_whose_every_root_field_is_marked_run_inline(servers: Servers) -> None:
    registry = servers[2]

    def plan(text: str) -> Any:
        entry = registry.get(hashlib.sha256(text.encode("utf-8")).hexdigest())
        assert entry is not None
        return entry.plans[None]

    assert plan(COVERAGE).inline and plan(CHAIN).inline
    assert not plan(GAPS).inline  # a report's first ask of a day is a whole-graph pass


# -- the pieces -------------------------------------------------------------------------------
def _inline_context(store: MemoryStore) -> GraphContext:
    return GraphContext(ApiState(store, Settings()))


def test_while_inline_a_store_call_a_loader_and_a_computation_offload(
    built: tuple[MemoryStore, Built],
) -> None:
    store, nodes = built
    b1 = nodes.id("b1")
    context = _inline_context(store)
    token = inline.enter()
    try:
        with pytest.raises(Offload):
            context.store.get_nodes([b1])
        with pytest.raises(Offload):
            context.hops(None, Direction.OUT, None, None)
        with pytest.raises(Offload):
            context.state.cache.get_or_compute(("x",), lambda: 1)
        assert context.version() == store.version()  # the one look that is allowed
    finally:
        inline.leave(token)
    # outside an inline run the same calls work, and what they keep is then at hand inline
    assert b1 in context.store.get_nodes([b1])
    assert context.state.cache.get_or_compute(("x",), lambda: 1) == 1
    token = inline.enter()
    try:
        assert context.state.cache.get_or_compute(("x",), lambda: 2) == 1
    finally:
        inline.leave(token)


@strawberry.type
class Query:
    @strawberry.field
    @inline_when_kept
    def numbers(self, n: int) -> list[int]:
        return list(range(n))

    @strawberry.field
    def unmarked(self) -> int:
        return 1


SCHEMA = strawberry.Schema(query=Query)


def test_a_plan_with_a_list_longer_than_an_inline_run_takes_offloads() -> None:
    compiler = Compiler(SCHEMA)
    plan = compiler.compile(parse("query($n: Int!) { numbers(n: $n) }"), None)
    assert plan.inline
    assert not compiler.compile(parse("{ numbers(n: 1) unmarked }"), None).inline
    budget = 1e12  # time enough: only the length counts here
    short = plan.start(None, plan.variables({"n": 3}), budget)
    assert short == {"numbers": [0, 1, 2]}
    long = plan.variables({"n": inline.MAX_ITEMS + 1})
    with pytest.raises(Offload):
        plan.start(None, long, budget)
    assert asyncio.run(plan.execute(None, long))["numbers"][-1] == inline.MAX_ITEMS
    with pytest.raises(Offload):  # past its budget: the next list gives way
        plan.start(None, plan.variables({"n": 3}), time.perf_counter() - 1)


# -- kept renderings and who is asking ----------------------------------------------------------
PHONE = "13912341234"
PHONES = (
    "query CoveragePhones($building: ID!, $asOf: Date) { coverage(building: $building, "
    "asOf: $asOf) { levels { posts { postType holders { name contactPhone } } } } }\n"
)


def _kept_fields(plan: Any) -> list[str]:
    return [
        f.key for f in plan.root.fields if getattr(f.complete, "__name__", "") == "complete_kept"
    ]


def test_a_personal_field_is_never_kept_and_each_viewer_gets_their_own_answer(
    tmp_path: Path,
) -> None:
    """The coverage document keeps its rendering; one that asks a person's phone cannot (the
    phone is masked or logged by who asks), and a reader and an app asking in turn, again and
    again, each get their own answer, the app's every read logged."""
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "phones.graphql").write_text(PHONES, encoding="utf-8")
    tokens = tmp_path / "tokens.toml"
    entry = '[[token]]\nname = "{0}-user"\nrole = "{0}"\nsha256 = "{1}"\n\n'
    tokens.write_text(
        "".join(entry.format(role, token_hash("t-" + role)) for role in ("reader", "app")),
        encoding="utf-8",
    )
    store = MemoryStore()
    nodes = build_small_district(store)
    holder = nodes.nodes["p_new"]  # building b1's leader on DAY
    store.upsert_nodes([new_node("Person", **{**holder.props, "contact_phone": PHONE})])
    settings = Settings(tokens_file=tokens, persisted_queries_dir=folder, read_token=None,
                        request_timeout=120)  # fmt: skip
    app = create_app(store, settings, response_cache=False)
    registry, trail = app.state.persisted, app.state.gridgraph.audit
    digest = hashlib.sha256(PHONES.encode("utf-8")).hexdigest()
    phones = registry.get(digest)
    coverage = registry.get(hashlib.sha256(COVERAGE.encode("utf-8")).hexdigest())
    assert phones is not None and coverage is not None
    assert _kept_fields(coverage.plans[None]) == ["coverage"]
    assert _kept_fields(phones.plans[None]) == [] and phones.plans[None].inline
    body = {"documentId": digest, "variables": {"building": nodes.id("b1"), "asOf": DAY}}
    with in_process(app) as client:
        before = len(list(trail.entries()))
        hits, inlined = registry.hits, registry.inline
        for role in ("reader", "app", "reader", "app"):
            answer = client.post(
                "/graphql", json=body, headers={"Authorization": f"Bearer t-{role}"}
            )
            text = answer.text
            assert (PHONE in text) == (role == "app"), (role, text[:300])
            assert ("139****1234" in text) == (role == "reader"), (role, text[:300])
        assert registry.hits - hits == 4 and registry.inline - inlined == 3  # first: computed
        reads = [e for e in list(trail.entries())[before:] if e["action"] == "read_personal"]
        assert [e["who"] for e in reads] == ["app-user", "app-user"]
    store.close()


def test_without_kept_renderings_every_field_is_walked_and_the_bytes_are_the_same(
    built: tuple[MemoryStore, Built],
) -> None:
    store, nodes = built
    off = create_app(store, Settings(keep_renderings=False), response_cache=False)
    on = create_app(store, Settings(), response_cache=False)
    entry = off.state.persisted.get(hashlib.sha256(COVERAGE.encode("utf-8")).hexdigest())
    assert entry is not None and _kept_fields(entry.plans[None]) == []
    body = _by_hash(COVERAGE, building=nodes.id("b1"), asOf=DAY)
    with in_process(off) as a, in_process(on) as b:
        answers = [c.post("/graphql", json=body).content for c in (a, b, a, b)]
    assert len(set(answers)) == 1 and b'"levels"' in answers[0]


def test_a_part_asked_with_a_variable_is_not_kept(servers: Servers) -> None:
    """``level(level: $l)`` answers by the request's variable: the coverage below the field is
    no longer its source's alone, so nothing is kept; the same with the level written out is."""
    compiler = servers[2].compiler
    asked = "coverage(building: $b) {{ level(level: {0}) {{ level grid {{ id }} }} }}"
    by_variable = compiler.compile(
        parse("query($b: ID!, $l: GridLevel!) { " + asked.format("$l") + " }"), None
    )
    written = compiler.compile(parse("query($b: ID!) { " + asked.format("COMMUNITY") + " }"), None)
    assert _kept_fields(by_variable) == [] and _kept_fields(written) == ["coverage"]


def test_a_compiled_whole_graph_report_runs_with_the_collector_paused(
    servers: Servers, built: tuple[MemoryStore, Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on the ordinary path (api.limits.QueryBounds.on_execute): the gaps document, compiled,
    runs its plan with the collector paused; a coverage does not."""
    import gc

    import api.persisted

    seen: list[bool] = []
    real = api.persisted.gc_paused

    @contextmanager
    def watched() -> Iterator[None]:
        with real():
            seen.append(gc.isenabled())
            yield

    monkeypatch.setattr(api.persisted, "gc_paused", watched)
    _, hits, _ = _ask(servers, _by_hash(GAPS, asOf=DAY))
    assert hits == 1 and seen == [False]
    _ask(servers, _by_hash(COVERAGE, building=built[1].id("b1"), asOf="2024-07-02"))
    assert seen == [False]
    assert gc.isenabled()
