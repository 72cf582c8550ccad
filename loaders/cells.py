"""Cell parsers: turn what admins type into spreadsheets into the ontology's value types.

Every parser takes a raw cell (str, int, float, bool, date, datetime or None), returns a clean
value (``None`` for an empty cell) and raises only :class:`~loaders.errors.InvalidCell`.
Text is normalised with NFKC, which folds full-width digits and letters (２０２３, ＡＢＣ) and
odd spaces into their ordinary forms; that is right for codes, numbers and dates, and harmless
for Chinese names (CJK ideographs are left alone).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from loaders.errors import InvalidCell
from schema.codes import CodeError, uscc_check_char, validate_division_code, validate_uscc
from schema.ontology import Prop, PropType
from schema.vocab import CHOICE_ZH

MAX_TEXT = 2000
_SPACES = re.compile(r"\s+")
# printable ASCII words joined by single spaces: NFKC, trimming and folding leave it as it is
_PLAIN = re.compile(r"[!-~]+(?: [!-~]+)*")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug folded in)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_SUFFIX = re.compile(r"[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_TRUE = {"是", "1", "true", "yes", "y", "t", "√", "✓", "对", "有"}
_FALSE = {"否", "0", "false", "no", "n", "f", "×", "✗", "无", "不是"}
# the separators offices type between list items; never ``|`` (it is part of some names)
_LIST_SPLIT = re.compile(r"\s*[、,，;；\n]\s*")
# an end date that is not a date: the link holds until further notice
OPEN_ENDS = frozenset({"长期", "长期有效", "至今", "无固定期限", "永久", "永久有效", "-", "--",
                       "—", "——", "–", "~", "/", "不限"})  # fmt: skip
# what an admin types to clear a value on purpose (an empty cell never erases anything)
CLEAR_MARKERS = frozenset({"<清空>", "<clear>", "#清空", "#clear"})


class _Cleared:
    """The value of a cell that asks for the stored value to be removed."""

    def __repr__(self) -> str:
        return "CLEARED"


CLEARED: Any = _Cleared()


def clean_text(raw: Any) -> str | None:
    """NFKC, trimmed, inner runs of whitespace folded to one space; ``None`` when empty."""
    if raw is None:
        return None
    if raw.__class__ is str and _PLAIN.fullmatch(raw) and len(raw) <= MAX_TEXT:
        return raw  # already clean, as most cells of a machine-written file are
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel hands whole numbers over as floats: 7.0 is the code "7"
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(raw))).strip()
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise InvalidCell("too_long", limit=MAX_TEXT)
    return text


def parse_string(raw: Any) -> str | None:
    if isinstance(raw, (list, tuple)):
        raise InvalidCell("bad_value", value=_show(raw))
    return clean_text(raw)


def parse_int(raw: Any) -> int | None:
    if isinstance(raw, bool):
        raise InvalidCell("not_int", value=_show(raw))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if math.isfinite(raw) and raw.is_integer():
            return int(raw)
        raise InvalidCell("not_int", value=_show(raw))
    text = _scalar_text(raw)
    if text is None:
        return None
    digits = text.replace(",", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,18}", digits):
        return int(digits)
    if re.fullmatch(r"[+-]?\d{1,18}\.0+", digits):
        return int(digits.split(".")[0])
    raise InvalidCell("not_int", value=text)


def parse_float(raw: Any) -> float | None:
    if isinstance(raw, bool):
        raise InvalidCell("not_float", value=_show(raw))
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = _scalar_text(raw)
        if text is None:
            return None
        digits = text.replace(",", "").replace(" ", "")
        if not re.fullmatch(r"[+-]?(\d{1,18}(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", digits):
            raise InvalidCell("not_float", value=text)
        value = float(digits)
    if not math.isfinite(value):
        raise InvalidCell("not_float", value=_show(raw))
    return value


def parse_bool(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    text = _scalar_text(raw)
    if text is None:
        return None
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise InvalidCell("not_bool", value=text)


def parse_date(raw: Any) -> str | None:
    """An ISO date string from any of the forms admins use, or from an Excel serial number."""
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, bool):
        raise InvalidCell("not_date", value=_show(raw))
    if isinstance(raw, (int, float)):
        return _from_serial(raw)
    text = _scalar_text(raw)
    if text is None:
        return None
    body = _TIME_SUFFIX.sub("", text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(body)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                raise InvalidCell("not_date", value=text) from None
    if re.fullmatch(r"\d{1,7}(\.\d+)?", body):
        return _from_serial(float(body), text)
    raise InvalidCell("not_date", value=text)


def parse_end_date(raw: Any) -> str | None:
    """A last day, or ``None`` (open) for 长期, 长期有效, 至今, 无固定期限 or a dash."""
    if isinstance(raw, str) and "".join(unicodedata.normalize("NFKC", raw).split()) in OPEN_ENDS:
        return None
    return parse_date(raw)


def clearable(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``parse``, except that a clear marker (<清空>) gives :data:`CLEARED`."""

    def parse_or_clear(raw: Any) -> Any:
        if raw.__class__ is str and raw.strip().lower() in CLEAR_MARKERS:
            return CLEARED
        return parse(raw)

    return parse_or_clear


def _from_serial(serial: float, shown: str | None = None) -> str:
    """Excel stores dates as days since 1899-12-30; accept 1900-01-01 .. 9999-12-31."""
    if not math.isfinite(serial) or not 1 <= serial < 2958466:
        raise InvalidCell("not_date", value=shown or _show(serial))
    return (_EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()


def parse_strings(raw: Any) -> list[str] | None:
    """A list from a JSON list or from text separated by 、 , ， ; ； | or new lines."""
    if isinstance(raw, (list, tuple)):
        items = [clean_text(x) for x in raw if not isinstance(x, (list, tuple, dict))]
        if len(items) != len(raw):
            raise InvalidCell("bad_value", value=_show(raw))
    else:
        if raw is not None and not isinstance(raw, str):
            raw = clean_text(raw)
        if raw is None or not str(raw).strip():
            return None
        items = [clean_text(x) for x in _LIST_SPLIT.split(unicodedata.normalize("NFKC", raw))]
    values = [x for x in items if x]
    return values or None


def parse_choice(raw: Any, choices: tuple[str, ...]) -> str | None:
    """A vocabulary value, given as the English value or one of its Chinese labels."""
    text = _scalar_text(raw)
    if text is None:
        return None
    low = text.lower().replace(" ", "_").replace("-", "_")
    if low in choices:
        return low
    for value in choices:
        if text in CHOICE_ZH.get(value, ()):
            return value
    raise InvalidCell("bad_choice", value=text, choices=choice_labels(choices))


def choice_labels(choices: tuple[str, ...]) -> str:
    """``value (中文)`` for each choice, as shown in messages, templates and docs."""
    return ", ".join(f"{v} ({CHOICE_ZH[v][0]})" if v in CHOICE_ZH else v for v in choices)


def check_uscc(value: str) -> str:
    """The GB 32100-2015 check, with the reason told in both languages.

    Spaces and dashes are dropped first: offices type the 18 characters in groups."""
    code = re.sub(r"[\s\-]", "", value).upper()
    if len(code) != 18:
        raise InvalidCell("bad_uscc", value=value, detail_zh=f"应为18位，实为{len(code)}位",
                          detail_en=f"it has {len(code)} characters, not 18")  # fmt: skip
    try:
        expected = uscc_check_char(code[:17])
    except CodeError:
        raise InvalidCell(
            "bad_uscc",
            value=value,
            detail_zh="只能含数字和除 I、O、Z、S、V 外的大写字母",
            detail_en="only digits and capitals other than I, O, Z, S, V are allowed",
        ) from None
    if code[17] != expected:
        raise InvalidCell(
            "bad_uscc",
            value=value,
            detail_zh=f"校验码应为“{expected}”，实为“{code[17]}”",
            detail_en=f"the check character should be '{expected}', not '{code[17]}'",
        )
    return validate_uscc(code)


def check_division_code(value: str, lengths: tuple[int, ...] = (6, 9, 12)) -> str:
    try:
        return validate_division_code(value, lengths)
    except CodeError:
        shown = "或".join(map(str, lengths))
        raise InvalidCell("bad_division_code", value=value, lengths=shown) from None


def _scalar_text(raw: Any) -> str | None:
    if isinstance(raw, (list, tuple, dict)):
        raise InvalidCell("bad_value", value=_show(raw))
    return clean_text(raw)


def _show(raw: Any) -> str:
    text = str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


_BY_TYPE: dict[PropType, Callable[[Any], Any]] = {
    PropType.STRING: parse_string,
    PropType.INT: parse_int,
    PropType.FLOAT: parse_float,
    PropType.BOOL: parse_bool,
    PropType.DATE: parse_date,
    PropType.STRINGS: parse_strings,
}

# Identifier checks, by property name; division codes get their length from the grid level.
_USCC_PROPS = frozenset({"uscc"})
_DIVISION_PROPS = {"division_code": (6, 9, 12), "community_code": (12,)}


def parser_for(prop: Prop, division_lengths: tuple[int, ...] | None = None) -> Callable[[Any], Any]:
    """The parser for one property: its type, its vocabulary and its identifier standard."""
    if prop.choices:
        choices = prop.choices
        if prop.type == PropType.STRINGS:

            def parse_choices(raw: Any) -> list[str] | None:
                items = parse_strings(raw)
                return [parse_choice(x, choices) or x for x in items] if items else None

            return parse_choices
        return lambda raw: parse_choice(raw, choices)
    base = _BY_TYPE[prop.type]
    if prop.type == PropType.DATE and prop.name == "valid_to":
        return parse_end_date
    if prop.name in _USCC_PROPS:
        return lambda raw: _then(base(raw), lambda v: check_uscc(v.upper()))
    if prop.name in _DIVISION_PROPS:
        lengths = division_lengths or _DIVISION_PROPS[prop.name]
        return lambda raw: _then(base(raw), lambda v: check_division_code(v, lengths))
    return base


def _then(value: Any, check: Callable[[Any], Any]) -> Any:
    return None if value is None else check(value)
