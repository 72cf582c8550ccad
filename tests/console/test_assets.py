"""What the console's pages load: all from this server, cacheable, and named so they can be."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.console import assets
from api.console.pages import vocabulary
from graph.memory import MemoryStore
from schema.registry import ONTOLOGY


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = MemoryStore()
    with TestClient(create_app(store)) as c:
        yield c
    store.close()


class References(HTMLParser):
    """Every ``src`` and ``href`` of a page, with its tag."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [(tag, v) for k, v in attrs if k in ("src", "href") and v]


def references(html: str) -> list[tuple[str, str]]:
    parser = References()
    parser.feed(html)
    return parser.urls


def page(client: TestClient, path: str) -> httpx.Response:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-cache"
    return response


@pytest.mark.parametrize("path", ["/", "/graphql"])
def test_pages_load_nothing_from_another_host(client: TestClient, path: str) -> None:
    html = page(client, path).text
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "outside reference"
    urls = references(html)
    assert urls
    for tag, url in urls:
        assert url.startswith(("/", "#", "data:")), url
        if tag in ("script", "link") and url.startswith("/"):
            asset = client.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["cache-control"] == assets.IMMUTABLE, url


def test_own_scripts_and_styles_name_no_outside_host() -> None:
    for path in assets.WEB_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://|//[a-z0-9-]+\.[a-z]{2,}/", text), path


def test_every_module_the_console_imports_is_served_as_javascript(client: TestClient) -> None:
    html = page(client, "/").text
    modules = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)
    web = {p.relative_to(assets.WEB_DIR).as_posix() for p in assets.WEB_DIR.rglob("*.js")}
    assert len(modules) == len(web)  # every console module but graphiql.js, plus cytoscape
    for url in modules:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/javascript"), url
    imports = set()
    for path in assets.WEB_DIR.rglob("*.js"):
        for name in re.findall(r'from "(\.[^"]+)"', path.read_text(encoding="utf-8")):
            imports.add((path.parent / name).resolve())
    assert imports and all(p.is_file() for p in imports)


def test_unchanged_assets_revalidate_cheaply(client: TestClient) -> None:
    url = f"{assets.web_prefix()}/app.js"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_graphiql_is_ours_not_strawberrys(client: TestClient) -> None:
    html = page(client, "/graphql").text
    assert "unpkg" not in html and "Strawberry" not in html
    assert assets.vendor_url("graphiql", "script") in html


def test_a_missing_build_says_what_to_run(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(assets, "MANIFEST", tmp_path / "manifest.json")
    for path in ["/", "/graphql"]:
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 503
        assert "make assets" in response.text
    # the API itself keeps answering
    assert client.post("/graphql", json={"query": "{ counts }"}).status_code == 200


def test_the_labels_come_from_the_ontology() -> None:
    vocab = vocabulary()
    assert {k: v["zh"] for k, v in vocab["kinds"].items()} == {
        k.name: k.zh for k in ONTOLOGY.kinds.values()
    }
    assert vocab["levels"]["COMMUNITY"]["meetingZh"] == "网格联席会"
    assert vocab["kinds"]["PartyOrganization"]["prefix"] == "party_organization"


def test_a_graphiql_link_with_its_query_reopens_graphiql(client: TestClient) -> None:
    response = client.get("/graphql?q=%7B%20counts%20%7D", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert assets.vendor_url("graphiql", "script") in response.text
