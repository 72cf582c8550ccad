"""The API's ``Date`` scalar: ISO days out; in, every form :func:`graph.dates.parse_day`
reads, and a bad value is a GraphQL error naming the accepted forms in Chinese and English."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from graph.dates import FORMS, parse_day


def _parse(value: Any) -> date:
    if isinstance(value, date):
        return value
    return parse_day(value if isinstance(value, str) else repr(value))


DateScalar = strawberry.scalar(
    name="Date",
    description=f"A day: {FORMS}; answers give YYYY-MM-DD (日期)",
    serialize=lambda d: d.isoformat(),
    parse_value=_parse,
)
