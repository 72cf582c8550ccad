"""Bounds on what one request may ask, from :class:`graph.settings.Settings`.

Depth, aliases and tokens are refused by strawberry's limiters (the rules of QueryDepthLimiter
and MaxAliasesLimiter, and MaxTokensLimiter) before anything runs; page sizes are checked by
the resolvers. Every refusal is a GraphQL error that says
which limit was hit and how to stay within it.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql.validation import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

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


def extensions_for(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Extension factories: the token limit, the caches, then depth and alias limits.

    The depth and alias rules are built once and shared by every request: the validation
    cache is keyed by the rule classes, so rules rebuilt per request would never hit it.
    """
    rules: list[type[ASTValidationRule]] = [
        depth_rule(settings.max_query_depth, None, None),
        alias_rule(settings.max_aliases),
    ]
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: AddValidationRules(rules),
    ]
