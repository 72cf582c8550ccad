"""Real identifiers: the unified social credit code (GB 32100-2015) and division codes (GB/T 2260).

Loaders verify these; the reference-graph generator uses :func:`uscc_with_check` so that even
synthetic codes pass the same check as real ones.
"""

from __future__ import annotations

import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_BODY = re.compile(rf"^[{USCC_CHARSET}]{{17}}$")

QIBIN_DIVISION_CODE = "410611"


class CodeError(ValueError):
    """An identifier that does not follow its standard."""


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    if not _USCC_BODY.match(body):
        raise CodeError(
            f"{body!r} is not 17 characters from the GB 32100 alphabet "
            "(digits and capitals without I, O, Z, S, V)"
        )
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_with_check(body: str) -> str:
    """Append the check character to a 17-character body."""
    return body + uscc_check_char(body)


def validate_uscc(code: str) -> str:
    """Return the normalised code, or raise :class:`CodeError` saying what is wrong."""
    code = code.strip().upper()
    if len(code) != 18:
        raise CodeError(f"a unified social credit code has 18 characters, {code!r} has {len(code)}")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            f"check character of {code} is {code[17]!r}, GB 32100-2015 gives {expected!r}"
        )
    return code


def validate_division_code(code: str, lengths: tuple[int, ...] = (6, 9, 12)) -> str:
    """A GB/T 2260 division code (6 digits) or its statistical extension (9 or 12 digits)."""
    code = code.strip()
    if not code.isdigit() or len(code) not in lengths:
        raise CodeError(
            f"{code!r} is not a division code of {' or '.join(map(str, lengths))} digits"
        )
    return code
