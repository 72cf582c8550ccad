"""The compiled path calls resolvers as strawberry does: a static method's parent
(``root: strawberry.Parent[...]``) receives the source, with or without arguments, and a
resolver of its source alone is called directly, like an attribute read."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
import strawberry
from graphql import parse

from api.compiled import Compiler, Run


@dataclass(frozen=True)
class Thing:
    """A domain dataclass, served as the GraphQL type below."""

    n: int


@strawberry.type(name="Thing")
class ThingType:
    @strawberry.field
    @staticmethod
    def double(root: strawberry.Parent[Thing]) -> int:
        return root.n * 2

    @strawberry.field
    @staticmethod
    def plus(root: strawberry.Parent[Thing], by: int) -> int:
        return root.n + by


@strawberry.type
class Query:
    @strawberry.field(graphql_type=list[ThingType])
    def things(self) -> list[Thing]:
        return [Thing(1), Thing(5)]


SCHEMA = strawberry.Schema(query=Query)
DOCUMENT = "{ things { double plus(by: 10) } }"


def test_parent_resolvers_answer_as_on_the_ordinary_path(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = Compiler(SCHEMA).compile(parse(DOCUMENT), None)
    resolved: list[str] = []
    through_run = Run.resolve

    def counting(run: Run, f: Any, source: Any) -> Any:
        resolved.append(f.name)
        return through_run(run, f, source)

    monkeypatch.setattr(Run, "resolve", counting)
    compiled = asyncio.run(plan.execute(None, plan.variables({})))
    ordinary = SCHEMA.execute_sync(DOCUMENT)
    assert ordinary.errors is None
    assert (
        compiled
        == ordinary.data
        == {"things": [{"double": 2, "plus": 11}, {"double": 10, "plus": 15}]}
    )
    # double (its parent alone) is called directly; plus needs its argument, once per thing
    assert resolved == ["plus", "plus"]


def test_arguments_from_variables_are_each_requests_own() -> None:
    """Arguments written out are converted once for every request; one from a variable is
    converted for each request, from its own variables."""
    plan = Compiler(SCHEMA).compile(parse("query($by: Int!) { things { plus(by: $by) } }"), None)
    answers = [asyncio.run(plan.execute(None, plan.variables({"by": by}))) for by in (1, 100, 1)]
    assert [a["things"][0]["plus"] for a in answers] == [2, 101, 2]
    written = Compiler(SCHEMA).compile(parse(DOCUMENT), None)
    for _ in range(2):
        answer = asyncio.run(written.execute(None, written.variables({})))
        assert answer == {"things": [{"double": 2, "plus": 11}, {"double": 10, "plus": 15}]}
