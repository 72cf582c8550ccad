"""Days as people type them: the one parser behind the API's Date scalar and CLI options."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.dates import BadDay, parse_day


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_every_form_reads_back_the_same_day(day: date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"  {day.isoformat()} ",
    ):
        assert parse_day(text) == day


@given(st.text(max_size=20))
def test_anything_else_is_an_error_naming_the_forms(text: str) -> None:
    try:
        parsed = parse_day(text)
    except BadDay as e:
        message = str(e)
        assert repr(text) in message and "YYYY-MM-DD" in message and "不是日期" in message
    else:
        assert isinstance(parsed, date)


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "2024-7-1", "2024.07.01", "soon", ""])
def test_impossible_or_unknown_days(text: str) -> None:
    with pytest.raises(BadDay, match="2024年7月1日"):
        parse_day(text)
