"""Runs of days in one month: "10 - 22 August", "August 10 to 22, 2012", "the 3rd to
the 5th of May", "eighth to eleventh May". Two whole days joined by a range word
("Monday to Friday", "10 Aug - 12 Sep") are joined in ``scan``.
"""

from __future__ import annotations

import re
from datetime import timedelta

from .dates import DAY_NO, TIME_AHEAD, YEAR, next_date, valid
from .grammar import MONTH, Context, Day, Pattern, Value, month, pattern
from .numbers import ordinal

_TO = r"\s*(?:-|–|—|to|till|til|until|through|thru)\s*(?:the\s+)?"
_FIRST = DAY_NO.replace("(?P<d>", "(?P<d1>")


def _run(match: re.Match[str], ctx: Context) -> Value | None:
    month_no, year = month(match["mon"]), match["y"]
    first_day, last_day = ordinal(match["d1"]), ordinal(match["d"])
    if year:
        first = valid(int(year), month_no, first_day)
    else:
        first = next_date(ctx.today - timedelta(days=last_day - first_day), month_no, first_day)
    last = valid(first.year, month_no, last_day) if first else None
    if first is None or last is None or last < first:
        return None
    return Day(first, last + timedelta(days=1))


PATTERNS: list[Pattern] = [
    (pattern(rf"\b(?:from\s+)?(?:the\s+)?{_FIRST}{_TO}{DAY_NO}\s*(?:of\s+)?(?P<mon>{MONTH}){YEAR}"),
     _run),
    (pattern(rf"\b(?P<mon>{MONTH})\s*(?:the\s+)?{_FIRST}{_TO}{DAY_NO}{TIME_AHEAD}{YEAR}"), _run),
]
