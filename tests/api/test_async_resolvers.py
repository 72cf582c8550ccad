"""An async resolver never calls the store itself: it awaits the request's loaders
(:mod:`api.context`, or a schema module's own through ``GraphContext.loader``), which batch
every question of a nesting level into one store call, or the admin worker
(:func:`api.schema.admin._in_worker`). A store call in the resolver's own body would block the
request's event loop for every coroutine of the request, once per alias, unbatched."""

from __future__ import annotations

import ast
from pathlib import Path

import api

API = Path(api.__file__).parent


def _store_uses(fn: ast.AsyncFunctionDef) -> list[int]:
    """Lines of ``<anything>.store`` in the body, nested functions left out (a loader's
    batch function is the place for store calls)."""
    found: list[int] = []
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Attribute) and node.attr == "store":
            found.append(node.lineno)
        todo.extend(ast.iter_child_nodes(node))
    return found


def _async_resolvers(source: str) -> list[ast.AsyncFunctionDef]:
    """Async functions that take ``info``: the resolvers (loaders' batch functions do not)."""
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.AsyncFunctionDef)
        and any(a.arg == "info" for a in node.args.args + node.args.kwonlyargs)
    ]


def test_no_async_resolver_calls_the_store_itself() -> None:
    seen, offending = 0, []
    for path in sorted(API.rglob("*.py")):
        for fn in _async_resolvers(path.read_text(encoding="utf-8")):
            seen += 1
            offending += [f"{path.relative_to(API)}:{line} {fn.name}" for line in _store_uses(fn)]
    assert seen >= 10, "the resolvers were not found"
    assert offending == []


def test_the_check_sees_a_store_call_in_an_async_resolver() -> None:
    bad = (
        "async def chain(self, info, building):\n"
        "    ctx = info.context\n"
        "    bid = typed_id(ctx.store, building, 'Building')\n"
        "    async def load(ids):\n"
        "        return store.get_nodes(ids)\n"
        "    return await ctx.loader(('x',), load).load(bid)\n"
    )
    [fn] = _async_resolvers(bad)
    assert _store_uses(fn) == [3]
