"""Screenshots of the console's main pages at 1366×768 for the docs (docs/img/console-*.png).

Serves the Qibin reference graph on a free loopback port, with an admin token, and drives
Debian's Chromium with Playwright; every request to another host is aborted. Run from the
repository root after `make test` (which installs the browser and builds the assets):

    .venv/bin/python tools/console/screenshots.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from api.app import create_app  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from graph.settings import Settings  # noqa: E402
from loaders.reference import seed_reference_graph  # noqa: E402
from tests.api.serving import served  # noqa: E402

OUT = ROOT / "docs" / "img"
DAY = "2024-07-01"
BUILDING = "building:410611001001-001-01"
PAGES = {
    "search": "/#/search?q=liyang",
    "building": f"/#/node/{BUILDING}?asOf={DAY}&eventType=event_type:410611-01-01",
    "community": f"/#/node/community:410611001001?asOf={DAY}",
    "gaps": f"/#/gaps?asOf={DAY}",
    "upload": "/#/upload",
}


def main() -> None:
    store = MemoryStore()
    seed_reference_graph(store, scale=1)
    app = create_app(store, Settings(admin_token=SecretStr("screenshots"), read_token=None))
    OUT.mkdir(parents=True, exist_ok=True)
    with served(app) as base, sync_playwright() as playwright:
        host = urlsplit(base).netloc
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768})

        def only_here(route: Any) -> None:
            url = urlsplit(route.request.url)
            if url.scheme.startswith("http") and url.netloc != host:
                route.abort()
            else:
                route.continue_()

        page.route("**/*", only_here)
        for name, path in PAGES.items():
            page.goto(base + path)
            page.wait_for_selector("main[data-state=ready]")
            page.wait_for_timeout(300)  # let the graph finish painting
            page.screenshot(path=str(OUT / f"console-{name}.png"))
            print(OUT / f"console-{name}.png")
        page.goto(base + "/graphql")
        page.wait_for_selector(".graphiql-query-editor .CodeMirror")
        page.click(".graphiql-execute-button")
        page.wait_for_function(
            "() => document.querySelector('.result-window')?.innerText.length > 20"
        )
        page.screenshot(path=str(OUT / "console-graphiql.png"))
        browser.close()
    store.close()


if __name__ == "__main__":
    main()
