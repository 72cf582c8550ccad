"""A real Chromium (Debian's, driven by Playwright) against the console served by uvicorn.

One browser per test session (per xdist worker), one server per module, a fresh browser context
per test. Every request to a host other than the test server is aborted and recorded; a test
fails if its page tried one, or threw a script error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from graph.memory import MemoryStore
from graph.settings import Settings
from loaders.reference import seed_reference_graph
from tests.api.serving import served

CHROMIUM = Path(os.environ.get("GRIDGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1366, "height": 768}
ADMIN_TOKEN = "console-test-admin-token"


@pytest.fixture(scope="module")
def console_store() -> Iterator[MemoryStore]:
    store = MemoryStore()
    seed_reference_graph(store, scale=1)
    yield store
    store.close()


@pytest.fixture(scope="module")
def console_url(console_store: MemoryStore) -> Iterator[str]:
    # a generous time limit: the first search builds its index, slow on a busy machine
    settings = Settings(admin_token=SecretStr(ADMIN_TOKEN), read_token=None, request_timeout=120)
    with served(create_app(console_store, settings)) as url:
        yield url


class Api:
    """The served API over plain HTTP, to check what the pages show against what it answers."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30)

    def data(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        result: dict[str, Any] = body["data"]
        return result


@pytest.fixture(scope="module")
def api(console_url: str) -> Iterator[Api]:
    api = Api(console_url)
    yield api
    api.client.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser context on the console: outside requests blocked and recorded, errors kept."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != self.host:
            self.outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def open(self, path: str) -> Any:
        """Go to a console path (``/#/gaps``) and wait until its view has rendered."""
        self.page.goto(self.base_url + path)
        if path.startswith("/graphql"):
            return self.page
        self.ready()
        return self.page

    def renders(self) -> int:
        return int(self.page.get_attribute("main", "data-renders") or 0)

    def ready(self, after: int = 0) -> None:
        """Wait for a view rendered after the ``after``-th one; it must not be an error."""
        self.page.wait_for_function(
            "n => { const m = document.querySelector('main');"
            " return Number(m.dataset.renders || 0) > n && m.dataset.state !== 'loading'; }",
            arg=after,
        )
        state = self.page.get_attribute("main", "data-state")
        assert state == "ready", self.page.inner_text("main")

    def then(self, action: Any) -> None:
        """Do ``action`` (a click, a choice) and wait for the view it leads to."""
        before = self.renders()
        action()
        self.ready(after=before)


@pytest.fixture
def visit(browser: Any, console_url: str) -> Iterator[Visit]:
    v = Visit(browser, console_url)
    yield v
    v.context.close()
    assert not v.outside, f"the page asked outside hosts: {v.outside}"
    assert not v.errors, f"script errors: {v.errors}"
