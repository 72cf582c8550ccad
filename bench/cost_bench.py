"""How the cost of each root field grows with the graph (issue 13, "How cost grows"; on demand).

For each scale the reference graph is seeded into a file (reused on later runs, as in
``api_bench.py``), reopened, and served in this process through httpx's ASGI transport with the
response cache off, so every request executes. Each query is one top-level field of a document
in ``docs/queries/`` (split per field, its variables from the document's ``# Variables:`` line)
or, for the node lists the documents do not ask, ``{ kinds(first: 20) { totalCount nodes { id
name } } }``. Interleaved with a no-op POST to the same app (the floor: ASGI, routing, reading
the body), each is asked ``--requests`` times: the first ask (caches of the store version cold:
what a whole-graph report costs after each write) and the p50/p99 of the repeats, in
milliseconds, and the p50's ratio to the floor's p50 of the same run.

    PYTHONPATH=. .venv/bin/python bench/cost_bench.py --scale 1 --scale 10
    PYTHONPATH=. .venv/bin/python bench/cost_bench.py --store neo4j --scale 1
    PYTHONPATH=. .venv/bin/python bench/cost_bench.py --store neo4j --scale 100 \\
        --neo4j-home /tmp/gridgraph-bench/neo4j --neo4j-pagecache-mb 4096   # copied once, kept
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    OperationDefinitionNode,
    VariableNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

QUERIES = ROOT / "docs" / "queries"
_VARIABLES = re.compile(r"^# Variables: (\{.*\})$", re.MULTILINE)


def _used_variables(node: Any) -> set[str]:
    names: set[str] = set()

    class Uses(Visitor):
        def enter_variable(self, variable: VariableNode, *_: Any) -> None:
            names.add(variable.name.value)

    visit(node, Uses())
    return names


def split_documents() -> list[tuple[str, str, dict[str, Any]]]:
    """(label, query, variables) for every top-level field of every documented query."""
    out = []
    for path in sorted(QUERIES.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        found = _VARIABLES.search(text)
        variables: dict[str, Any] = json.loads(found[1]) if found else {}
        document = parse(text)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) != 1 or operations[0].operation.value != "query":
            continue
        op = operations[0]
        fragments = [d for d in document.definitions if d not in operations]
        for selection in op.selection_set.selections:
            if not isinstance(selection, FieldNode):
                continue
            used = _used_variables(selection) | {n for f in fragments for n in _used_variables(f)}
            defined = op.variable_definitions or ()
            keep = tuple(v for v in defined if v.variable.name.value in used)
            single = op.__class__(
                operation=op.operation,
                name=op.name,
                variable_definitions=keep,
                directives=op.directives,
                selection_set=op.selection_set.__class__(selections=(selection,)),
            )
            query = print_ast(DocumentNode(definitions=(single, *fragments)))
            alias = f"{selection.alias.value}: " if selection.alias else ""
            label = f"{alias}{selection.name.value} ({path.stem})"
            out.append((label, query, {k: v for k, v in variables.items() if k in used}))
    return out


EXPIRING_PAGE = """query($after: ID) {
  agreementsExpiring(withinDays: 90, asOf: "2024-12-01", first: 20, after: $after) {
    agreement { id code name } validTo daysLeft parties { kind name } } }"""
"""A page of agreements lapsing, as a list of them is read a page at a time: the first page,
and (``after``) a page further on, its cursor found by asking once."""


def list_queries(asked: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """A first page of each node list no document asks, with its total."""
    from api.schema import build_schema

    query_type = build_schema()._schema.query_type
    assert query_type is not None
    out: list[tuple[str, str, dict[str, Any]]] = []
    for name, field in query_type.fields.items():
        type_name = str(field.type).rstrip("!")
        if name in asked or not type_name.endswith("Connection") or "first" not in field.args:
            continue
        query = f"{{ {name}(first: 20) {{ totalCount nodes {{ id name }} }} }}"
        out.append((f"{name} (a page)", query, {}))
    return out


async def measure(
    store: Any, requests: int, skip: list[str], only: list[str] | None = None
) -> tuple[list[dict[str, Any]], float]:
    import httpx
    from fastapi import Request, Response

    from api.app import create_app
    from graph.settings import Settings

    # a whole-graph report's first ask at province scale runs past the served 10 s limit
    app = create_app(store, Settings(request_timeout=900), response_cache=False)

    @app.post("/noop")
    async def noop(request: Request) -> Response:
        await request.body()
        return Response(b'{"data":{}}', media_type="application/json")

    queries = split_documents()
    queries += list_queries({label.split(" ")[-2] for label, _, _ in queries})
    queries += [
        ("agreementsExpiring (a first page of 20)", EXPIRING_PAGE, {"after": None}),
        ("agreementsExpiring (the 50th page of 20)", EXPIRING_PAGE, {"after": "?"}),
    ]
    queries = [q for q in queries if not any(word in q[0] for word in skip)]
    if only:
        queries = [q for q in queries if any(word in q[0] for word in only)]
    rows, floors = [], []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def ask(query: str, variables: dict[str, Any]) -> float:
            started = time.perf_counter()
            answer = await client.post("/graphql", json={"query": query, "variables": variables})
            elapsed = time.perf_counter() - started
            body = answer.json()
            if answer.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"{query[:80]}: {answer.status_code} {str(body)[:300]}")
            return elapsed * 1000

        async def floor() -> float:
            started = time.perf_counter()
            await client.post("/noop", json={"query": "{ __typename }"})
            return (time.perf_counter() - started) * 1000

        async def cursor(query: str, skipped: int) -> str | None:
            """The id ending the first ``skipped`` agreements of the list (None: fewer)."""
            seen, after = 0, None
            while seen < skipped:
                body = (await client.post("/graphql", json={"query": query,
                        "variables": {"after": after}})).json()  # fmt: skip
                page = body["data"]["agreementsExpiring"]
                if not page:
                    return None
                seen += len(page)
                after = page[-1]["agreement"]["id"]
            return after

        for label, query, variables in queries:
            if variables.get("after") == "?":
                found = await cursor(query, 49 * 20)
                if found is None:
                    continue
                variables = {"after": found}
            try:
                first = await ask(query, variables)
            except RuntimeError as refused:  # personal data asks for a role: said, not timed
                if "role" not in str(refused):
                    raise
                rows.append({"query": label, "refused": True})
                continue
            repeats = []
            for _ in range(requests):
                floors.append(await floor())
                repeats.append(await ask(query, variables))
            repeats.sort()
            rows.append({
                "query": label,
                "first_ms": first,
                "p50_ms": statistics.median(repeats),
                "p99_ms": repeats[min(len(repeats) - 1, round(0.99 * (len(repeats) - 1)))],
            })  # fmt: skip
            print(f"  {label}: first {first:.1f} ms", file=sys.stderr, flush=True)
    return rows, statistics.median(floors)


@contextmanager
def opened(kind: str, path: Path, scale: int, args: argparse.Namespace) -> Iterator[Any]:
    """The seeded graph in the store asked for: the file itself, or a local Neo4j it is copied
    into (its own home, stopped after; with ``--neo4j-home`` a kept home, copied into once: a
    copy of scale 100 takes longer than the measurement)."""
    from graph.memory import MemoryStore

    if kind == "memory":
        store = MemoryStore(path)
        yield store
        store.close()
        return
    from graph.neo4j import Neo4jStore, local_server
    from graph.settings import Settings

    kept = args.neo4j_home / f"scale{scale}" if args.neo4j_home else None
    home = kept or Path(tempfile.mkdtemp(prefix=f"cost-neo4j-{scale}-"))
    marker = home / "gridgraph-copied-from.json"
    source_id = {"path": str(path), "bytes": path.stat().st_size, "mtime": path.stat().st_mtime}
    fresh = not (kept and marker.exists() and json.loads(marker.read_text()) == source_id)
    if fresh and kept and kept.exists():
        shutil.rmtree(kept)
    home.mkdir(parents=True, exist_ok=True)
    with local_server.start(
        home, heap=args.neo4j_heap, pagecache_mb=args.neo4j_pagecache_mb, timeout=900
    ) as server:
        settings = Settings(neo4j_uri=server.uri, neo4j_user=server.user,
                            neo4j_password=server.password)  # fmt: skip
        target = Neo4jStore.from_settings(settings)
        if fresh:
            copy_into(MemoryStore(path), target)
            marker.write_text(json.dumps(source_id))
        else:
            print(f"Neo4j in {home} already holds {path.name}", file=sys.stderr)
        yield target
        target.close()


def copy_into(source: Any, target: Any) -> None:
    """``copy_graph`` with a line of progress every 100,000 records (stderr)."""
    from graph.exchange import copy_graph

    started = time.perf_counter()
    reported = [0]

    def progress(done: int, total: int) -> None:
        if done - reported[0] >= 100_000 or done == total:
            reported[0] = done
            took = time.perf_counter() - started
            print(f"  copied {done:,} / {total:,} records in {took:.0f} s "
                  f"({done / took:,.0f}/s)", file=sys.stderr, flush=True)  # fmt: skip

    copy_graph(source, target, progress=progress)
    source.close()
    print(f"copied into Neo4j in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip", action="append", default=[], help="leave out fields naming this")
    parser.add_argument("--only", action="append", help="only the fields naming this")
    parser.add_argument(
        "--store",
        choices=["memory", "neo4j"],
        default="memory",
        help="neo4j: a local Neo4j started here, the seeded graph copied in",
    )
    parser.add_argument(
        "--neo4j-home", type=Path, help="neo4j: keep its data here (per scale), copy in once"
    )
    parser.add_argument("--neo4j-heap", default="4g")
    parser.add_argument("--neo4j-pagecache-mb", type=int, default=2048)
    parser.add_argument("--copy-only", action="store_true", help="neo4j: copy in, measure nothing")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gridgraph-bench")
    args = parser.parse_args()
    from api_bench import seeded_store

    args.dir.mkdir(parents=True, exist_ok=True)
    for scale in args.scale or [1]:
        path = seeded_store(scale, args.dir)
        with opened(args.store, path, scale, args) as store:
            if args.copy_only:
                continue
            rows, floor = asyncio.run(measure(store, args.requests, args.skip, args.only))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nscale {scale} ({args.store}): floor p50 {floor:.3f} ms, load average {load}")
        print(f"{'query':<48} {'first':>9} {'p50':>9} {'p99':>9} {'p50/floor':>10}")
        for r in rows:
            if r.get("refused"):
                print(f"{r['query']:<48} {'(needs a role: not timed)':>40}")
                continue
            print(
                f"{r['query']:<48} {r['first_ms']:>9.2f} {r['p50_ms']:>9.2f} "
                f"{r['p99_ms']:>9.2f} {r['p50_ms'] / floor:>10.1f}"
            )


if __name__ == "__main__":
    main()
