"""Where the console's files are, how their names carry a hash, and how long browsers keep them."""

from __future__ import annotations

import hashlib
import json
import mimetypes
from functools import cache
from pathlib import Path
from typing import Any

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

HERE = Path(__file__).resolve().parent
#: The console's own pages, scripts and styles (committed).
WEB_DIR = HERE / "web"
#: The libraries copied from npm by ``make assets`` (build output, not committed).
VENDOR_DIR = HERE / "vendor"
MANIFEST = VENDOR_DIR / "manifest.json"

#: A file under a hashed or versioned path never changes: keep it a year.
IMMUTABLE = "public, max-age=31536000, immutable"
#: A page names the current hashes, so it is asked for again each time (an ETag makes it cheap).
REVALIDATE = "no-cache"

ASSETS_HINT = (
    "控制台的浏览器资源尚未构建：请运行 make assets（make serve 会自动运行）。"
    " / The console's browser assets are not built: run `make assets` (`make serve` does)."
)

# ES modules must be served as JavaScript; Python 3.11's table does not know ``.mjs``.
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")


class MissingAssets(RuntimeError):
    """``make assets`` has not run: the vendored libraries are not there."""


class CachedStaticFiles(StaticFiles):
    """Static files with one ``Cache-Control`` header for the whole folder."""

    def __init__(self, directory: Path, cache_control: str) -> None:
        super().__init__(directory=directory, check_dir=False)
        self.cache_control = cache_control

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = self.cache_control
        return response


@cache
def web_digest() -> str:
    """A hash of every file in ``web/``: part of the URL, so a changed file gets a new name."""
    digest = hashlib.sha256()
    for path in sorted(p for p in WEB_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(WEB_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def web_prefix() -> str:
    return f"/assets/console/{web_digest()}"


def vendor_manifest() -> dict[str, dict[str, Any]]:
    """Package -> {version, script/style/module: path under /assets/vendor}."""
    if not MANIFEST.is_file():
        raise MissingAssets(ASSETS_HINT)
    manifest: dict[str, dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return manifest


def vendor_url(package: str, role: str) -> str:
    return f"/assets/vendor/{vendor_manifest()[package][role]}"
