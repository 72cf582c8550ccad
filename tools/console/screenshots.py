"""Screenshots of the console's main pages at 1366×768 for the docs (docs/img/console-*.png).

Serves the Qibin reference graph on a free loopback port, with an admin token, and drives
Debian's Chromium with Playwright; every request to another host is aborted. Run from the
repository root after `make test` (which installs the browser and builds the assets):

    .venv/bin/python tools/console/screenshots.py
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from api.app import create_app  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from graph.settings import Settings  # noqa: E402
from loaders.kinds import LOAD_KINDS  # noqa: E402
from loaders.reference import seed_reference_graph  # noqa: E402
from loaders.templates import header_rows  # noqa: E402
from tests.api.serving import served  # noqa: E402

OUT = ROOT / "docs" / "img"
DAY = "2024-07-01"
BUILDING = "building:410611001001-001-01"
PAGES = {
    "search": "/#/search?q=liyang",
    "building": f"/#/node/{BUILDING}?asOf={DAY}&eventType=event_type:410611-01-01",
    "community": f"/#/node/community:410611001001?asOf={DAY}",
    "gaps": f"/#/gaps?asOf={DAY}",
}


def sample_upload(folder: Path) -> Path:
    """An agreements sheet from the template's header rows: one good row, one bad."""
    zh, en = header_rows(LOAD_KINDS["agreements"])
    good = {
        "code": "GJ-DEMO-001",
        "name": "黎阳社区与鹤壁市青少年宫联建共建协议",
        "signed_on": "2024-03-01",
        "valid_from": "2024-03-01",
        "valid_to": "2027-02-28",
        "topics": "志愿服务、文明实践",
        "partner": "鹤壁市青少年宫",
        "community": "黎阳社区",
    }
    bad = {**good, "code": "GJ-DEMO-002", "valid_to": "2027-02-30", "community": "黎明社区"}
    buffer = io.StringIO()
    csv.writer(buffer).writerows([zh, en, *([row.get(c, "") for c in en] for row in (good, bad))])
    path = folder / "共建协议.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def main() -> None:
    store = MemoryStore()
    seed_reference_graph(store, scale=1)
    app = create_app(store, Settings(admin_token=SecretStr("screenshots"), read_token=None))
    OUT.mkdir(parents=True, exist_ok=True)
    with served(app) as base, sync_playwright() as playwright, TemporaryDirectory() as tmp:
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
        # the upload page with a dry-run report: one good row and one naming no real community
        page.goto(base + "/#/upload")
        page.wait_for_selector("main[data-state=ready]")
        page.fill("input[name=token]", "screenshots")
        page.click("#token-box button[type=submit]")
        page.set_input_files("#file", str(sample_upload(Path(tmp))))
        page.wait_for_selector("#report-status")
        page.screenshot(path=str(OUT / "console-upload.png"))
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
