"""Each role against each kind of field and mutation, over real HTTP, with named tokens from a
real tokens file; personal data masked or logged; the audit trail chained and checked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.app import create_app
from api.identity import token_hash
from api.personal import mask
from graph.audit import AuditBroken, AuditTrail
from graph.memory import MemoryStore
from graph.model import new_node
from graph.settings import Settings
from tests.api.serving import in_process
from tests.small_graph import seed_small_graph

ROOT = Path(__file__).resolve().parents[2]
PHONE = "张老师 13912341234"
TOKENS = {
    "reader": ("李读者", "reader", None),
    "planner": ("王规划", "planner", None),
    "app": ("dispatch-app", "app", None),
    "admin": ("赵管理", "admin", None),
    "scoped": ("钱社区管理", "admin", "community:410611001001"),
}


@dataclass
class Server:
    client: httpx.Client
    store: MemoryStore
    trail: AuditTrail
    path: Path

    def post(self, who: str | None, query: str, **variables: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer token-{who}"} if who else {}
        return self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("roles")
    tokens = tmp / "tokens.toml"
    lines = []
    for key, (name, role, scope) in TOKENS.items():
        lines += ["[[token]]", f'name = "{name}"', f'role = "{role}"',
                  f'sha256 = "{token_hash("token-" + key)}"']  # fmt: skip
        if scope:
            lines.append(f'scope = "{scope}"')
        lines.append("")
    tokens.write_text("\n".join(lines), encoding="utf-8")
    path = tmp / "store.sqlite"
    store = MemoryStore(path)
    seed_small_graph(store)
    run = new_node("ImportRun", code="R1", file="共建协议.csv", loaded_by="赵管理")
    store.upsert_nodes([new_node("Agreement", code="A1", contact=PHONE), run])
    settings = Settings(tokens_file=tokens, introspection_roles="planner,app,admin")
    app = create_app(store, settings)
    with in_process(app) as client:
        yield Server(client, store, app.state.gridgraph.audit, path)
    store.close()


PLAIN = '{ node(id: "district:410611") { name } }'
PERSONAL = '{ agreements(where: {code: {eq: "A1"}}) { nodes { code contact } } }'
PEOPLE = "{ people(first: 3) { nodes { id name } } }"
IMPORTS = "{ importRuns { totalCount } }"
AUDIT = "{ auditLog(first: 5) { totalCount verified entries { seq who action } } }"
INTROSPECT = "{ __schema { queryType { name } } }"
END = 'mutation { endAgreement(code: "A2", on: "2030-01-01") { changed } }'


def outcome(response: httpx.Response) -> str:
    """ok, or the HTTP status / error code a refusal came with."""
    body = response.json()
    if response.status_code != 200:
        return str(response.status_code)
    if body.get("errors"):
        return "refused"
    return "ok"


#: role -> (plain, people, import log, audit log, introspection, mutation)
EXPECTED = {
    None: ("401", "401", "401", "401", "401", "401"),
    "reader": ("ok", "refused", "refused", "refused", "403", "403"),
    "planner": ("ok", "ok", "refused", "refused", "ok", "403"),
    "app": ("ok", "ok", "refused", "refused", "ok", "403"),
    "admin": ("ok", "ok", "ok", "ok", "ok", "ok"),
    "scoped": ("ok", "ok", "ok", "ok", "ok", "refused"),  # A2 is 东方社区's, outside the scope
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_against_each_kind_of_field_and_mutation(server: Server, who: str | None) -> None:
    got = tuple(outcome(server.post(who, q)) for q in (PLAIN, PEOPLE, IMPORTS, AUDIT, INTROSPECT))
    if who == "admin":
        before = server.store.get_nodes(["agreement:A2"])["agreement:A2"].props.get("valid_to")
    response = server.post(who, END)
    got += (outcome(response),)
    assert got == EXPECTED[who], response.text
    if who == "admin":
        entry = next(e for e in reversed(list(server.trail.entries()))
                     if e["action"] == "endAgreement")  # fmt: skip
        assert (entry["who"], entry["role"], entry["target"]) == ("赵管理", "admin", "A2")
        node_change = next(c for c in entry["changes"] if c["id"] == "agreement:A2")
        assert node_change["before"].get("valid_to") == before
        assert node_change["after"]["valid_to"] == "2030-01-01"
        assert node_change["after"]["loaded_by"] == "赵管理"  # the identity, not the client


ADD = """mutation($input: AgreementInput!) {
  addAgreement(input: $input) { status changes { nodesCreated } problems { messageEn } } }"""
COUNT = '{ agreements(where: {code: {in: ["GJ-S1", "GJ-S2"]}}) { totalCount } }'


def test_a_scoped_admin_changes_what_lies_within_the_scope_and_nothing_else(
    server: Server,
) -> None:
    """钱社区管理 holds an admin token for 黎阳社区: an agreement there is written, with its
    identity as loadedBy and an audit entry; one for 东方社区 is refused whole, naming it."""
    mine = {"code": "GJ-S1", "name": "黎阳共建", "partner": "鹤壁某银行",
            "community": "黎阳社区", "signedOn": "2024-01-01"}  # fmt: skip
    body = server.post("scoped", ADD, input=mine).json()
    assert body["data"]["addAgreement"]["status"] == "LOADED", body
    node = server.store.get_nodes(["agreement:GJ-S1"])["agreement:GJ-S1"]
    assert node.props["loaded_by"] == "钱社区管理"
    entry = list(server.trail.entries())[-1]
    assert (entry["action"], entry["who"], entry["target"]) == (
        "addAgreement",
        "钱社区管理",
        "GJ-S1",
    )

    other = {**mine, "code": "GJ-S2", "community": "东方社区"}
    before = len(list(server.trail.entries()))
    body = server.post("scoped", ADD, input=other).json()
    message = body["errors"][0]["message"]
    assert "钱社区管理 is an admin for community:410611001001 only" in message, body
    assert "community:410611001002" in message and "超出管理范围" in message
    assert server.post("admin", COUNT).json()["data"]["agreements"]["totalCount"] == 1
    assert len(list(server.trail.entries())) == before  # nothing written, nothing logged
    ended = 'mutation { endAgreement(code: "GJ-S1", on: "2030-01-01") { changed } }'
    assert server.post("scoped", ended).json()["data"]["endAgreement"]["changed"] is True


@pytest.mark.parametrize(
    ("scope", "problem"),
    [("building:410611001001-007-03", "subdistrict or community"),
     ("community", "subdistrict or community")],
)  # fmt: skip
def test_a_scope_must_be_a_subdistrict_or_community_id(
    tmp_path: Path, scope: str, problem: str
) -> None:
    from api.identity import read_tokens_file
    from graph.errors import GridGraphError

    path = tmp_path / "tokens.toml"
    path.write_text(f'[[token]]\nname = "x"\nrole = "admin"\nscope = "{scope}"\n'
                    f'sha256 = "{token_hash("t")}"\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(GridGraphError, match=problem):
        read_tokens_file(path)


PERSON_SEARCH = '{ search(text: "王诚") { id } }'
PERSON_KIND_SEARCH = '{ searchResults(text: "王", kinds: [Person]) { hits { node { id } } } }'


@pytest.mark.parametrize("who", ["reader", "planner", "app", "admin"])
def test_a_search_is_a_list_of_people_by_another_name(server: Server, who: str) -> None:
    """Below the planner role people are left out of a search (asking for them is refused, as
    listing them is); from it up they are found, and each search page of people is logged."""
    before = len(list(server.trail.entries()))
    found = server.post(who, PERSON_SEARCH).json()
    by_kind = server.post(who, PERSON_KIND_SEARCH).json()
    logged = [e for e in list(server.trail.entries())[before:] if e["action"] == "list_people"]
    if who == "reader":
        assert {"id": "person:P01"} not in found["data"]["search"]
        assert "listing Person nodes needs the planner role" in by_kind["errors"][0]["message"]
        assert logged == []
        return
    assert {"id": "person:P01"} in found["data"]["search"]
    assert {"node": {"id": "person:P01"}} in by_kind["data"]["searchResults"]["hits"]
    assert [e["who"] for e in logged] == [TOKENS[who][0]] * 2
    assert "person:P01" in logged[0]["ids"]


RUN_BY_ID = '{ node(id: "import_run:R1") { id } }'
RUNS_BY_IDS = '{ nodes(ids: ["district:410611", "import_run:R1"]) { id } }'
RUN_SEARCH = '{ search(text: "R1") { id } }'
RUN_SEARCH_KIND = '{ searchResults(text: "R1", kinds: [ImportRun]) { hits { node { id } } } }'


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_import_log_is_hidden_from_non_admins_wherever_it_would_appear(
    server: Server, who: str | None
) -> None:
    """Not only the list: by id, among ids, in a search (the record is dropped) and in a search
    that asks for the kind (refused)."""
    admin = who in ("admin", "scoped")
    by_id = server.post(who, RUN_BY_ID).json()
    by_ids = server.post(who, RUNS_BY_IDS).json()
    search = server.post(who, RUN_SEARCH).json()
    by_kind = server.post(who, RUN_SEARCH_KIND).json()
    if who is None:  # reads are closed on this server: nothing is answered anonymously
        assert all("errors" in body for body in (by_id, by_ids, search, by_kind))
        return
    if admin:
        assert by_id["data"]["node"] == {"id": "import_run:R1"}
        assert by_ids["data"]["nodes"][1] == {"id": "import_run:R1"}
        assert {"id": "import_run:R1"} in search["data"]["search"]
        assert by_kind["data"]["searchResults"]["hits"] == [{"node": {"id": "import_run:R1"}}]
        return
    for body in (by_id, by_ids, by_kind):
        assert "ImportRun records are shown to the admin role" in body["errors"][0]["message"]
        assert body["data"] is None or not any(body["data"].values())
    assert {"id": "import_run:R1"} not in search["data"]["search"]


def test_the_import_log_stays_closed_while_reads_are_open(tmp_path: Path) -> None:
    """A server with no read token answers anonymous reads, but not with its import log."""
    store = MemoryStore(tmp_path / "store.sqlite")
    seed_small_graph(store)
    store.upsert_nodes([new_node("ImportRun", code="R1", file="共建协议.csv")])
    app = create_app(store, Settings(admin_token="an-admin-token"))
    with in_process(app) as c:
        assert c.post("/graphql", json={"query": PLAIN}).json()["data"]["node"]["name"]
        for query in (IMPORTS, RUN_BY_ID):
            body = c.post("/graphql", json={"query": query}).json()
            assert "ImportRun" in body["errors"][0]["message"], body
        ok = c.post("/graphql", json={"query": IMPORTS},
                    headers={"Authorization": "Bearer an-admin-token"}).json()  # fmt: skip
        assert ok["data"]["importRuns"]["totalCount"] == 1
    store.close()


@pytest.mark.parametrize(
    ("who", "seen"),
    [("reader", mask(PHONE)), ("planner", mask(PHONE)), ("app", PHONE), ("admin", PHONE)],
)
def test_personal_fields_are_masked_or_logged(server: Server, who: str, seen: str) -> None:
    before = len(list(server.trail.entries()))
    for _ in range(2):  # the second read is logged too: never answered from the cache
        body = server.post(who, PERSONAL).json()
        assert body["data"]["agreements"]["nodes"] == [{"code": "A1", "contact": seen}]
    reads = [e for e in list(server.trail.entries())[before:] if e["action"] == "read_personal"]
    if seen == PHONE:
        assert len(reads) == 2
        assert reads[0]["who"] == TOKENS[who][0]
        assert reads[0]["reads"] == {"agreement:A1": ["contact"]}
    else:
        assert reads == []
        assert seen == "张** 139****1234"
        filtered = server.post(who, '{ agreements(where: {contact: {contains: "139"}}) '
                               "{ totalCount } }")  # fmt: skip
        assert "needs a role that may see personal data" in filtered.text


def test_bulk_listing_of_people_is_logged_per_page(server: Server) -> None:
    before = len(list(server.trail.entries()))
    nodes = server.post("planner", PEOPLE).json()["data"]["people"]["nodes"]
    listed = [e for e in list(server.trail.entries())[before:] if e["action"] == "list_people"]
    assert [e["ids"] for e in listed] == [[n["id"] for n in nodes]]
    assert listed[0]["who"] == "王规划"


def test_the_trail_is_chained_and_tampering_shows(server: Server, tmp_path: Path) -> None:
    server.post("admin", END)
    server.post("app", PERSONAL)
    assert server.trail.path is not None
    count = server.trail.verify()
    assert count >= 2
    page = server.post("admin", AUDIT).json()["data"]["auditLog"]
    assert page["verified"] is True and page["totalCount"] == count
    copy = AuditTrail(tmp_path / "copy.jsonl")
    lines = server.trail.path.read_bytes().splitlines()
    edited = orjson.loads(lines[0])
    edited["who"] = "someone else"
    assert copy.path is not None
    copy.path.write_bytes(b"\n".join([orjson.dumps(edited), *lines[1:]]) + b"\n")
    with pytest.raises(AuditBroken, match="entry 1: its content does not match its hash"):
        copy.verify()
    copy.path.write_bytes(b"\n".join(lines[1:]) + b"\n")
    with pytest.raises(AuditBroken, match="dropped or moved"):
        copy.verify()


def test_cli_loads_are_audited_and_the_trail_exports(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    store = MemoryStore(path)
    seed_small_graph(store)
    store.close()
    csv = tmp_path / "a.csv"
    csv.write_text("协议编号,名称,共建单位,社区,签订日期,生效日期\n"
                   "GJ-9,新协议,河南师范大学社会事业学院,黎阳社区,2023-05-01,2023-05-01\n",
                   encoding="utf-8")  # fmt: skip
    loaded = _cli("load", str(csv), "--store", str(path), "--loaded-by", "孙")
    assert loaded.returncode == 0, loaded.stderr
    out = tmp_path / "audit.jsonl"
    exported = _cli("audit", "export", str(out), "--store", str(path))
    assert exported.returncode == 0, exported.stderr
    entries = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [(e["who"], e["action"], e["target"]) for e in entries] == [("孙", "load", str(csv))]
    assert any(c["id"] == "agreement:GJ-9" and c["before"] is None for c in entries[0]["changes"])
    trail = Path(f"{path}.audit.jsonl")
    trail.write_bytes(trail.read_bytes().replace("孙".encode(), "周".encode()))
    broken = _cli("audit", "verify", "--store", str(path))
    assert broken.returncode == 1 and "does not match its hash" in broken.stderr
    assert "Traceback" not in broken.stderr


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=120)  # fmt: skip


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_phone_numbers_keep_three_and_four_digits(phone: str) -> None:
    assert mask(phone) == phone[:3] + "****" + phone[-4:]


def test_a_bad_tokens_file_names_the_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "tokens.toml"
    bad.write_text('[[token]]\nname = "x"\nrole = "boss"\nsha256 = "' + "0" * 64 + '"\n')
    with pytest.raises(Exception, match=f"tokens file {bad}, token 1 \\(x\\): role must be one of"):
        create_app(MemoryStore(), Settings(tokens_file=bad))
