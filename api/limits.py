"""Bounds on what one request may ask, from :class:`graph.settings.Settings`.

Depth, aliases and tokens are refused by strawberry's validation extensions before anything
runs; page sizes are checked by the resolvers. Every refusal is a GraphQL error that says
which limit was hit and how to stay within it.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from graph.errors import GridGraphError
from graph.settings import Settings


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


def extensions_for(settings: Settings) -> list[Any]:
    """Limits first, then the caches that spare re-parsing and re-validating known queries."""
    return [
        MaxTokensLimiter(max_token_count=settings.max_tokens),
        ParserCache(maxsize=512),
        ValidationCache(maxsize=512),
        QueryDepthLimiter(max_depth=settings.max_query_depth),
        MaxAliasesLimiter(max_alias_count=settings.max_aliases),
    ]
