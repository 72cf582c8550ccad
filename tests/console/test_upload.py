"""Uploading through the console: refused without the token, a dry run, then a real load."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from loaders.kinds import LOAD_KINDS
from loaders.templates import header_rows
from tests.console.conftest import ADMIN_TOKEN, Api, Visit

pytestmark = pytest.mark.browser


def agreements_csv(path: Path, api: Api, code: str, *, community: str | None = None) -> Path:
    """An agreements sheet (the template's header rows) for a unit and community of the graph."""
    unit = api.data("{ units(first: 1) { nodes { name uscc } } }")["units"]["nodes"][0]
    if community is None:
        community = api.data("{ communities(first: 1) { nodes { name } } }")["communities"][
            "nodes"
        ][0]["name"]
    zh, en = header_rows(LOAD_KINDS["agreements"])
    values = {
        "code": code,
        "name": f"{code} 控制台测试协议",
        "signed_on": "2024-03-01",
        "valid_from": "2024-03-01",
        "valid_to": "2027-02-28",
        "topics": "志愿服务",
        "partner": unit["name"],
        "uscc": unit["uscc"] or "",
        "community": community,
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([zh, en, [values.get(column, "") for column in en]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


AGREEMENT = "query($code: String!) { agreements(where: {code: {eq: $code}}) { totalCount } }"


def open_upload(visit: Visit) -> Any:
    page = visit.open("/#/upload")
    assert page.inner_text("main h1") == "导入数据"
    return page


def test_an_upload_without_the_token_is_refused_visibly(
    visit: Visit, api: Api, tmp_path: Path
) -> None:
    page = open_upload(visit)
    page.set_input_files("#file", str(agreements_csv(tmp_path / "协议.csv", api, "GJ-UI-401")))
    error = page.wait_for_selector("#upload-error")
    assert "未授权" in error.inner_text()
    assert api.data(AGREEMENT, code="GJ-UI-401")["agreements"]["totalCount"] == 0


def test_a_wrong_token_is_refused(visit: Visit, api: Api, tmp_path: Path) -> None:
    page = open_upload(visit)
    page.fill("input[name=token]", "not-the-token")
    page.click("#token-box button[type=submit]")
    page.set_input_files("#file", str(agreements_csv(tmp_path / "a.csv", api, "GJ-UI-403")))
    assert "被拒绝" in page.wait_for_selector("#upload-error").inner_text()


def test_a_dry_run_shows_its_report_then_the_load_lands(
    visit: Visit, api: Api, tmp_path: Path
) -> None:
    page = open_upload(visit)
    # the import log is for admins: without the token the page says so, with it the log shows
    assert "仅对管理员可见" in page.wait_for_selector("#log-refused").inner_text()
    page.fill("input[name=token]", ADMIN_TOKEN)
    page.click("#token-box button[type=submit]")
    assert "已保存" in page.inner_text("#token-box")
    page.wait_for_function("() => !document.querySelector('#log-refused')")
    assert page.evaluate("sessionStorage.getItem('gridgraph.token')") == ADMIN_TOKEN
    assert page.evaluate("localStorage.getItem('gridgraph.token')") is None
    path = agreements_csv(tmp_path / "共建协议.csv", api, "GJ-UI-001")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#report-status")
    assert page.inner_text("#report-status") == "CHECKED"
    assert "试导入报告" in page.inner_text("#upload-result")
    created = page.inner_text("table.changes tbody tr:first-child td:nth-child(2)")
    assert int(created) >= 1
    assert api.data(AGREEMENT, code="GJ-UI-001")["agreements"]["totalCount"] == 0
    page.click("#confirm")
    page.wait_for_function("() => document.querySelector('#report-status')?.innerText === 'LOADED'")
    assert api.data(AGREEMENT, code="GJ-UI-001")["agreements"]["totalCount"] == 1
    page.wait_for_function(
        "() => document.querySelector('#import-log')?.innerText.includes('共建协议.csv')"
    )


def test_a_bad_row_is_reported_with_sheet_row_and_column(
    visit: Visit, api: Api, tmp_path: Path
) -> None:
    page = open_upload(visit)
    page.fill("input[name=token]", ADMIN_TOKEN)
    page.click("#token-box button[type=submit]")
    path = agreements_csv(tmp_path / "bad.csv", api, "GJ-UI-BAD", community="不存在的社区")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#problems")
    headers = page.locator("#problems thead th").all_inner_texts()
    assert headers == ["工作表", "行", "列", "级别", "说明"]
    first = page.locator("#problems tbody tr").first.locator("td").all_inner_texts()
    assert first[1] == "3"  # two header rows, then the data row
    assert first[4]
    assert page.is_disabled("#confirm")
    assert "跳过有错的行" in page.inner_text("#why-not")


def test_skipping_invalid_rows_loads_the_good_ones(visit: Visit, api: Api, tmp_path: Path) -> None:
    good = agreements_csv(tmp_path / "good.csv", api, "GJ-UI-SKIP-1").read_text(encoding="utf-8")
    bad = agreements_csv(tmp_path / "bad.csv", api, "GJ-UI-SKIP-2", community="不存在的社区")
    path = tmp_path / "两行.csv"
    path.write_text(good + bad.read_text(encoding="utf-8").splitlines()[2] + "\n", "utf-8")
    page = open_upload(visit)
    page.fill("input[name=token]", ADMIN_TOKEN)
    page.click("#token-box button[type=submit]")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#problems")
    assert page.is_disabled("#confirm")
    page.check("input[name=skipInvalid]")  # checks the same file again
    page.wait_for_selector("#confirm:not([disabled])")
    page.click("#confirm")
    page.wait_for_function(
        "() => ['LOADED', 'PARTIAL'].includes(document.querySelector('#report-status')?.innerText)"
    )
    assert api.data(AGREEMENT, code="GJ-UI-SKIP-1")["agreements"]["totalCount"] == 1
    assert api.data(AGREEMENT, code="GJ-UI-SKIP-2")["agreements"]["totalCount"] == 0
