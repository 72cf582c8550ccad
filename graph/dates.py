"""Days as people type them (2024-07-01, 2024/7/1, 2024年7月1日), read the same way by the
API's ``Date`` scalar and every CLI date option; a bad one is an error in Chinese and English
that names the forms accepted.

>>> parse_day("2024/7/1"), parse_day("2024年7月1日"), parse_day(" 2024-07-01 ")
(datetime.date(2024, 7, 1), datetime.date(2024, 7, 1), datetime.date(2024, 7, 1))
"""

from __future__ import annotations

import re
from datetime import date

from graph.errors import GridGraphError

FORMS = "YYYY-MM-DD, YYYY/M/D or YYYY年M月D日 (e.g. 2024-07-01, 2024/7/1, 2024年7月1日)"
FORMS_ZH = "YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日（如 2024-07-01、2024/7/1、2024年7月1日）"
_DAY = re.compile(r"(\d{4})(?:-(\d{2})-(\d{2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)")


class BadDay(GridGraphError, ValueError):
    """Text that is not a day in one of :data:`FORMS`."""


def parse_day(text: str) -> date:
    """The day ``text`` names; :class:`BadDay` (a ValueError) naming the accepted forms."""
    match = _DAY.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is not None:
        year, *parts = match.groups()
        month, day = [int(p) for p in parts if p is not None]
        try:
            return date(int(year), month, day)
        except ValueError:
            pass
    raise BadDay(f"{text!r} is not a date: give {FORMS} ({text!r} 不是日期：请写成 {FORMS_ZH})")
