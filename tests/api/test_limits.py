"""Every bound refuses with a clear GraphQL error over real HTTP: never a 500, never a hang."""

from __future__ import annotations

import pytest

from tests.api.conftest import LIMITS, GraphQL


def _nested(depth: int) -> str:
    """A query ``depth`` levels deep through relationship fields."""
    inner = "id"
    for _ in range(depth - 1):
        inner = f"relationships {{ node {{ {inner} }} }}"
    return f'{{ node(id: "community:410611001001") {{ {inner} }} }}'


def test_depth_within_the_limit_runs(gql: GraphQL) -> None:
    assert gql.data(_nested(4))["node"]["relationships"]


def test_too_deep_is_refused(gql: GraphQL) -> None:
    errors = gql.errors(_nested(12))
    assert len(errors) == 1
    assert "exceeds maximum operation depth" in errors[0]


def test_too_many_aliases_is_refused(gql: GraphQL) -> None:
    aliases = " ".join(f'a{i}: node(id: "x") {{ id }}' for i in range(LIMITS.max_aliases + 1))
    errors = gql.errors(f"{{ {aliases} }}")
    assert len(errors) == 1
    assert "aliases found" in errors[0]
    assert "6 aliases" in errors[0] or str(LIMITS.max_aliases) in errors[0]


def test_too_many_tokens_is_refused(gql: GraphQL) -> None:
    fields = " ".join(["id"] * LIMITS.max_tokens)
    errors = gql.errors(f'{{ node(id: "x") {{ {fields} }} }}')
    assert len(errors) == 1
    assert f"more than {LIMITS.max_tokens} tokens" in errors[0]


@pytest.mark.parametrize(
    "query",
    [
        "{ buildings(first: 51) { totalCount } }",
        '{ search(text: "li", first: 51) { id } }',
        "{ buildings(first: -1) { totalCount } }",
    ],
)
def test_page_size_is_capped(gql: GraphQL, query: str) -> None:
    errors = gql.errors(query)
    assert len(errors) == 1
    assert "first" in errors[0]
    assert "50" in errors[0] or "negative" in errors[0]


def test_path_length_is_capped(gql: GraphQL) -> None:
    errors = gql.errors('{ path(from: "a:1", to: "b:2", maxLength: 100) { length } }')
    assert errors == ["maxLength must be between 1 and 12"]


def test_malformed_and_invalid_queries_are_clear_errors(gql: GraphQL) -> None:
    assert "Syntax Error" in gql.errors("{ node(id: ")[0]
    assert "Cannot query field 'nope'" in gql.errors("{ nope }")[0]
    assert gql.errors('{ buildings(after: "%%%") { nodes { id } } }') == ["invalid cursor '%%%'"]


@pytest.mark.parametrize(
    ("query", "whole"),
    [
        ("{ gaps { counts { kind count } } }", True),
        ("{ agreementsExpiring(withinDays: 30) { daysLeft } }", True),
        (
            "query Q { ...F } "
            "fragment F on Query { agreementsExpiring(withinDays: 3) { daysLeft } }",
            True,
        ),
        ('{ search(text: "社区", first: 5) { id } }', False),
        ("{ buildings(first: 5) { nodes { id } } }", False),
    ],
)
def test_a_whole_graph_report_is_told_apart(query: str, whole: bool) -> None:
    """Such a request runs with the collector paused (api.limits.QueryBounds.on_execute)."""
    from graphql import parse

    from api.query_cost import measure
    from api.schema import build_schema

    assert measure(build_schema()._schema, parse(query)).whole is whole


def test_a_whole_graph_report_runs_with_the_collector_paused() -> None:
    import gc

    from api.limits import QueryBounds
    from graph.settings import Settings

    bounds = QueryBounds(Settings())
    for whole in (True, False):
        bounds.whole = whole
        steps = bounds.on_execute()
        next(steps)
        assert gc.isenabled() is not whole
        with pytest.raises(StopIteration):
            next(steps)
        assert gc.isenabled()
