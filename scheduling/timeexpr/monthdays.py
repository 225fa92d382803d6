"""Weekdays counted within a month: "the first Tuesday of March", "the last Friday of the
month", "the third Thursday of next month". Holidays that move (Thanksgiving, Labor Day)
are counted the same way.

Future first, like every other day: a named month that has passed (or whose counted day
has) is next year's; "of the month" whose counted day has passed is next month's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .dates import add_months
from .grammar import MONTH, WEEKDAY, Context, Day, Pattern, Value, month, pattern, weekday
from .numbers import ordinal

_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_NTH_WORD = r"(?:first|second|third|fourth|fifth|last|[1-5]\s?(?:st|nd|rd|th))"


def nth_weekday(year: int, month_no: int, wd: int, nth: int) -> date | None:
    """The ``nth`` (1-5, or -1 for the last) such weekday of the month; None if it has none."""
    if nth < 0:
        year_after, month_after = add_months(year, month_no, 1)
        last = date(year_after, month_after, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - wd) % 7)
    first = date(year, month_no, 1)
    found = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
    return found if found.month == month_no else None


def _nth(word: str) -> int:
    lowered = word.lower()
    return _NTH[lowered] if lowered in _NTH else ordinal(lowered)


def _of_month(match: re.Match[str], ctx: Context) -> Value | None:
    nth, wd, today = _nth(match["nth"]), weekday(match["wd"]), ctx.today
    which = (match["which"] or "").lower()
    if match["mon"]:
        month_no = month(match["mon"])
        starts = [(today.year + k, month_no) for k in range(3)]
    else:
        ahead = 1 if which in ("next", "the following") else 0
        starts = [add_months(today.year, today.month, ahead + k) for k in range(3)]
        if ahead:
            starts = starts[:1]
    for year, month_no in starts:
        found = nth_weekday(year, month_no, wd, nth)
        if found is not None and found >= today:
            return Day(found)
    return None


PATTERNS: list[Pattern] = [
    (pattern(rf"\b(?:the\s+)?(?P<nth>{_NTH_WORD})\s+(?P<wd>{WEEKDAY})\s+(?:of|in)\s+(?:"
             rf"(?P<mon>{MONTH})|(?:(?P<which>this|next|the\s+following|the)\s+)?month\b)"),
     _of_month),
]
