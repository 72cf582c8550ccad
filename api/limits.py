"""Bounds on what one request may ask, from :class:`graph.settings.Settings`.

The query text's size is bounded before it is read whole (:mod:`api.gate`); tokens by
strawberry's MaxTokensLimiter while parsing; depth, aliases and cost by :class:`QueryBounds`
(:mod:`api.query_cost`, which measures each fragment once) before validation and execution;
page sizes by the resolvers; time by :mod:`api.execution`. Every refusal is a GraphQL error
that says which limit was hit and how to stay within it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension, ValidationCache

from api.query_cost import measure
from graph.bulk import gc_paused
from graph.errors import GridGraphError
from graph.settings import Settings

DEFAULT_FIRST = 100  # what a list returns without `first`: lists' DEFAULT_PAGE, NESTED_PAGE


class LimitExceeded(GridGraphError):
    """A request asked for more than the configured bounds allow."""


def check_page_size(first: int, settings: Settings, name: str = "first") -> int:
    """``first`` itself when within ``0..max_page_size``; a clear error otherwise."""
    if first < 0:
        raise LimitExceeded(f"{name} must not be negative")
    if first > settings.max_page_size:
        raise LimitExceeded(
            f"{name} is {first}, above the maximum page size of {settings.max_page_size}; "
            "page with `after`"
        )
    return first


class QueryBounds(SchemaExtension):
    """Refuses an operation that is too deep, has too many aliases or costs too much, before
    it is validated or run; the measure visits each fragment once (:mod:`api.query_cost`)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.whole = False

    def on_execute(self) -> Iterator[None]:
        """A whole-graph report (the gaps, every agreement expiring, the network) runs with the
        collector paused, as every whole-graph answer is computed (:func:`graph.bulk.gc_paused`):
        its answer is tens of thousands of objects alive at once, which would otherwise set off
        full collections. What is alive when the pause ends is frozen in a serving process, the
        answer among it (freed by reference counting once sent), so that the first collection
        after the pause does not walk it either."""
        if self.whole:
            with gc_paused():
                yield
        else:
            yield

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        document = ec.graphql_document
        if document is not None:
            limits = self.settings
            page = min(DEFAULT_FIRST, limits.max_page_size)
            m = measure(ec.schema._schema, document, ec.operation_name, ec.variables, page)
            self.whole = m.whole
            problem = None
            if m.depth > limits.max_query_depth:
                problem = (
                    f"the query is {m.depth} levels deep: it exceeds maximum operation depth "
                    f"of {limits.max_query_depth}"
                )
            elif m.aliases > limits.max_aliases:
                problem = (
                    f"{m.aliases} aliases found, more than the maximum of {limits.max_aliases}"
                )
            elif m.cost > limits.max_query_cost:
                problem = (
                    f"the query may produce {m.cost:,.0f} values, above the maximum cost of "
                    f"{limits.max_query_cost:,}: give nested lists a smaller `first`, or ask "
                    "for fewer fields (查询代价超限)"
                )
            if problem is not None:
                raise GraphQLError(problem, extensions={"code": "QUERY_TOO_LARGE"})
        yield


def extensions_for(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Extension factories: the token limit, the caches, then depth, alias and cost bounds."""
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: QueryBounds(settings),
        lambda: ValidationCache(maxsize=512),
    ]
