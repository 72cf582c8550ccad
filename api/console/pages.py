"""The two HTML pages (console, GraphiQL), the labels they show, and the routes that serve them."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

from api.console.assets import (
    IMMUTABLE,
    REVALIDATE,
    VENDOR_DIR,
    WEB_DIR,
    CachedStaticFiles,
    MissingAssets,
    vendor_url,
    web_prefix,
)
from api.context import GraphContext
from graph.queries.grid_links import GapKind
from schema.registry import ONTOLOGY
from schema.vocab import CHOICE_ZH


def _english(name: str) -> str:
    """``PartyOrganization`` -> ``Party organization``."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
    return words[:1].upper() + words[1:]


@cache
def vocabulary() -> dict[str, Any]:
    """The ontology's labels, in Chinese and English, for the console to show (derived from
    ``schema/``, never repeated in the scripts)."""
    return {
        "kinds": {
            k.name: {"zh": k.zh, "en": _english(k.name), "prefix": k.id_prefix}
            for k in ONTOLOGY.kinds.values()
        },
        "levels": {
            info.level.name: {
                "zh": info.zh,
                "en": f"{info.level.value} grid",
                "leader": info.leader,
                "leaderZh": info.leader_zh,
                "meeting": info.meeting,
                "meetingZh": info.meeting_zh,
            }
            for info in ONTOLOGY.grid_levels.values()
        },
        "relations": {
            r.name: {"zh": r.zh, "en": r.description} for r in ONTOLOGY.relations.values()
        },
        "choices": {value: labels[0] for value, labels in CHOICE_ZH.items()},
        "gapKinds": {k.name: k.description for k in GapKind},
    }


def _json_for_script(value: Any) -> str:
    """JSON that cannot close the ``<script>`` element it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def _missing_page(error: MissingAssets) -> HTMLResponse:
    body = f'<!doctype html><meta charset="utf-8"><title>gridgraph</title><p>{error}</p>'
    return HTMLResponse(body, status_code=503, headers={"Cache-Control": "no-store"})


def _preloads() -> str:
    """``modulepreload`` links for every module, so the browser fetches them all at once instead
    of discovering them import by import."""
    modules = [
        f"{web_prefix()}/{p.relative_to(WEB_DIR).as_posix()}" for p in sorted(WEB_DIR.rglob("*.js"))
    ]
    modules = [m for m in modules if not m.endswith("/graphiql.js")]
    modules.append(vendor_url("cytoscape", "module"))
    return "\n".join(f'  <link rel="modulepreload" href="{m}">' for m in modules)


def console_html() -> str:
    """The console's one page; the scripts route between views on the URL's hash."""
    import_map = {"imports": {"cytoscape": vendor_url("cytoscape", "module")}}
    return _fill(
        (WEB_DIR / "index.html").read_text(encoding="utf-8"),
        ASSETS=web_prefix(),
        PRELOAD=_preloads(),
        IMPORTMAP=_json_for_script(import_map),
        VOCAB=_json_for_script(vocabulary()),
    )


def graphiql_html() -> str:
    """GraphiQL with React and its own bundle from this server (strawberry's page uses a CDN)."""
    return _fill(
        (WEB_DIR / "graphiql.html").read_text(encoding="utf-8"),
        ASSETS=web_prefix(),
        REACT=vendor_url("react", "script"),
        REACT_DOM=vendor_url("react-dom", "script"),
        GRAPHIQL_JS=vendor_url("graphiql", "script"),
        GRAPHIQL_CSS=vendor_url("graphiql", "style"),
    )


class ConsoleGraphQLRouter(GraphQLRouter[GraphContext, None]):
    """The GraphQL router, with GraphiQL served from this server instead of a CDN, and answers
    serialised by orjson (as compiled answers are, :mod:`api.persisted`: the same bytes)."""

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        try:
            return HTMLResponse(graphiql_html(), headers={"Cache-Control": REVALIDATE})
        except MissingAssets as error:
            return _missing_page(error)


def mount_console(app: FastAPI) -> None:
    """Serve the console at ``/`` and the assets both pages load under ``/assets``."""
    app.mount(web_prefix(), CachedStaticFiles(WEB_DIR, IMMUTABLE), name="console-web")
    app.mount("/assets/vendor", CachedStaticFiles(VENDOR_DIR, IMMUTABLE), name="console-vendor")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def console() -> HTMLResponse:
        try:
            return HTMLResponse(console_html(), headers={"Cache-Control": REVALIDATE})
        except MissingAssets as error:
            return _missing_page(error)
