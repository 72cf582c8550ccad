"""Served end to end: ``gridgraph serve --store-kind neo4j`` answers as the embedded store does.

Two real ``gridgraph serve`` processes (uvicorn on 127.0.0.1) serve the Qibin reference graph,
built into an embedded store file: one from that file, one from the suite's
Neo4j after the graph was copied into it (``tests/reference_neo4j.py``, checked before each
test). Every example in ``docs/queries/`` (with its documented variables, and with ids of the
reference graph, first and seeded-random) and every GraphQL example in the README must come back
byte for byte the same from both: nothing is normalised.

Writes: the admin mutations (a multipart ``importFile`` of a small CSV, ``addAgreement``,
``endAgreement``, ``addPairing``, ``endPairing``) are sent to the Neo4j server and to an embedded
app over the same graph; the reports match (bar the time-stamped import-run id), and the records
read back from Neo4j through the store carry their provenance (``source_file``, ``loaded_at``,
``loaded_by``) and equal the embedded store's. The test removes what it wrote afterwards.
"""

from __future__ import annotations

import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from graph.memory import MemoryStore
from graph.model import Direction, Node
from graph.neo4j import Neo4jStore
from graph.settings import Settings
from tests.api.serving import served
from tests.conftest import Neo4jServer, _unavailable
from tests.reference_neo4j import GROUP, build_reference, ensure_copied

pytestmark = [pytest.mark.neo4j, pytest.mark.xdist_group(GROUP)]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "docs" / "queries").glob("*.graphql"))
ADMIN = "e2e-admin-token-5d21"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
STARTUP_SECONDS = 240


def gridgraph() -> list[str]:
    """The ``gridgraph`` command of this environment."""
    script = Path(sys.executable).with_name("gridgraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Serving:
    """A ``gridgraph serve`` process; ``url`` once uvicorn says it is running."""

    url: str
    process: subprocess.Popen[str]
    output: deque[str]

    @classmethod
    def start(cls, args: list[str], env: dict[str, str]) -> Serving:
        port = free_port()
        process = subprocess.Popen(
            [*gridgraph(), "serve", *args, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output: deque[str] = deque(maxlen=100)
        ready = threading.Event()

        def pump() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                output.append(line.rstrip())
                if "Uvicorn running on" in line:
                    ready.set()
            ready.set()  # exited: let the caller see why

        threading.Thread(target=pump, daemon=True).start()
        serving = cls(f"http://127.0.0.1:{port}", process, output)
        if not ready.wait(STARTUP_SECONDS) or process.poll() is not None:
            serving.stop()
            raise RuntimeError("gridgraph serve did not start: " + " | ".join(output))
        return serving

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDGRAPH_")}
    # answers are compared here, not timed: a whole-graph report on a busy machine may take
    # longer than the 10 s a served read gets by default (the limit has tests of its own)
    return {**env, **extra, "GRIDGRAPH_ADMIN_TOKEN": ADMIN, "GRIDGRAPH_REQUEST_TIMEOUT": "120"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MemoryStore]:
    """The reference graph in an embedded store file (this process only reads it)."""
    store = build_reference(tmp_path_factory.mktemp("served") / "reference.sqlite")
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo4j_side(
    _neo4j_server: Neo4jServer | str, reference: MemoryStore
) -> Iterator[tuple[Neo4jStore, Serving]]:
    """The graph copied into the suite's Neo4j, and ``gridgraph serve --store-kind neo4j``."""
    if isinstance(_neo4j_server, str):
        _unavailable(_neo4j_server)
    assert isinstance(_neo4j_server, Neo4jServer)
    store = Neo4jStore.from_settings(_neo4j_server.settings())
    try:
        ensure_copied(reference, store)
        serving = Serving.start(["--store-kind", "neo4j"], server_env(_neo4j_server.env()))
        try:
            yield store, serving
        finally:
            serving.stop()
    finally:
        store.close()


@pytest.fixture(scope="module")
def embedded_side(reference: MemoryStore) -> Iterator[Serving]:
    """``gridgraph serve`` on the embedded store file."""
    assert reference.path is not None
    serving = Serving.start(["--store", str(reference.path)], server_env({}))
    yield serving
    serving.stop()


@dataclass
class Both:
    neo4j: httpx.Client
    embedded: httpx.Client
    store: Neo4jStore

    def answers(self, payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Both servers' bodies (each a 200)."""
        replies = [c.post("/graphql", json=payload) for c in (self.neo4j, self.embedded)]
        assert [r.status_code for r in replies] == [200, 200], [r.text for r in replies]
        return replies[0].json(), replies[1].json()


@pytest.fixture
def both(
    neo4j_side: tuple[Neo4jStore, Serving], embedded_side: Serving, reference: MemoryStore
) -> Iterator[Both]:
    """Clients of both servers, Neo4j holding the reference graph (copied again if wiped)."""
    store, serving = neo4j_side
    ensure_copied(reference, store)
    with (
        httpx.Client(base_url=serving.url, timeout=120) as neo4j,
        httpx.Client(base_url=embedded_side.url, timeout=120) as embedded,
    ):
        yield Both(neo4j, embedded, store)


def same_answer(both: Both, payload: dict[str, Any]) -> dict[str, Any]:
    """POST ``payload`` to both servers; the answers must be the same bytes. The body."""
    native = both.neo4j.post("/graphql", json=payload)
    embedded = both.embedded.post("/graphql", json=payload)
    assert native.status_code == embedded.status_code, (native.text, embedded.text)
    if native.content != embedded.content:
        assert native.json() == embedded.json()  # a readable diff first
    assert native.content == embedded.content
    body: dict[str, Any] = native.json()
    return body


# -- reads: every example -----------------------------------------------------------------


def reference_variables(store: MemoryStore, rng: random.Random | None) -> dict[str, Any]:
    """Ids and text of the reference graph for every example's variables: the first of each
    kind, or (with ``rng``) random ones."""

    def pick(kind: str) -> Node:
        nodes = sorted(store.iter_nodes(kind), key=lambda n: n.id)
        return nodes[0] if rng is None else rng.choice(nodes)

    building, community, event = pick("Building"), pick("Community"), pick("EventType")
    compound = pick("Compound")
    agreement = pick("Agreement")
    parties = store.neighbours([agreement.id], "PARTY_TO", Direction.IN)[agreement.id]
    top = store.walk([building.id], "PART_OF", Direction.OUT, 4)[building.id][-1]
    return {
        "building": building.id,
        "eventType": event.id,
        "community": community.id,
        "unit": sorted(h.node.id for h in parties)[0],
        "asOf": agreement.props["valid_to"],
        "withinDays": 3650,
        "from": building.id,
        "to": top.id,
        "maxLength": 6,
        "text": community.name,
        "kinds": ["Community"],
        "after": None,
        "compound": compound.id,
        "since": agreement.props["valid_from"],
        "until": agreement.props["valid_to"],
        "year": int(agreement.props["valid_from"][:4]),
    }


def documented_variables(text: str) -> dict[str, Any]:
    found = re.search(r"^# Variables: (.*)$", text, re.M)
    assert found, "an example lacks its '# Variables:' comment"
    values: dict[str, Any] = json.loads(found.group(1))
    return values


def declared(text: str) -> set[str]:
    return set(re.findall(r"\$(\w+)\s*:", text))


@pytest.fixture(scope="module")
def variable_sets(reference: MemoryStore) -> dict[str, dict[str, Any]]:
    return {
        "first": reference_variables(reference, None),
        "random": reference_variables(reference, random.Random(5)),
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_answers_alike(
    path: Path, both: Both, variable_sets: dict[str, dict[str, Any]]
) -> None:
    """Byte for byte, paths included: of several equally short paths both stores return the
    one whose node ids are least in order."""
    text = path.read_text(encoding="utf-8")
    names = declared(text)
    runs = {"documented": documented_variables(text)}
    runs |= {label: {k: v[k] for k in names} for label, v in variable_sets.items()}
    for label, values in runs.items():
        payload = {"query": text, "variables": values}
        body = same_answer(both, payload)
        if label != "documented":  # the documented ids are the small test graph's
            assert "errors" not in body, (label, body)
            assert all(v is not None for v in body["data"].values()), (label, body)


def readme_payloads() -> list[dict[str, Any]]:
    """The JSON bodies of the README's ``curl … -d '…'`` GraphQL examples."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [json.loads(m) for m in re.findall(r"-d '(\{.*?\})'", readme, re.S)]


def test_the_readme_examples_answer_alike(both: Both) -> None:
    payloads = readme_payloads()
    assert payloads, "the README's curl examples were not found"
    for payload in payloads:
        body = same_answer(both, payload)
        assert "errors" not in body and body["data"], body
        assert all(v for v in body["data"].values()), body


# -- writes -----------------------------------------------------------------------------------


IMPORT = """
mutation($file: Upload!) {
  importFile(file: $file) {
    file format status valid kinds summary rows rowsValid rowsInvalid loadedBy importRunId
    changes { nodesCreated nodesUpdated relationshipsCreated relationshipsUpdated changed }
    problems { row column code messageEn }
  }
}
"""
ADD_AGREEMENT = """
mutation($input: AgreementInput!) {
  addAgreement(input: $input) {
    file status rowsValid importRunId loadedBy
    changes { nodesCreated nodesUpdated relationshipsCreated relationshipsUpdated }
    problems { row column code messageEn }
  }
}
"""
END_AGREEMENT = """
mutation($code: String!, $on: Date!) {
  endAgreement(code: $code, on: $on) { nodesUpdated relationshipsUpdated changed }
}
"""
ADD_PAIRING = """
mutation($department: String!, $community: String!, $validFrom: Date) {
  addPairing(department: $department, community: $community, validFrom: $validFrom) {
    status importRunId changes { relationshipsCreated relationshipsUpdated }
    problems { column code messageEn }
  }
}
"""
END_PAIRING = """
mutation($department: String!, $community: String!, $on: Date!) {
  endPairing(department: $department, community: $community, on: $on) {
    relationshipsUpdated changed
  }
}
"""
CSV_NAME = "共建协议.csv"
LOADED_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
RUN_ID = re.compile(r'"import_run:[^"]+"')


def post(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=AUTH)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


def upload(client: httpx.Client, data: bytes) -> dict[str, Any]:
    response = client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": IMPORT, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": (CSV_NAME, data, "text/csv")},
        headers=AUTH,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


def without_run_ids(body: dict[str, Any]) -> str:
    """The report as text, import-run ids (a time stamp and a hash) replaced."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return RUN_ID.sub('"import_run:…"', text)


def timeless(node: Node) -> dict[str, Any]:
    """A record's properties without what names the moment of the write."""
    drop = {"loaded_at", "code", "name"} if node.kind == "ImportRun" else {"loaded_at"}
    return {k: v for k, v in node.props.items() if k not in drop}


def test_writes_through_the_api_land_in_neo4j_with_provenance(
    both: Both, reference: MemoryStore
) -> None:
    units = sorted(reference.iter_nodes("Unit"), key=lambda n: n.id)
    communities = sorted(reference.iter_nodes("Community"), key=lambda n: n.id)
    department = sorted(reference.iter_nodes("Department"), key=lambda n: n.id)[0]
    paired = {
        h.node.id for h in reference.neighbours([department.id], "PAIRED_WITH")[department.id]
    }
    unpaired = next(c for c in communities if c.id not in paired)
    csv = (
        "协议编号,名称,共建单位,社区,签订日期,生效日期,有效期至,共建内容\n"
        f"GJ-E2E-001,淇滨共建示范协议,{units[0].name},{communities[0].name},2024/5/1,"
        "2024-05-01,2030年12月31日,文明实践、志愿服务\n"
    ).encode()
    agreement = {
        "code": "GJ-E2E-002", "name": "海棠书巷共建", "uscc": units[1].props["uscc"],
        "community": communities[1].name, "signedOn": "2024-06-01", "validFrom": "2024-06-01",
        "topics": ["海棠书巷"],
    }  # fmt: skip
    pairing = {"department": department.name, "community": unpaired.name}
    runs_before = {n.id for n in both.store.iter_nodes("ImportRun")}
    local = build_reference()
    try:
        with (
            served(create_app(local, Settings(admin_token=ADMIN))) as url,
            httpx.Client(base_url=url, timeout=120) as embedded,
        ):

            def write(client: httpx.Client) -> list[dict[str, Any]]:
                return [
                    upload(client, csv),
                    post(client, ADD_AGREEMENT, input=agreement),
                    post(client, END_AGREEMENT, code="GJ-E2E-002", on="2025-12-31"),
                    post(client, ADD_PAIRING, **pairing, validFrom="2025-01-01"),
                    post(client, END_PAIRING, **pairing, on="2025-06-30"),
                ]

            native, local_reports = write(both.neo4j), write(embedded)
        assert list(map(without_run_ids, native)) == list(map(without_run_ids, local_reports))
        logged = [native[0]["data"]["importFile"], native[1]["data"]["addAgreement"]]
        logged.append(native[3]["data"]["addPairing"])
        assert all(r["importRunId"].startswith("import_run:") for r in logged), logged
        imported = native[0]["data"]["importFile"]
        assert (imported["status"], imported["file"], imported["loadedBy"]) == (
            "LOADED", CSV_NAME, "admin",
        )  # fmt: skip
        assert imported["changes"]["nodesUpdated"] == 0
        assert native[1]["data"]["addAgreement"]["changes"]["nodesUpdated"] == 0
        assert native[3]["data"]["addPairing"]["status"] == "LOADED", native[3]

        store = both.store
        ids = ["agreement:GJ-E2E-001", "agreement:GJ-E2E-002"]
        written = store.get_nodes(ids)
        assert set(written) == set(ids)
        # The last write names itself: GJ-E2E-002 was added, then ended, through the API.
        sources = {"agreement:GJ-E2E-001": CSV_NAME, "agreement:GJ-E2E-002": "graphql:endAgreement"}
        for nid, node in written.items():
            assert node.props["source_file"] == sources[nid]
            assert node.props["loaded_by"] == "admin"
            assert LOADED_AT.match(node.props["loaded_at"])
        assert written["agreement:GJ-E2E-002"].props["valid_to"] == "2025-12-31"
        parties = store.neighbours(ids, "PARTY_TO", Direction.IN)
        assert {h.node.id for h in parties["agreement:GJ-E2E-001"]} == {
            units[0].id, communities[0].id,
        }  # fmt: skip
        for hops in parties.values():
            assert len(hops) == 2
            for hop in hops:
                assert LOADED_AT.match(hop.relationship.props["loaded_at"])
                assert hop.relationship.props["loaded_by"] == "admin"
        assert {h.relationship.props["valid_to"] for h in parties["agreement:GJ-E2E-002"]} == {
            "2025-12-31"
        }
        pairings = [
            h.relationship
            for h in store.neighbours([department.id], "PAIRED_WITH")[department.id]
            if h.node.id == unpaired.id
        ]
        assert len(pairings) == 1
        (pair,) = pairings
        assert (pair.props["valid_from"], pair.props["valid_to"]) == ("2025-01-01", "2025-06-30")
        assert pair.props["source_file"].startswith("graphql:")
        assert LOADED_AT.match(pair.props["loaded_at"])

        # The same records as the embedded store's, bar the moment of writing.
        for nid, node in written.items():
            assert timeless(node) == timeless(local.get_nodes([nid])[nid])
        local_parties = local.neighbours(ids, "PARTY_TO", Direction.IN)
        for nid in ids:
            assert [
                (h.relationship.id, timeless_rel(h.relationship.props)) for h in parties[nid]
            ] == [
                (h.relationship.id, timeless_rel(h.relationship.props)) for h in local_parties[nid]
            ]
        local_pair = local.get_relationships([pair.id])[pair.id]
        assert timeless_rel(pair.props) == timeless_rel(local_pair.props)
        runs = [n for n in store.iter_nodes("ImportRun") if n.id not in runs_before]
        local_runs = list(local.iter_nodes("ImportRun"))
        assert len(runs) == len(local_runs) >= 3
        assert sorted(map(json_of, runs)) == sorted(map(json_of, local_runs))
    finally:
        local.close()
        cleanup(both.store, ["agreement:GJ-E2E-001", "agreement:GJ-E2E-002"], runs_before)
        pairs = both.store.neighbours([department.id], "PAIRED_WITH")[department.id]
        both.store.delete_relationships(
            [h.relationship.id for h in pairs if h.node.id == unpaired.id]
        )
    assert not ensure_copied(reference, both.store), "the test left its writes behind"


def timeless_rel(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "loaded_at"}


def json_of(node: Node) -> str:
    return json.dumps(timeless(node), ensure_ascii=False, sort_keys=True)


def cleanup(store: Neo4jStore, agreements: list[str], runs_before: set[str]) -> None:
    """Delete what the writes test added, so the next test finds the reference graph."""
    runs = [n.id for n in store.iter_nodes("ImportRun") if n.id not in runs_before]
    store.delete_nodes([*agreements, *runs])
