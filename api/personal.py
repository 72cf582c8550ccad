"""Personal data by need: fields the ontology marks ``personal`` are masked for roles that may
not see them, and every unmasked read is logged in the audit trail.

Who may see them: the ``app`` and ``admin`` roles (apps dispatch events to the people who
answer for them). Readers, planners and anonymous callers get the masked form: in a run of
seven or more digits the first three and the last four stay (``139****1234``), other
characters after the first of each word become ``*`` (``张老师`` → ``张**``); values that are
not text become null.
"""

from __future__ import annotations

import re
from typing import Any

from api.identity import Identity, Role

SEE_PERSONAL = Role.APP
_DIGITS = re.compile(r"\d[\d\- ]{5,}\d")
_WORD = re.compile(r"[^\W\d_]+")


def may_see_personal(identity: Identity) -> bool:
    return identity.may(SEE_PERSONAL)


def _mask_digits(match: re.Match[str]) -> str:
    run = match.group(0)
    digits = [i for i, c in enumerate(run) if c.isdigit()]
    if len(digits) < 7:
        return run
    keep = set(digits[:3]) | set(digits[-4:])
    return "".join(c if (i in keep or not c.isdigit()) else "*" for i, c in enumerate(run))


def mask(value: Any) -> Any:
    """The masked form of a personal value."""
    if value is None:
        return None
    if isinstance(value, list):
        return [mask(v) for v in value]
    if not isinstance(value, str):
        return None
    text = _DIGITS.sub(_mask_digits, value)
    return _WORD.sub(lambda m: m.group(0)[0] + "*" * (len(m.group(0)) - 1), text)
