"""Cell parsers: every form admins type, and nothing but InvalidCell on bad input."""

from __future__ import annotations

import contextlib
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.cells import (
    check_division_code,
    check_uscc,
    clean_text,
    parse_bool,
    parse_choice,
    parse_date,
    parse_float,
    parse_int,
    parse_string,
    parse_strings,
    parser_for,
)
from loaders.errors import InvalidCell
from loaders.kinds import LOAD_KINDS
from schema.codes import uscc_with_check


@pytest.mark.parametrize(
    "raw",
    [
        "2023-05-01", "2023/5/1", "2023.5.1", "2023年5月1日", "2023年05月01日",
        "２０２３年５月１日",
        " 2023 / 5 / 1 ", "2023/5/1 0:00", "2023-05-01T00:00:00", "20230501",
        45047, 45047.0, "45047", datetime(2023, 5, 1, 8, 30), date(2023, 5, 1),
    ],
)  # fmt: skip
def test_every_date_form(raw: object) -> None:
    assert parse_date(raw) == "2023-05-01"


@pytest.mark.parametrize("raw", ["2023-02-30", "5/1/2023", "明天", "2023年13月1日", 0, -3])
def test_bad_dates_say_what_forms_work(raw: object) -> None:
    with pytest.raises(InvalidCell) as e:
        parse_date(raw)
    assert e.value.code == "not_date"
    assert e.value.zh == f"“{raw}”不是日期（如 2023-05-01、2023/5/1、2023年5月1日）"


def test_full_width_and_stray_spaces_are_normalised() -> None:
    assert clean_text("  ＡＢＣ　１２３  ") == "ABC 123"
    assert clean_text("黎阳\u3000 社区") == "黎阳 社区"
    assert parse_int("１，２３４") == 1234
    assert parse_int(" 7.0 ") == 7
    assert parse_int(12.0) == 12
    assert parse_float("３.５") == 3.5
    assert parse_string(410611001001.0) == "410611001001"
    assert clean_text("   ") is None


def test_numbers_bools_lists_and_choices() -> None:
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool("Y") is True
    assert parse_strings("文明实践、志愿服务，海棠书巷; 红领巾") == [
        "文明实践", "志愿服务", "海棠书巷", "红领巾",
    ]  # fmt: skip
    assert parse_strings(["a", " b "]) == ["a", "b"]
    assert parse_choice("高校", ("government", "university")) == "university"
    assert parse_choice("University", ("government", "university")) == "university"
    with pytest.raises(InvalidCell) as e:
        parse_choice("学校", ("government", "university"))
    assert e.value.en == "'学校' is not one of: government (行政机关), university (高校)"
    with pytest.raises(InvalidCell, match="not a whole number"):
        parse_int("12a")
    with pytest.raises(InvalidCell, match="yes/no"):
        parse_bool("maybe")


def test_uscc_check_character_is_verified() -> None:
    good = uscc_with_check("91410611MA44ABCD1")
    assert check_uscc(good.lower()) == good
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(InvalidCell) as e:
        check_uscc(bad)
    assert e.value.code == "bad_uscc"
    assert e.value.en == (
        f"unified social credit code '{bad}' is invalid: the check character should be "
        f"'{good[17]}', not '{bad[17]}'"
    )
    with pytest.raises(InvalidCell, match="17 characters, not 18"):
        check_uscc(good[:17])
    with pytest.raises(InvalidCell, match="other than I, O, Z, S, V"):
        check_uscc("O" + good[1:])


def test_division_codes() -> None:
    assert check_division_code("410611001001", (12,)) == "410611001001"
    with pytest.raises(InvalidCell) as e:
        check_division_code("41061100100", (12,))
    assert e.value.zh == "区划代码“41061100100”应为12位数字"


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet="0123456789０１２３年月日/-.: 、，,", max_size=20),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)

_PARSERS = [parse_string, parse_int, parse_float, parse_bool, parse_date, parse_strings]
_PARSERS += [
    parser_for(c.prop, c.division_lengths)
    for k in LOAD_KINDS.values()
    for c in k.columns
    if c.prop is not None
]


@settings(max_examples=300, deadline=None)
@given(cell=cells, which=st.integers(min_value=0, max_value=len(_PARSERS) - 1))
def test_parsers_raise_only_invalid_cell(cell: object, which: int) -> None:
    with contextlib.suppress(InvalidCell):  # anything else fails the test
        _PARSERS[which](cell)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=25))
def test_code_validators_raise_only_invalid_cell(text: str) -> None:
    for check in (check_uscc, check_division_code):
        with contextlib.suppress(InvalidCell):
            check(text)


def _clean_text_slowly(text: str) -> str | None:
    """clean_text's documented rule, spelled out: NFKC, whitespace runs folded, trimmed."""
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return folded or None


@given(
    text=st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127), max_size=30),  # the fast path
        st.text(max_size=30),
    )
)
def test_clean_text_fast_path_agrees_with_the_rule(text: str) -> None:
    assert clean_text(text) == _clean_text_slowly(text)


def test_clean_text_keeps_the_length_limit_on_the_fast_path() -> None:
    with pytest.raises(InvalidCell) as e:
        clean_text("A" * 2001)
    assert e.value.code == "too_long"
    assert clean_text("A" * 2000) == "A" * 2000


def test_lists_split_on_the_separators_offices_use_but_not_on_a_bar() -> None:
    from loaders.cells import parse_strings

    assert parse_strings("文明实践、志愿服务，海棠书巷,光影小巷；四点半课堂;邻里节") == [
        "文明实践", "志愿服务", "海棠书巷", "光影小巷", "四点半课堂", "邻里节"]  # fmt: skip
    assert parse_strings("A|B 项目、C") == ["A|B 项目", "C"]


def test_open_ends_and_spaced_credit_codes() -> None:
    from loaders.cells import check_uscc, parse_end_date

    for text in ("长期", "长期有效", "至今", "无固定期限", "-", "—", "——", " 长期 "):
        assert parse_end_date(text) is None
    assert parse_end_date("2025年4月30日") == "2025-04-30"
    code = "91410611MA44ABCD1"
    from schema.codes import uscc_with_check

    full = uscc_with_check(code)
    assert check_uscc(" ".join([full[:4], full[4:8], full[8:12], full[12:]])) == full
    assert check_uscc(full[:6] + "-" + full[6:]) == full
