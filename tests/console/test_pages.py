"""The console in a real browser: every page renders in Chinese with outside hosts unreachable."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import Api, Visit

pytestmark = pytest.mark.browser

DAY = "2024-07-01"
BUILDING = """query { buildings(first: 1) {
  nodes { id name } } }"""


def first_building(api: Api) -> dict[str, Any]:
    node: dict[str, Any] = api.data(BUILDING)["buildings"]["nodes"][0]
    return node


def canvas_painted(page: Any, selector: str) -> bool:
    """Whether any canvas inside ``selector`` has a pixel drawn."""
    return bool(
        page.evaluate(
            """sel => [...document.querySelectorAll(sel + ' canvas')].some(c => {
                 if (!c.width || !c.height) return false;
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 for (let i = 3; i < d.length; i += 4) if (d[i]) return true;
                 return false; })""",
            selector,
        )
    )


def test_home_renders_in_chinese_with_the_graph_counts(visit: Visit, api: Api) -> None:
    page = visit.open("/")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.inner_text("header nav").split() == ["查找", "缺口", "导入", "GraphiQL"]
    counts = api.data("{ counts }")["counts"]["nodes"]
    text = page.inner_text("main")
    assert "楼栋" in text and f"{counts['Building']:,}" in text


def test_graphiql_renders_its_editors_and_runs_a_query(visit: Visit, api: Api) -> None:
    api.data(
        '{ search(text: "liyang", first: 1) { id } }'
    )  # the server's first search builds its index
    page = visit.open("/graphql")
    page.wait_for_selector(".graphiql-query-editor .CodeMirror")
    page.wait_for_selector(".graphiql-variables-editor, .graphiql-editor-tool")
    html = page.content()
    assert "unpkg" not in html
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        "() => document.querySelector('.result-window')?.innerText.includes('黎阳社区')",
        timeout=60_000,
    )


def test_a_pinyin_search_leads_to_a_building(visit: Visit, api: Api) -> None:
    building = first_building(api)
    page = visit.open("/")
    visit.then(lambda: page.fill("input[name=q]", "liyang"))
    results = page.locator("table.results a.result")
    assert results.count() > 0
    assert "黎阳社区" in page.inner_text("table.results")
    visit.then(lambda: page.fill("input[name=q]", "lysq"))  # the initials
    assert "黎阳社区" in page.inner_text("table.results")
    # the building's own name finds it; follow that result
    visit.then(lambda: page.fill("input[name=q]", building["name"]))
    visit.then(lambda: page.click(f"a.result[href$='{building['id'].split(':')[1]}']"))
    assert page.inner_text("main h1").startswith(building["name"])
    page.wait_for_selector("#chain-graph[data-nodes]")


def test_the_chain_of_a_building_is_drawn_with_its_gaps(visit: Visit, api: Api) -> None:
    building = first_building(api)
    event = api.data("{ eventTypes(first: 1) { nodes { id name } } }")["eventTypes"]["nodes"][0]
    chain = api.data(
        """query($b: ID!, $e: ID!, $d: Date) { responsibilityChain(building: $b, eventType: $e,
        asOf: $d) { complete gaps { kind } levels { grid { name } inCharge { person { name } } }
        handlers { department { name } } } }""",
        b=building["id"],
        e=event["id"],
        d=DAY,
    )["responsibilityChain"]
    page = visit.open(f"/#/node/{building['id']}?asOf={DAY}&eventType={event['id']}")
    graph = page.wait_for_selector("#chain-graph[data-nodes]")
    nodes = int(graph.get_attribute("data-nodes") or 0)
    people = {p["person"]["name"] for level in chain["levels"] for p in level["inCharge"]}
    # five grids, the event, each person in charge, each handler, a meeting per level...
    assert nodes >= 5 + 1 + 5 + len(people) + len(chain["handlers"])
    assert canvas_painted(page, "#chain-graph")
    drawn = page.evaluate(
        "() => document.querySelector('#chain-graph')._cy.nodes().map(n => n.data('label'))"
    )
    for level in chain["levels"]:
        assert any(level["grid"]["name"] in label for label in drawn)
    for name in people:
        assert any(name in label for label in drawn)
    status = page.inner_text("#chain-status")
    if chain["complete"]:
        assert status == "责任链完整"
    else:
        assert str(len(chain["gaps"])) in status
        assert len([x for x in drawn if x.startswith("缺口")]) >= 1
    assert "逐级覆盖" in page.inner_text("main")


def test_the_date_and_event_type_are_chosen_on_the_page(visit: Visit, api: Api) -> None:
    building = first_building(api)
    page = visit.open(f"/#/node/{building['id']}?asOf={DAY}")
    visit.then(lambda: page.fill("input[name=asOf]", "2023-01-15"))
    assert "asOf=2023-01-15" in page.url
    assert page.input_value("input[name=asOf]") == "2023-01-15"
    options = page.locator("select[name=eventType] option")
    second = options.nth(1).get_attribute("value")
    visit.then(lambda: page.select_option("select[name=eventType]", second))
    assert f"eventType={second}" in page.url.replace("%3A", ":")
    page.wait_for_selector("#chain-graph[data-nodes]")


def test_a_building_page_renders_within_a_second(browser: Any, console_url: str, api: Api) -> None:
    """First render, in a fresh browser (nothing cached), of buildings not asked for before:
    the best of three must be under a second. Timing means nothing on a machine running many
    times more work than it has cores, so then the test says so and skips."""
    busy = os.getloadavg()[0] / (os.cpu_count() or 1)
    if busy > 1.5:
        pytest.skip(f"the machine is too busy to time a page ({busy:.1f} runnable per core)")
    buildings = api.data(
        "{ buildings(first: 3, orderBy: [{field: NAME, direction: DESC}]) { nodes { id } } }"
    )["buildings"]["nodes"]
    times = []
    for building in buildings:
        visit = Visit(browser, console_url)
        try:
            visit.page.goto(f"{console_url}/#/node/{building['id']}")
            visit.page.wait_for_selector("#chain-graph[data-nodes]")
            times.append(visit.page.evaluate("performance.now()") / 1000)
        finally:
            visit.context.close()
        assert not visit.outside and not visit.errors
    assert min(times) < 1.0, f"first renders took {times} s"


def test_one_graphql_request_per_view(visit: Visit, api: Api) -> None:
    building = first_building(api)
    posts: list[str] = []
    visit.page.on(
        "request",
        lambda r: (
            posts.append(r.url) if r.method == "POST" and r.url.endswith("/graphql") else None
        ),
    )
    page = visit.open(f"/#/node/{building['id']}?asOf={DAY}")
    page.wait_for_selector("#chain-graph[data-nodes]")
    assert len(posts) == 2  # the event types, once per page load; then the view
    visit.then(lambda: page.fill("input[name=asOf]", "2023-01-15"))
    assert len(posts) == 3
    visit.then(lambda: page.click("a[href^='#/node/community']"))
    assert len(posts) == 4


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ("{ communities(first: 1) { nodes { id name } } }", "共建伙伴与共享协议"),
        ("{ departments(first: 1) { nodes { id name } } }", "共建伙伴与共享协议"),
        ("{ units(first: 1) { nodes { id name } } }", "共建伙伴与共享协议"),
        ("{ agreements(first: 1) { nodes { id name } } }", "即将到期的协议"),
    ],
)
def test_node_pages_draw_their_neighbourhood(
    visit: Visit, api: Api, query: str, heading: str
) -> None:
    data = api.data(query)
    node = next(iter(data.values()))["nodes"][0]
    page = visit.open(f"/#/node/{node['id']}")
    assert page.inner_text("main h1").startswith(node["name"])
    assert heading in page.inner_text("main")
    graph = page.wait_for_selector("#neighbourhood-graph[data-nodes]")
    links = api.data(
        "query($id: ID!) { node(id: $id) { relationships { node { id } } } }", id=node["id"]
    )["node"]["relationships"]
    assert int(graph.get_attribute("data-nodes") or 0) == 1 + len(
        {link["node"]["id"] for link in links[:60]}
    )
    assert canvas_painted(page, "#neighbourhood-graph")


def test_a_community_lists_its_partners_and_shared_agreements(visit: Visit, api: Api) -> None:
    community = api.data("{ communities(first: 1) { nodes { id } } }")["communities"]["nodes"][0]
    shared = api.data(
        "query($u: ID!) { sharedAgreements(unit: $u) { party { name } } }", u=community["id"]
    )["sharedAgreements"]
    assert shared, "the reference graph's first community shares agreements"
    page = visit.open(f"/#/node/{community['id']}")
    table = page.inner_text("table.shared")
    assert all(s["party"]["name"] in table for s in shared[:10])


GAPS = """query($kind: [GapKind!]) { gaps { totalCount counts { level kind count }
  rows(kind: $kind, first: 1) { totalCount } } }"""


def test_gaps_are_counted_filtered_paged_and_exported(visit: Visit, api: Api) -> None:
    report = api.data(GAPS)["gaps"]
    page = visit.open("/#/gaps")
    assert "缺口清单" in page.inner_text("main h1")
    assert f"{report['totalCount']:,}" in page.inner_text("main h1")
    assert page.locator("table.counts tbody tr").count() == len(
        {c["level"] for c in report["counts"]}
    )
    kind = max(report["counts"], key=lambda c: c["count"])["kind"]
    filtered = api.data(GAPS, kind=[kind])["gaps"]["rows"]["totalCount"]
    visit.then(lambda: page.select_option("select[name=kind]", kind))
    rows = page.locator("table.gap-rows tbody tr")
    assert rows.count() == min(50, filtered)
    assert f"共 {filtered:,} 条" in page.inner_text("#page-info")
    if filtered > 50:
        first = page.inner_text("table.gap-rows tbody tr:first-child")
        visit.then(lambda: page.click("text=下一页"))
        assert "第 2 页" in page.inner_text("#page-info")
        assert page.inner_text("table.gap-rows tbody tr:first-child") != first
    with page.expect_download() as download:
        page.click("#export")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM to read Chinese"
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0][0] == "层级 level"
    assert len(lines) - 1 == filtered


def test_english_switch(visit: Visit) -> None:
    page = visit.open("/#/gaps")
    visit.then(lambda: page.click("#lang"))
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("header nav").split() == ["Search", "Gaps", "Upload", "GraphiQL"]
    assert "Gaps" in page.inner_text("main h1")
    page.reload()
    visit.ready()
    assert page.inner_text("#lang") == "中文"
    visit.then(lambda: page.click("#lang"))
    assert re.search("[\u4e00-\u9fff]", page.inner_text("main h1"))
