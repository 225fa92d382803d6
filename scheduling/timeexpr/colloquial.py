"""Times as people say them rather than write them: "half 3" (3:30), "3ish", "first
thing", "end of the day", "after work".

"first thing" and "end of the day" follow the business's opening hours (opening time, and
the last hour before closing); "after work" is a part of the day (``DayParts.after_work``).
"""

from __future__ import annotations

import re
from datetime import timedelta

from .clock import hour_of
from .grammar import (
    MERIDIEM,
    WEEKDAY,
    Clock,
    Context,
    Moment,
    Part,
    Pattern,
    Value,
    meridiem,
    pattern,
)
from .model import Grain
from .numbers import HOUR_WORD, MINUTE_WORD, NUMBER_WORD, number

_HOUR = rf"(?P<h>1[0-2]|0?[1-9]|{HOUR_WORD})"


def _half(match: re.Match[str], _: Context) -> Value | None:
    """British "half 3" is half past three (am/pm from context, like a bare "3:30")."""
    hour, _fixed = hour_of(match["h"], None)
    return Clock(hour, 30, False)


def _ish(match: re.Match[str], _: Context) -> Value | None:
    """"3ish", "4-ish", "ten ish": the hour itself, said as a time (never a bare number)."""
    hour, fixed = hour_of(match["h"], None)
    return Clock(hour, int(match["m"] or 0), fixed)


def _hundred(match: re.Match[str], _: Context) -> Value | None:
    """"seven hundred and forty five pm", "fourteen hundred hours": military style."""
    said = match["m"] or match["hrs"] or meridiem(match) \
        or match.string[:match.start()].rstrip().lower().endswith(" at")
    if not said:
        return None  # "two hundred people"
    hour, fixed = hour_of(match["h"], meridiem(match))
    minute = number(match["m"]) if match["m"] else 0
    return Clock(hour, minute, fixed) if hour < 24 and minute < 60 else None


def _first_thing(_match: re.Match[str], ctx: Context) -> Value | None:
    return Clock(ctx.hours.open.hour, ctx.hours.open.minute, True)


def _end_of_day(_match: re.Match[str], ctx: Context) -> Value | None:
    closing = ctx.hours.close.hour * 60 + ctx.hours.close.minute
    last = max(closing - 60, ctx.hours.open.hour * 60 + ctx.hours.open.minute)
    return Clock(last // 60, last % 60, True)


def _same_time(_match: re.Match[str], ctx: Context) -> Value | None:
    """"this time tomorrow", "same time on Friday": the clock time it is now."""
    return Clock(ctx.now.hour, ctx.now.minute, True)


def _same_time_next_week(_match: re.Match[str], ctx: Context) -> Value | None:
    return Moment(ctx.now + timedelta(days=7), Grain.MINUTE)


def _after_work(_match: re.Match[str], _: Context) -> Value | None:
    return Part("after_work")


PATTERNS: list[Pattern] = [
    (pattern(rf"\bhalf\s+{_HOUR}\b(?!\s*(?:an?\b|hours?|hrs?|days?|of\b|the\b|price|off))"),
     _half),
    (pattern(rf"\b{_HOUR}(?::(?P<m>[0-5]\d))?\s*-?\s*ish\b"), _ish),
    (pattern(rf"\b(?P<h>{NUMBER_WORD})\s+hundred(?:\s+(?:and\s+)?(?P<m>{MINUTE_WORD}))?"
             rf"(?P<hrs>\s+hours)?(?:\s*{MERIDIEM})?"), _hundred),
    (pattern(r"\bfirst\s+thing(?:\s+in\s+the\s+morning)?\b"), _first_thing),
    (pattern(r"\b(?:(?:at\s+)?the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:day|business)\b(?!\s*,)"
             r"|\beod\b"), _end_of_day),
    (pattern(r"\b(?:after|when\s+i\s+finish)\s+work\b"), _after_work),
    (pattern(r"\b(?:(?:at\s+)?(?:this|the\s+same|same)\s+time)\s+next\s+week\b"),
     _same_time_next_week),
    (pattern(rf"\b(?:at\s+)?(?:this|the\s+same|same)\s+time(?=\s+(?:on\s+)?(?:tomorrow|tmrw"
             rf"|{WEEKDAY}))"), _same_time),
]
