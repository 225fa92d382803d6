"""Holidays by name: "Christmas Eve", "New Year's Day", "Thanksgiving", "Easter Monday",
and "the day before/after" one. Always the next occurrence (today counts).

Dates that differ by country follow the business's zone only where the name is shared
(Mother's Day: the UK's Mothering Sunday for Europe/London and Dublin, else the US date);
Thanksgiving, Memorial Day and Labor Day are the US ones. A greeting ("merry Christmas",
"happy Easter") is not a day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .grammar import Context, Day, Pattern, Value, pattern
from .monthdays import nth_weekday

_UK_ZONES = ("Europe/London", "Europe/Dublin", "Europe/Belfast")


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month_no = (h + l_ - 7 * m + 90) // 25
    return date(year, month_no, (h + l_ - 7 * m + 33 * month_no + 19) % 32)


def _fixed(month_no: int, day: int) -> Callable[[int, str], date]:
    return lambda year, _zone: date(year, month_no, day)


def _nth(month_no: int, wd: int, nth: int) -> Callable[[int, str], date]:
    def on(year: int, _zone: str) -> date:
        found = nth_weekday(year, month_no, wd, nth)
        assert found is not None  # every month has a first to fourth and a last weekday
        return found
    return on


def _mothers_day(year: int, zone: str) -> date:
    if zone in _UK_ZONES:
        return easter(year) - timedelta(days=21)
    return _nth(5, 6, 2)(year, zone)


_EVE = r"(?:eve|evening)"
_S = r"['’]?s?['’]?"  # "new year's", "new years", "mothers'"
# Order matters: the first name that matches wins, so "Easter Monday" comes before "Easter".
HOLIDAYS: dict[str, Callable[[int, str], date]] = {
    rf"(?:christmas|xmas|x-mas)\s+{_EVE}": _fixed(12, 24),
    r"(?:christmas|xmas|x-mas)(?:\s+day)?": _fixed(12, 25),
    r"boxing\s+day": _fixed(12, 26),
    rf"new\s+year{_S}\s+{_EVE}|nye": _fixed(12, 31),
    r"new\s+year['’]?s(?:\s+day)?|new\s+year\s+day": _fixed(1, 1),
    rf"valentine{_S}(?:\s+day)?": _fixed(2, 14),
    rf"(?:st\.?|saint)\s+patrick{_S}(?:\s+day)?|paddy{_S}\s+day": _fixed(3, 17),
    r"halloween": _fixed(10, 31),
    r"independence\s+day|(?:the\s+)?fourth\s+of\s+july": _fixed(7, 4),
    r"thanksgiving(?:\s+day)?": _nth(11, 3, 4),
    r"memorial\s+day": _nth(5, 0, -1),
    r"labou?r\s+day": _nth(9, 0, 1),
    rf"father{_S}\s+day": _nth(6, 6, 3),
    rf"mother{_S}\s+day|mothering\s+sunday": _mothers_day,
    r"easter\s+monday": lambda year, _zone: easter(year) + timedelta(days=1),
    r"easter\s+saturday|holy\s+saturday": lambda year, _zone: easter(year) - timedelta(days=1),
    r"good\s+friday": lambda year, _zone: easter(year) - timedelta(days=2),
    r"easter(?:\s+sunday|\s+day)?": lambda year, _zone: easter(year),
}
_NAMES = [(re.compile(rf"(?:{name})$", re.IGNORECASE), when) for name, when in HOLIDAYS.items()]
_ANY = "|".join(HOLIDAYS)


def _holiday(match: re.Match[str], ctx: Context) -> Value | None:
    name = " ".join(match["name"].split())
    when = next(rule for regex, rule in _NAMES if regex.match(name))
    zone = str(ctx.tz)
    found = next(d for d in (when(ctx.today.year + k, zone) for k in range(2)) if d >= ctx.today)
    shift = {"before": -1, "after": 1}.get((match["rel"] or "").lower(), 0)
    return Day(found + timedelta(days=shift))


PATTERNS: list[Pattern] = [
    (pattern(rf"(?<!merry\s)(?<!happy\s)\b(?:the\s+day\s+(?P<rel>before|after)\s+)?"
             rf"(?P<name>{_ANY})\b(?!\s+(?:party|parties|card|cards|present|presents|gift"
             r"|gifts|tree|dinner|do)\b)"), _holiday),
]
