"""Admin mutations over real HTTP: multipart uploads of real CSV and XLSX files, the small
agreement and pairing edits, the import log, and the admin and read tokens (401/403)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from typing import Any

import httpx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import api.schema.admin as admin_schema
from api.app import create_app
from api.auth import check_access
from api.identity import AccessDenied, TokenBook, resolve
from graph.memory import MemoryStore
from graph.settings import UPLOAD_FRAMING_BYTES, Settings
from tests.api.serving import served
from tests.loaders.conftest import UNIT_A, seed, snapshot

ADMIN = "admin-token-7f3a9c"
READ = "read-token-19c2"
AUTH = {"Authorization": f"Bearer {ADMIN}"}

IMPORT = """
mutation Import($file: Upload!, $kind: String, $dryRun: Boolean = false,
                $skipInvalid: Boolean = false, $onConflict: OnConflict = UPDATE) {
  importFile(file: $file, kind: $kind, dryRun: $dryRun, skipInvalid: $skipInvalid,
             onConflict: $onConflict) {
    file format encoding dryRun onConflict status valid kinds summary
    rows rowsValid rowsInvalid rowsSkipped loadedBy
    sheets { name kind rows headerRows }
    changes { nodesCreated nodesUpdated nodesUnchanged relationshipsCreated
              relationshipsUpdated relationshipsUnchanged changed }
    importRunId
    importRun { id code file status rows rowsLoaded nodesCreated loadKinds loadedBy }
    problems { file sheet row column code severity messageZh messageEn }
  }
}
"""

AGREEMENTS_CSV = (
    "协议编号,名称,共建单位,社区,签订日期,生效日期,有效期至,共建内容\n"
    "GJ-2024-001,四合同心共建协议,河南师范大学社会事业学院,黎阳社区,2023/5/1,2023-05-01,"
    "2030年12月31日,文明实践、志愿服务\n"
)
BAD_ROW = "GJ-2024-002,坏协议,河师大,无名社区,2023-13-01,2023-05-01,2022-01-01,\n"

AGREEMENT = """
query Agreement($code: String!) {
  agreements(where: {code: {eq: $code}}) {
    totalCount
    nodes { id name signedOn validFrom validTo topics sourceFile loadedBy
            parties(asOf: "2024-01-01") { name } }
  }
}
"""
RUNS = """
{ importRuns(orderBy: [{field: CODE, direction: DESC}], first: 10) {
    totalCount nodes { id file status rows rowsLoaded nodesCreated nodesUnchanged loadedBy } } }
"""


def gbk_csv(text: str) -> bytes:
    """A CSV as Excel on a Chinese Windows saves it: GBK, CRLF line ends."""
    return text.replace("\n", "\r\n").encode("gbk")


def pairings_xlsx() -> bytes:
    """A real workbook: Chinese headers, a date cell as Excel stores it, an empty end date."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "包联"
    sheet.append(["包联单位", "社区", "生效日期", "有效期至"])
    sheet.append(["淇滨区城市管理局", "黎阳社区", datetime(2022, 1, 1), None])
    sheet.append(["D002", "观景社区", datetime(2023, 3, 1), None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Admin:
    """A served app on a freshly seeded store, and helpers to talk to it."""

    def __init__(self, client: httpx.Client, store: MemoryStore) -> None:
        self.client = client
        self.store = store

    def upload(
        self,
        name: str,
        data: bytes,
        headers: dict[str, str] | None = None,
        **variables: Any,
    ) -> httpx.Response:
        """POST ``importFile`` as a GraphQL multipart request (operations, map, file)."""
        operations = {"query": IMPORT, "variables": {"file": None, **variables}}
        return self.client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": (name, data, "application/octet-stream")},
            headers=headers if headers is not None else AUTH,
        )

    def post(
        self, query: str, headers: dict[str, str] | None = None, **variables: Any
    ) -> httpx.Response:
        return self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
        )

    def data(self, query: str, headers: dict[str, str] | None = None, **variables: Any) -> Any:
        response = self.post(query, headers, **variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def report(self, response: httpx.Response) -> dict[str, Any]:
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]["importFile"]
        return result


@pytest.fixture
def serve() -> Iterator[Callable[..., Admin]]:
    """Serve a seeded store with the given settings; several apps per test if need be."""
    with ExitStack() as stack:

        def start(settings: Settings | None = None) -> Admin:
            store = MemoryStore()
            seed(store)
            stack.callback(store.close)
            url = stack.enter_context(served(create_app(store, settings or Settings(
                admin_token=ADMIN))))  # fmt: skip
            client = stack.enter_context(httpx.Client(base_url=url, timeout=30))
            return Admin(client, store)

        yield start


@pytest.fixture
def admin(serve: Callable[..., Admin]) -> Admin:
    return serve()


def refused(response: httpx.Response, status: int, text: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == [text]
    assert body["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED" if status == 401 else "FORBIDDEN"
    )
    if status == 401:
        assert response.headers["www-authenticate"] == 'Bearer realm="gridgraph"'


NO_TOKEN = "mutations need the admin token: send 'Authorization: Bearer <GRIDGRAPH_ADMIN_TOKEN>'"
WRONG_TOKEN = "the bearer token is not one this server knows"


# -- uploads --------------------------------------------------------------------------------
def test_gbk_csv_upload_lands_is_logged_and_is_unchanged_the_second_time(admin: Admin) -> None:
    count = "{ agreements { totalCount } }"
    assert admin.data(count) == {"agreements": {"totalCount": 0}}  # now in the response cache
    first = admin.report(admin.upload("共建协议.csv", gbk_csv(AGREEMENTS_CSV)))
    run_id = first.pop("importRunId")
    run = first.pop("importRun")
    assert run_id == run["id"] and run_id.startswith("import_run:")
    assert run == {
        "id": run_id, "code": run_id.removeprefix("import_run:"), "file": "共建协议.csv",
        "status": "loaded", "rows": 1, "rowsLoaded": 1, "nodesCreated": 1,
        "loadKinds": ["agreements"], "loadedBy": "admin",
    }  # fmt: skip
    assert first == {
        "file": "共建协议.csv", "format": "csv", "encoding": "gb18030", "dryRun": False,
        "onConflict": "UPDATE", "status": "LOADED", "valid": True, "kinds": ["agreements"],
        "summary": "共建协议.csv：已导入 — 共1行，有效1行，无效0行，跳过0行；"
                   "节点 新建1 更新0 未变0，关系 新建2 更新0 未变0\n"
                   "共建协议.csv: loaded — 1 rows, 1 valid, 0 invalid, 0 skipped; "
                   "nodes +1 ~0 =0, relationships +2 ~0 =0",
        "rows": 1, "rowsValid": 1, "rowsInvalid": 0, "rowsSkipped": 0, "loadedBy": "admin",
        "sheets": [{"name": "", "kind": "agreements", "rows": 1, "headerRows": [1]}],
        "changes": {"nodesCreated": 1, "nodesUpdated": 0, "nodesUnchanged": 0,
                    "relationshipsCreated": 2, "relationshipsUpdated": 0,
                    "relationshipsUnchanged": 0, "changed": True},
        "problems": [],
    }  # fmt: skip
    # The write changed the store's version: the cached count is not served again.
    assert admin.data(count) == {"agreements": {"totalCount": 1}}
    found = admin.data(AGREEMENT, code="GJ-2024-001")["agreements"]
    found["nodes"][0]["parties"].sort(key=lambda p: p["name"])
    assert found == {
        "totalCount": 1,
        "nodes": [{
            "id": "agreement:GJ-2024-001", "name": "四合同心共建协议", "signedOn": "2023-05-01",
            "validFrom": "2023-05-01", "validTo": "2030-12-31", "topics": ["文明实践", "志愿服务"],
            "sourceFile": "共建协议.csv", "loadedBy": "admin",
            "parties": sorted([{"name": "黎阳社区"}, {"name": "河南师范大学社会事业学院"}],
                              key=lambda p: p["name"]),
        }],
    }  # fmt: skip

    before = snapshot(admin.store)
    again = admin.report(admin.upload("共建协议.csv", gbk_csv(AGREEMENTS_CSV)))
    assert again["status"] == "LOADED"
    assert again["changes"] == {
        "nodesCreated": 0, "nodesUpdated": 0, "nodesUnchanged": 1, "relationshipsCreated": 0,
        "relationshipsUpdated": 0, "relationshipsUnchanged": 2, "changed": False,
    }  # fmt: skip
    assert again["summary"].endswith("(no change: already loaded)")
    assert snapshot(admin.store) == before

    runs = admin.data(RUNS, AUTH)["importRuns"]
    assert runs["totalCount"] == 2
    assert [r["id"] for r in runs["nodes"]] == [again["importRunId"], run_id]  # newest first
    assert [(r["nodesCreated"], r["nodesUnchanged"]) for r in runs["nodes"]] == [(0, 1), (1, 0)]


def test_xlsx_upload_lands(admin: Admin) -> None:
    report = admin.report(admin.upload("包联.xlsx", pairings_xlsx()))
    assert (report["format"], report["status"], report["kinds"]) == ("xlsx", "LOADED", ["pairings"])
    assert report["sheets"] == [{"name": "包联", "kind": "pairings", "rows": 2, "headerRows": [1]}]
    assert report["changes"]["relationshipsCreated"] == 2 and report["problems"] == []
    found = admin.data(
        """{ departments(orderBy: [{field: CODE}]) { nodes { code
               pairedWith(asOf: "2024-01-01") { name } } } }"""
    )
    assert found["departments"]["nodes"] == [
        {"code": "D001", "pairedWith": [{"name": "黎阳社区"}]},
        {"code": "D002", "pairedWith": [{"name": "观景社区"}]},
    ]
    runs = admin.data(RUNS, AUTH)["importRuns"]["nodes"]
    assert [(r["file"], r["status"], r["rowsLoaded"]) for r in runs] == [("包联.xlsx", "loaded", 2)]


def test_a_bad_row_rejects_the_file_unless_skip_invalid(admin: Admin) -> None:
    before = snapshot(admin.store)
    data = gbk_csv(AGREEMENTS_CSV + BAD_ROW)
    report = admin.report(admin.upload("bad.csv", data))
    assert (report["status"], report["valid"], report["importRunId"]) == ("REJECTED", False, None)
    assert (report["rows"], report["rowsValid"], report["rowsInvalid"]) == (2, 1, 1)
    assert report["changes"]["changed"] is False
    assert report["problems"] == [
        {"file": "bad.csv", "sheet": None, "row": 3, "column": "签订日期", "code": "not_date",
         "severity": "ERROR",
         "messageZh": "“2023-13-01”不是日期（如 2023-05-01、2023/5/1、2023年5月1日）",
         "messageEn": "'2023-13-01' is not a date (e.g. 2023-05-01, 2023/5/1, 2023年5月1日)"},
        {"file": "bad.csv", "sheet": None, "row": 3, "column": "有效期至",
         "code": "dates_reversed", "severity": "ERROR",
         "messageZh": "生效日期 2023-05-01 晚于有效期至 2022-01-01",
         "messageEn": "valid_from 2023-05-01 is after valid_to 2022-01-01"},
        {"file": "bad.csv", "sheet": None, "row": 3, "column": "社区", "code": "unknown_ref",
         "severity": "ERROR",
         "messageZh": "找不到社区或街道/乡镇或区“无名社区”，请先导入街道或社区",
         "messageEn": "no community or subdistrict or district named or coded '无名社区'; "
                      "load the subdistricts (街道) or communities (社区) first"},
    ]  # fmt: skip
    assert snapshot(admin.store) == before
    assert admin.data(RUNS, AUTH)["importRuns"]["totalCount"] == 0

    partial = admin.report(admin.upload("bad.csv", data, skipInvalid=True))
    assert (partial["status"], partial["rowsValid"], partial["rowsInvalid"]) == ("PARTIAL", 1, 1)
    nodes, _ = snapshot(admin.store)
    assert sorted(set(nodes) - set(before[0])) == ["agreement:GJ-2024-001"]
    assert admin.data(RUNS, AUTH)["importRuns"]["nodes"][0]["status"] == "partial"


def test_a_dry_run_writes_nothing(admin: Admin) -> None:
    before, version = snapshot(admin.store), admin.store.version()
    report = admin.report(admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV), dryRun=True))
    assert (report["status"], report["dryRun"], report["importRunId"]) == ("CHECKED", True, None)
    assert report["changes"]["nodesCreated"] == 1  # what it would do
    assert snapshot(admin.store) == before and admin.store.version() == version


def test_reads_are_answered_while_a_load_runs(
    admin: Admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load runs in a worker thread: here it waits until a read has been answered, which
    could never happen if it blocked the server's event loop."""
    started, answered = threading.Event(), threading.Event()
    real_load = admin_schema.load_file

    def load_after_a_read(*args: Any, **kwargs: Any) -> Any:
        started.set()
        if not answered.wait(timeout=20):
            raise AssertionError("no read was answered while the load ran")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(admin_schema, "load_file", load_after_a_read)
    reports: list[dict[str, Any]] = []
    with httpx.Client(base_url=str(admin.client.base_url), timeout=30) as other:
        uploader = Admin(other, admin.store)
        thread = threading.Thread(
            target=lambda: reports.append(
                uploader.report(uploader.upload("a.csv", gbk_csv(AGREEMENTS_CSV)))
            )
        )
        thread.start()
        assert started.wait(timeout=20)
        assert admin.data("{ agreements { totalCount } }") == {"agreements": {"totalCount": 0}}
        answered.set()
        thread.join(timeout=30)
    assert [r["status"] for r in reports] == ["LOADED"]
    assert admin.data("{ agreements { totalCount } }") == {"agreements": {"totalCount": 1}}


def test_an_unknown_kind_is_a_clear_error_not_a_500(admin: Admin) -> None:
    response = admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV), kind="treaties")
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["message"].startswith("unknown load kind 'treaties'; choose from units,")


def test_an_unreadable_file_is_reported(admin: Admin) -> None:
    report = admin.report(admin.upload("a.xlsx", b"PK\x03\x04 not really a workbook"))
    assert report["status"] == "UNLOADABLE"
    assert [p["code"] for p in report["problems"]] == ["unreadable"]


# -- tokens ---------------------------------------------------------------------------------
def test_upload_without_token_is_401_and_changes_nothing(admin: Admin) -> None:
    before, version = snapshot(admin.store), admin.store.version()
    refused(admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV), headers={}), 401, NO_TOKEN)
    basic = {"Authorization": f"Basic {ADMIN}"}  # the token, but not as a bearer token
    malformed = "the Authorization header must be 'Bearer <token>'"
    refused(admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV), headers=basic), 401, malformed)
    assert snapshot(admin.store) == before and admin.store.version() == version


def test_upload_with_a_wrong_token_is_403_and_changes_nothing(admin: Admin) -> None:
    before, version = snapshot(admin.store), admin.store.version()
    for token in ("wrong", ADMIN + "x", ADMIN[:-1], ADMIN.upper()):
        response = admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV),
                                headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        refused(response, 403, WRONG_TOKEN)
    assert snapshot(admin.store) == before and admin.store.version() == version
    # The scheme name is case-insensitive; the token is not.
    ok = admin.upload(
        "a.csv", gbk_csv(AGREEMENTS_CSV), headers={"Authorization": f"bearer {ADMIN}"}
    )
    assert admin.report(ok)["status"] == "LOADED"


def test_mutations_are_refused_when_no_admin_token_is_set(serve: Callable[..., Admin]) -> None:
    admin = serve(Settings(admin_token=None))
    before = snapshot(admin.store)
    message = (
        "mutations are disabled: GRIDGRAPH_ADMIN_TOKEN is not set on the server "
        "and the tokens file names no admin"
    )
    refused(admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV)), 403, WRONG_TOKEN)
    refused(admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV), headers={}), 403, message)
    refused(admin.post(END_AGREEMENT, {}, code="X", on="2024-01-01"), 403, message)
    assert snapshot(admin.store) == before
    assert admin.data("{ agreements { totalCount } }", {}) == {"agreements": {"totalCount": 0}}


ADD_AGREEMENT = """
mutation Add($input: AgreementInput!, $dryRun: Boolean = false) {
  addAgreement(input: $input, dryRun: $dryRun) {
    file format status rowsValid importRunId changes { nodesCreated relationshipsCreated }
    problems { row column code messageEn }
  }
}
"""
END_AGREEMENT = """
mutation End($code: String!, $on: Date!) {
  endAgreement(code: $code, on: $on) { nodesUpdated relationshipsUpdated changed }
}
"""
ADD_PAIRING = """
mutation Pair($department: String!, $community: String!, $validFrom: Date) {
  addPairing(department: $department, community: $community, validFrom: $validFrom) {
    status changes { relationshipsCreated } problems { column code messageEn }
  }
}
"""
END_PAIRING = """
mutation Unpair($department: String!, $community: String!, $on: Date!) {
  endPairing(department: $department, community: $community, on: $on) {
    relationshipsUpdated changed
  }
}
"""
NEW_AGREEMENT = {
    "code": "GJ-7", "name": "海棠书巷共建", "uscc": UNIT_A, "community": "黎阳社区",
    "signedOn": "2023-05-01", "validFrom": "2023-05-01", "topics": ["海棠书巷"],
}  # fmt: skip


def test_add_and_end_an_agreement(admin: Admin) -> None:
    before = snapshot(admin.store)
    refused(admin.post(ADD_AGREEMENT, input=NEW_AGREEMENT), 401, NO_TOKEN)
    wrong = {"Authorization": "Bearer nope"}
    refused(admin.post(ADD_AGREEMENT, wrong, input=NEW_AGREEMENT), 403, WRONG_TOKEN)
    assert snapshot(admin.store) == before

    dry = admin.data(ADD_AGREEMENT, AUTH, input=NEW_AGREEMENT, dryRun=True)["addAgreement"]
    assert (dry["status"], dry["changes"]["nodesCreated"]) == ("CHECKED", 1)
    assert snapshot(admin.store) == before

    added = admin.data(ADD_AGREEMENT, AUTH, input=NEW_AGREEMENT)["addAgreement"]
    assert added.pop("importRunId").startswith("import_run:")
    assert added == {
        "file": "graphql:addAgreement", "format": "records", "status": "LOADED", "rowsValid": 1,
        "changes": {"nodesCreated": 1, "relationshipsCreated": 2}, "problems": [],
    }  # fmt: skip
    node = admin.store.get_nodes(["agreement:GJ-7"])["agreement:GJ-7"]
    assert (node.props["source_file"], node.props["topics"]) == (
        "graphql:addAgreement",
        ["海棠书巷"],
    )

    # Checked like a spreadsheet row: an unknown community is the same report entry.
    nameless = {**NEW_AGREEMENT, "code": "GJ-8", "community": "无名社区"}
    bad = admin.data(ADD_AGREEMENT, AUTH, input=nameless)["addAgreement"]
    assert bad["status"] == "REJECTED" and bad["importRunId"] is None
    assert bad["problems"] == [{
        "row": 1, "column": "community", "code": "unknown_ref",
        "messageEn": "no community or subdistrict or district named or coded '无名社区'; "
                     "load the subdistricts (街道) or communities (社区) first",
    }]  # fmt: skip
    assert "agreement:GJ-8" not in admin.store.get_nodes(["agreement:GJ-8"])

    after_add = snapshot(admin.store)
    refused(admin.post(END_AGREEMENT, code="GJ-7", on="2024-12-31"), 401, NO_TOKEN)
    assert snapshot(admin.store) == after_add
    ended = admin.data(END_AGREEMENT, AUTH, code="GJ-7", on="2024-12-31")["endAgreement"]
    assert ended == {"nodesUpdated": 1, "relationshipsUpdated": 2, "changed": True}
    found = admin.data(AGREEMENT, code="GJ-7")["agreements"]["nodes"][0]
    assert found["validTo"] == "2024-12-31"
    later = admin.data(
        '{ agreements(where: {code: {eq: "GJ-7"}}) { nodes { parties(asOf: "2025-01-01") '
        "{ name } } } }"
    )
    assert later["agreements"]["nodes"] == [{"parties": []}]

    response = admin.post(END_AGREEMENT, AUTH, code="GJ-404", on="2024-01-01")
    assert response.status_code == 200
    assert [e["message"] for e in response.json()["errors"]] == ["no agreement 'GJ-404'"]
    response = admin.post(END_AGREEMENT, AUTH, code="GJ-7", on="2020-01-01")
    assert [e["message"] for e in response.json()["errors"]] == [
        "agreement GJ-7 starts on 2023-05-01, it cannot end on 2020-01-01"
    ]


def test_add_and_end_a_pairing(admin: Admin) -> None:
    pair = {"department": "淇滨区民政局", "community": "观景社区", "validFrom": "2022-01-01"}
    before = snapshot(admin.store)
    refused(admin.post(ADD_PAIRING, **pair), 401, NO_TOKEN)
    refused(admin.post(ADD_PAIRING, {"Authorization": f"Bearer {READ}"}, **pair), 403, WRONG_TOKEN)
    assert snapshot(admin.store) == before

    added = admin.data(ADD_PAIRING, AUTH, **pair)["addPairing"]
    assert added == {"status": "LOADED", "changes": {"relationshipsCreated": 1}, "problems": []}
    ambiguous = admin.data(ADD_PAIRING, AUTH, department="D002", community="老城社区")
    assert ambiguous["addPairing"]["status"] == "REJECTED"
    assert [p["code"] for p in ambiguous["addPairing"]["problems"]] == ["ambiguous_ref"]

    paired = (
        '{ departments(where: {code: {eq: "D002"}}) { nodes { pairedWith(asOf: "%s") { name } } } }'
    )
    assert admin.data(paired % "2023-07-01")["departments"]["nodes"] == [
        {"pairedWith": [{"name": "观景社区"}]}
    ]
    unpair = {"department": "D002", "community": "观景社区", "on": "2023-06-30"}
    refused(admin.post(END_PAIRING, **unpair), 401, NO_TOKEN)
    assert admin.data(paired % "2023-07-01")["departments"]["nodes"] == [
        {"pairedWith": [{"name": "观景社区"}]}
    ]
    ended = admin.data(END_PAIRING, AUTH, **unpair)["endPairing"]
    assert ended == {"relationshipsUpdated": 1, "changed": True}
    assert admin.data(paired % "2023-07-01")["departments"]["nodes"] == [{"pairedWith": []}]
    assert admin.data(paired % "2023-06-30")["departments"]["nodes"] == [
        {"pairedWith": [{"name": "观景社区"}]}
    ]
    again = admin.data(END_PAIRING, AUTH, **unpair)["endPairing"]  # idempotent
    assert again == {"relationshipsUpdated": 0, "changed": False}
    response = admin.post(END_PAIRING, AUTH, **{**unpair, "on": "2024-01-01"})
    assert response.status_code == 200
    assert [e["message"] for e in response.json()["errors"]] == [
        "淇滨区民政局 is not paired with 观景社区 on 2024-01-01"
    ]


def test_reads_need_the_read_token_when_one_is_set(serve: Callable[..., Admin]) -> None:
    admin = serve(Settings(admin_token=ADMIN, read_token=READ))
    query = "{ communities { totalCount } }"
    need = "this API needs a token: send 'Authorization: Bearer <token>'"
    wrong = WRONG_TOKEN
    refused(admin.post(query), 401, need)
    refused(admin.post(query, {"Authorization": "Bearer nope"}), 403, wrong)
    answer = {"communities": {"totalCount": 3}}
    assert admin.data(query, {"Authorization": f"Bearer {READ}"}) == answer
    assert admin.data(query, AUTH) == answer
    # Answered from the cache now for the read token; still refused without it (and the
    # refusals above were not cached as answers).
    assert admin.data(query, {"Authorization": f"Bearer {READ}"}) == answer
    refused(admin.post(query), 401, need)
    refused(admin.post(query, {"Authorization": "Bearer nope"}), 403, wrong)
    # GET is covered too, and so is introspection.
    response = admin.client.get("/graphql", params={"query": query})
    refused(response, 401, need)
    got = admin.client.get("/graphql", params={"query": query},
                           headers={"Authorization": f"Bearer {READ}"})  # fmt: skip
    assert got.status_code == 200 and got.json() == {"data": answer}
    refused(admin.post("{ __schema { queryType { name } } }"), 401, need)
    # The read token is not an admin token.
    as_reader = {"Authorization": f"Bearer {READ}"}
    not_admin = "mutations need an admin token; reader holds a reader token"
    refused(admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV), headers=as_reader), 403, not_admin)
    assert admin.report(admin.upload("a.csv", gbk_csv(AGREEMENTS_CSV)))["status"] == "LOADED"


def test_reads_are_open_without_a_read_token(admin: Admin) -> None:
    assert admin.data("{ communities { totalCount } }") == {"communities": {"totalCount": 3}}
    wrong = {"Authorization": "Bearer whatever"}  # a token nobody holds is refused even so
    refused(admin.post("{ communities { totalCount } }", wrong), 403, WRONG_TOKEN)


# -- the rule itself ------------------------------------------------------------------------
@given(st.one_of(st.none(), st.text(max_size=40)), st.booleans(), st.booleans())
def test_check_access_refuses_only_with_its_own_error(
    header: str | None, mutation: bool, with_read: bool
) -> None:
    book = TokenBook(Settings(admin_token=ADMIN, read_token=READ if with_read else None))
    try:
        identity = resolve(book, [] if header is None else [header])
        check_access(book, identity, mutation)
    except AccessDenied as e:
        assert e.status in (401, 403)
    else:
        token = None if header is None else header.strip().partition(" ")[2].strip()
        if mutation:
            assert token == ADMIN
        elif with_read:
            assert token in (ADMIN, READ)
        else:
            assert token in (None, ADMIN)


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("", 401), ("Bearer", 401), ("Bearer   ", 401), ("Basic abc", 401), ("Bearerabc", 401),
        ("Bearer a b", 401), ("Bearer abc", 403), (f"bearer {ADMIN}", None),
        (f"  BEARER   {ADMIN}  ", None),
    ],
)  # fmt: skip
def test_authorization_headers(header: str, status: int | None) -> None:
    book = TokenBook(Settings(admin_token=ADMIN))
    if status is None:
        assert resolve(book, [header]).role == "admin"
    else:
        with pytest.raises(AccessDenied) as e:
            resolve(book, [header])
        assert e.value.status == status
    with pytest.raises(AccessDenied) as e:
        resolve(book, [f"Bearer {ADMIN}", f"Bearer {ADMIN}"])
    assert e.value.status == 400


def test_an_oversized_upload_is_refused_before_it_is_read(
    serve: Callable[..., Admin], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the request is within the upload limit, so the file limit is what stops the reading
    admin = serve(Settings(admin_token=ADMIN, max_file_bytes=4096, max_upload_bytes=8 << 20))
    read: list[int] = []
    real = admin_schema._read_upload

    async def counting(file: Any, limit: int) -> bytes | None:
        original = file.read

        async def read_chunk(size: int = -1) -> bytes:
            chunk = await original(size)
            read.append(len(chunk))
            return chunk

        file.read = read_chunk
        return await real(file, limit)

    monkeypatch.setattr(admin_schema, "_read_upload", counting)
    before = snapshot(admin.store)
    big = gbk_csv(AGREEMENTS_CSV) + b"x" * (3 << 20)
    report = admin.report(admin.upload("big.csv", big))
    assert report["status"] == "UNLOADABLE" and report["importRunId"] is None
    assert "exceeds the limit of 4,096 bytes" in report["problems"][0]["messageEn"]
    assert "超出上限" in report["problems"][0]["messageZh"]
    assert sum(read) < len(big)  # stopped at the limit, never read in full
    assert snapshot(admin.store) == before


def test_each_byte_limit_refuses_on_its_own(serve: Callable[..., Admin]) -> None:
    """The upload limit refuses the request (413, by its declared length, before parsing); a
    request within it whose file is over the file limit reaches importFile and is refused
    there with the file limit named. Neither writes anything."""
    admin = serve(Settings(admin_token=ADMIN, max_file_bytes=4096, max_upload_bytes=16384))
    before = snapshot(admin.store)
    csv = gbk_csv(AGREEMENTS_CSV)
    over_upload = admin.upload("big.csv", csv + b"x" * 20_000)
    assert over_upload.status_code == 413, over_upload.text
    assert "above the limit of 16,384 (GRIDGRAPH_MAX_UPLOAD_BYTES)" in over_upload.text
    over_file = admin.report(admin.upload("big.csv", csv + b"x" * 6000))
    assert over_file["status"] == "UNLOADABLE"
    assert "exceeds the limit of 4,096 bytes" in over_file["problems"][0]["messageEn"]
    assert snapshot(admin.store) == before
    within = admin.report(admin.upload("a.csv", csv))  # under both: it loads
    assert within["status"] == "LOADED", within["problems"]
    assert snapshot(admin.store) != before


def test_the_upload_limit_follows_the_file_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """One rule: the upload limit is the file limit plus the form around it, unless set; set,
    it may not be below the file limit."""
    assert Settings().max_upload_bytes == Settings().max_file_bytes + UPLOAD_FRAMING_BYTES
    monkeypatch.setenv("GRIDGRAPH_MAX_FILE_BYTES", "4096")
    assert Settings().max_upload_bytes == 4096 + UPLOAD_FRAMING_BYTES
    monkeypatch.setenv("GRIDGRAPH_MAX_UPLOAD_BYTES", "9000")
    assert (Settings().max_file_bytes, Settings().max_upload_bytes) == (4096, 9000)
    monkeypatch.setenv("GRIDGRAPH_MAX_UPLOAD_BYTES", "4000")
    with pytest.raises(ValidationError, match="below max_file_bytes"):
        Settings()


def test_a_dry_run_upload_lists_each_record(admin: Admin) -> None:
    query = IMPORT.replace("importRunId\n", "importRunId records { id kind action changes "
                           "{ field old new } }\n")  # fmt: skip
    operations = {"query": query, "variables": {"file": None, "dryRun": True}}
    response = admin.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("a.csv", gbk_csv(AGREEMENTS_CSV), "application/octet-stream")},
        headers=AUTH,
    )
    report = admin.report(response)
    records = {r["id"]: r for r in report["records"]}
    created = records["agreement:GJ-2024-001"]
    assert created["action"] == "created" and created["kind"] == "Agreement"
    assert {"field": "topics", "old": None, "new": '["文明实践", "志愿服务"]'} in created["changes"]
    assert len(records) == 3  # the agreement and its two parties' links
