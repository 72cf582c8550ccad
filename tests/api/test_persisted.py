"""Persisted queries answered from compiled plans give the bytes graphql-core gives.

Two servers over one Qibin reference graph, one compiling its persisted documents and one not
(``GRIDGRAPH_COMPILED_QUERIES=false``, every request through graphql-core), get the same
requests: every document in docs/queries/ with the variables its ``# Variables:`` comment shows,
and the console's queries; the answers must be equal byte for byte, and the compiled server
must really have answered from its plans. Then the protocol: a registered hash (Apollo's
``extensions.persistedQuery`` or ``documentId``) runs its document, an unknown one is an error
in Chinese and English, a text that does not match its hash is refused, an operator's folder
registers more, and the rules of the ordinary path (errors, roles, personal data and its audit,
cost with per-request variables) hold on the compiled one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.identity import token_hash
from api.persisted import PersistedQueryError, Registry, console_queries, sha256
from graph.memory import MemoryStore
from graph.model import new_node
from graph.settings import Settings
from loaders.reference import seed_reference_graph
from tests.api.serving import in_process
from tests.small_graph import seed_small_graph

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "docs" / "queries").glob("*.graphql"))
BUILDING = "building:410611001001-001-01"
EVENT = "event_type:410611-01-01"
#: variables for the console's queries, by operation name
CONSOLE_VARIABLES: dict[str, dict[str, Any]] = {
    "ConsoleBuilding": {"building": BUILDING, "eventType": EVENT, "asOf": "2024-07-01"},
    "ConsoleGaps": {"asOf": "2024-07-01", "kind": None, "level": ["BUILDING"], "first": 20},
    "ConsoleSearch": {"text": "淇滨", "kinds": None},
    "ConsoleNode": {"id": "community:410611001001", "asOf": "2024-07-01", "shared": True,
                    "days": 365},
}  # fmt: skip


def _variables(text: str) -> dict[str, Any]:
    found = re.search(r"^# Variables: (\{.*\})$", text, re.M)
    return json.loads(found.group(1)) if found else {}


def _operation(text: str) -> str | None:
    found = re.search(r"\bquery\s+(\w+)", text)
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def reference() -> Iterator[MemoryStore]:
    store = MemoryStore()
    seed_reference_graph(store, scale=1)
    yield store
    store.close()


@pytest.fixture(scope="module")
def servers(reference: MemoryStore) -> Iterator[tuple[httpx.Client, httpx.Client, Registry]]:
    """(compiled, interpreted, the compiled server's registry); no response cache, and a time
    limit a busy test machine cannot hit."""
    compiled = create_app(reference, Settings(request_timeout=120), response_cache=False)
    plain = create_app(
        reference, Settings(request_timeout=120, compiled_queries=False), response_cache=False
    )
    with in_process(compiled) as ca, in_process(plain) as cb:
        yield ca, cb, compiled.state.persisted


def _both(
    servers: tuple[httpx.Client, httpx.Client, Registry], body: dict[str, Any]
) -> tuple[httpx.Response, httpx.Response, int]:
    compiled, plain, registry = servers
    hits = registry.hits
    a = compiled.post("/graphql", json=body)
    b = plain.post("/graphql", json=body)
    return a, b, registry.hits - hits


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_compiled_and_answers_the_same_bytes(
    servers: tuple[httpx.Client, httpx.Client, Registry], path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    entry = servers[2].get(sha256(text))
    assert entry is not None, f"{path.name} is not registered"
    assert all(plan is not None for plan in entry.plans.values()), f"{path.name}: not compiled"
    body = {"query": text, "variables": _variables(text), "operationName": _operation(text)}
    a, b, hits = _both(servers, body)
    assert a.status_code == b.status_code == 200
    assert "errors" not in a.json(), a.text[:500]
    assert a.content == b.content
    assert hits == 1, "the compiled server did not answer from its plan"


@pytest.mark.parametrize("origin_text", console_queries(), ids=lambda o: o[0].split("/")[-1])
def test_the_consoles_queries_answer_the_same_bytes(
    servers: tuple[httpx.Client, httpx.Client, Registry], origin_text: tuple[str, str]
) -> None:
    origin, text = origin_text
    name = _operation(text)
    entry = servers[2].get(sha256(text))
    assert entry is not None, f"{origin} is not registered"
    body = {"query": text, "variables": CONSOLE_VARIABLES.get(name or "", {})}
    a, b, hits = _both(servers, body)
    assert a.status_code == b.status_code == 200
    assert a.content == b.content
    if name == "ConsoleImports":  # the import log is for admins: refused, on either path
        assert "ImportRun" in a.json()["errors"][0]["message"]
        assert hits == 0
        return
    assert "errors" not in a.json(), a.text[:500]
    # a document with @include runs on graphql-core (directives are not compiled)
    assert hits == (0 if entry.plans.get(None) is None else 1)


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def test_errors_come_from_the_ordinary_path(
    servers: tuple[httpx.Client, httpx.Client, Registry],
) -> None:
    """An unknown building, a variable of the wrong type, a page above the maximum: the
    compiled server gives graphql-core's answer (it falls back), byte for byte."""
    registry = servers[2]
    coverage = (ROOT / "docs/queries/coverage.graphql").read_text(encoding="utf-8")
    listing = (ROOT / "docs/queries/buildings_in_community.graphql").read_text(encoding="utf-8")
    cases = [
        {"query": coverage, "variables": {"building": "building:nowhere"}},
        {"query": coverage, "variables": {"building": 12}},
        {"query": coverage, "variables": {}},
        {
            "query": listing,
            "variables": {"community": "community:410611001001", "after": "no such cursor"},
        },
    ]
    for body in cases:
        before = registry.fallbacks
        a, b, hits = _both(servers, body)
        assert a.content == b.content, body
        assert a.json().get("errors"), (body, a.text[:300])
        assert hits == 0
        assert registry.fallbacks == before + 1


def test_variables_nested_too_deep_to_keep_are_still_answered(
    servers: tuple[httpx.Client, httpx.Client, Registry],
) -> None:
    """Coerced variables are kept by their JSON text; a value nested past what orjson writes
    is coerced afresh, not refused (an unused variable is no error)."""
    coverage = (ROOT / "docs/queries/coverage.graphql").read_text(encoding="utf-8")
    body = {"query": coverage, "variables": {"building": BUILDING, "deep": _nested(400)}}
    a, b, hits = _both(servers, body)
    assert a.status_code == 200 and "errors" not in a.json()
    assert a.content == b.content and hits == 1


def test_a_registered_hash_runs_its_document(
    servers: tuple[httpx.Client, httpx.Client, Registry],
) -> None:
    compiled, plain, _ = servers
    text = (ROOT / "docs/queries/coverage.graphql").read_text(encoding="utf-8")
    variables = {"building": BUILDING, "asOf": "2024-07-01"}
    digest = hashlib.sha256(text.encode()).hexdigest()
    expected = compiled.post("/graphql", json={"query": text, "variables": variables}).content
    apq = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    for server in (compiled, plain):  # the hash works with compilation on or off
        for ask in (apq, {"documentId": f"sha256:{digest}"}, {"documentId": digest},
                    {**apq, "query": text}):  # fmt: skip
            answer = server.post("/graphql", json={**ask, "variables": variables})
            assert answer.status_code == 200
            assert answer.content == expected


def test_an_unknown_or_mismatched_hash_is_refused(
    servers: tuple[httpx.Client, httpx.Client, Registry],
) -> None:
    compiled = servers[0]
    unknown = compiled.post("/graphql", json={"documentId": "sha256:" + "0" * 64})
    error = unknown.json()["errors"][0]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "0" * 64 in error["message"] and "未找到" in error["message"]
    text = (ROOT / "docs/queries/grid_counts.graphql").read_text(encoding="utf-8")
    wrong = compiled.post("/graphql", json={
        "query": "{ __typename }",
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}},
    })  # fmt: skip
    assert wrong.status_code == 400
    error = wrong.json()["errors"][0]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert "不符" in error["message"]


def test_an_unregistered_text_with_its_hash_is_an_ordinary_request(
    servers: tuple[httpx.Client, httpx.Client, Registry],
) -> None:
    """Apollo's client sends the hash alone, then the text with it: the second is answered
    (through graphql-core; the client's document is not registered)."""
    compiled, _, registry = servers
    text = "query Unregistered { __typename }"
    apq = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}}
    first = compiled.post("/graphql", json=apq).json()
    assert first["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    second = compiled.post("/graphql", json={**apq, "query": text}).json()
    assert second == {"data": {"__typename": "Query"}}
    assert registry.get(sha256(text)) is None


def test_an_ad_hoc_query_takes_the_ordinary_path(
    servers: tuple[httpx.Client, httpx.Client, Registry],
) -> None:
    body = {"query": "query($b: ID!) { coverage(building: $b) { asOf levels { level } } }",
            "variables": {"b": BUILDING}}  # fmt: skip
    a, b, hits = _both(servers, body)
    assert a.content == b.content and hits == 0
    assert a.json()["data"]["coverage"]["levels"][0]["level"] == "BUILDING"


# -- an operator's folder, roles and personal data ----------------------------------------------
PHONE = "张老师 13912341234"
PERSONAL = 'query Personal { agreements(where: {code: {eq: "A1"}}) { nodes { code contact } } }\n'
PEOPLE = "query People($n: Int) { people(first: $n) { nodes { id name } } }\n"


@pytest.fixture(scope="module")
def operator(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[httpx.Client, Any, Registry]]:
    tmp = tmp_path_factory.mktemp("persisted")
    folder = tmp / "queries"
    folder.mkdir()
    (folder / "personal.graphql").write_text(PERSONAL, encoding="utf-8")
    (folder / "people.graphql").write_text(PEOPLE, encoding="utf-8")
    tokens = tmp / "tokens.toml"
    entry = '[[token]]\nname = "{0}-user"\nrole = "{0}"\nsha256 = "{1}"\n\n'
    tokens.write_text(
        "".join(entry.format(role, token_hash("t-" + role)) for role in ("reader", "app")),
        encoding="utf-8",
    )
    store = MemoryStore(tmp / "store.sqlite")
    seed_small_graph(store)
    store.upsert_nodes([new_node("Agreement", code="A1", contact=PHONE)])
    settings = Settings(tokens_file=tokens, persisted_queries_dir=folder, read_token=None)
    app = create_app(store, settings)
    with in_process(app) as client:
        yield client, app.state.gridgraph.audit, app.state.persisted
    store.close()


def _post(client: httpx.Client, role: str | None, body: dict[str, Any]) -> httpx.Response:
    headers = {"Authorization": f"Bearer t-{role}"} if role else {}
    return client.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(("role", "logged"), [("reader", False), ("app", True)])
def test_personal_data_is_masked_or_logged_on_the_compiled_path(
    operator: tuple[httpx.Client, Any, Registry], role: str, logged: bool
) -> None:
    client, trail, registry = operator
    before = len(list(trail.entries()))
    hits = registry.hits
    for _ in range(2):  # the second read is logged too: never answered from the cache
        body = _post(client, role, {"documentId": sha256(PERSONAL)}).json()
        contact = body["data"]["agreements"]["nodes"][0]["contact"]
        assert contact == (PHONE if logged else "张** 139****1234")
    # a masked answer is cached (the second ask never reaches the plan); a logged one is not
    assert registry.hits == hits + (2 if logged else 1)
    reads = [e for e in list(trail.entries())[before:] if e["action"] == "read_personal"]
    assert len(reads) == (2 if logged else 0)
    if logged:
        assert reads[0]["who"] == "app-user" and reads[0]["reads"] == {"agreement:A1": ["contact"]}


def test_per_request_variables_are_still_bounded(
    operator: tuple[httpx.Client, Any, Registry],
) -> None:
    """``first`` in a variable: the cost is measured with this request's variables, before
    anything runs, as on the ordinary path."""
    client, _, registry = operator
    hits = registry.hits
    ok = _post(client, "app", {"documentId": sha256(PEOPLE), "variables": {"n": 2}}).json()
    assert len(ok["data"]["people"]["nodes"]) == 2, ok
    assert registry.hits == hits + 1
    too_many = _post(client, "app", {"documentId": sha256(PEOPLE), "variables": {"n": 10**6}})
    error = too_many.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_LARGE", error
    assert "查询代价超限" in error["message"]
    assert registry.hits == hits + 1


def test_a_bad_operator_file_is_named_at_start(tmp_path: Path) -> None:
    (tmp_path / "bad.graphql").write_text("query { noSuchField }", encoding="utf-8")
    store = MemoryStore()
    with pytest.raises(PersistedQueryError, match=r"bad\.graphql.*持久化查询与模式不符"):
        create_app(store, Settings(persisted_queries_dir=tmp_path))
    (tmp_path / "bad.graphql").write_text("mutation { x }", encoding="utf-8")
    with pytest.raises(PersistedQueryError, match="queries only"):
        create_app(store, Settings(persisted_queries_dir=tmp_path))
    with pytest.raises(PersistedQueryError, match="not a folder"):
        create_app(store, Settings(persisted_queries_dir=tmp_path / "missing"))
    store.close()


def test_the_time_limit_stops_a_persisted_query() -> None:
    """A compiled request's store calls check the request's deadline like any other's: past
    it, the answer is the time-limit error, and it is not cached."""
    store = MemoryStore()
    seed_small_graph(store)
    text = (ROOT / "docs/queries/grid_counts.graphql").read_text(encoding="utf-8")
    app = create_app(store, Settings(request_timeout=1e-9))
    with in_process(app) as client:
        for _ in range(2):
            answer = client.post("/graphql", json={"documentId": sha256(text)})
            error = answer.json()["errors"][0]
            assert error["extensions"]["code"] == "REQUEST_STOPPED", error
            assert "请求超时" in error["message"]
    registry = app.state.persisted
    assert registry.hits + registry.fallbacks == 2  # it was a persisted request, both times
    store.close()
