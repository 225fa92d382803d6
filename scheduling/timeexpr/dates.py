"""Days: relative days, weekdays, dates in words and digits, weeks, weekends, months.

Every rule prefers the future: a day of the month or a date without a year that has
passed this month or year means the next one, because nobody books in the past.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .grammar import (
    FULL_MONTH,
    FULL_MONTHS,
    MONTH,
    WEEKDAY,
    Context,
    Day,
    Past,
    Pattern,
    Vague,
    Value,
    month,
    pattern,
)
from .grammar import weekday as weekday_of
from .model import Grain
from .numbers import NUMERIC_ORDINAL, ORDINAL, ORDINAL_WORD, QUANTITY, ordinal, quantity

ROLLED = "a past date was moved to the next one"
_NEXT = r"(?:next|the\s+following)"
_COMING = r"(?:coming|the\s+coming|upcoming|this\s+coming)"


def valid(year: int, month_no: int, day: int) -> date | None:
    try:
        return date(year, month_no, day)
    except ValueError:
        return None


def add_months(year: int, month_no: int, months: int) -> tuple[int, int]:
    index = year * 12 + month_no - 1 + months
    return index // 12, index % 12 + 1


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def coming(today: date, weekday: int) -> date:
    """The next such weekday after today (1 to 7 days ahead)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def next_month_day(today: date, day: int, months_ahead: int = 0) -> date | None:
    """The first day-of-month ``day`` on or after today, starting ``months_ahead`` on."""
    for step in range(months_ahead, months_ahead + 13):
        found = valid(*add_months(today.year, today.month, step), day)
        if found and found >= today:
            return found
    return None


def next_date(today: date, month_no: int, day: int) -> date | None:
    """The next ``month_no``/``day`` on or after today (Feb 29 waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        found = valid(year, month_no, day)
        if found and found >= today:
            return found
    return None


def _dated(today: date, month_no: int, day: int, year: str | None) -> Value | None:
    if year:
        found = valid(int(year) + (2000 if len(year) == 2 else 0), month_no, day)
    else:
        found = next_date(today, month_no, day)
    return Day(found) if found else None


def _relative(match: re.Match[str], ctx: Context) -> Value | None:
    words = match.group().lower()
    offset = 2 if "after" in words else 0 if "today" in words else 1
    return Day(ctx.today + timedelta(days=offset))


def _weekday(match: re.Match[str], ctx: Context) -> Value | None:
    """"Friday", "this/next/coming Friday", "Friday after next", "Friday next week"."""
    wd, today = weekday_of(match["wd"]), ctx.today
    mod, week = (match["mod"] or "").lower(), (match["wk"] or "").lower()
    if week:
        weeks = 2 if match["wan"] else 0 if week in ("this", "the") else 1
        found = week_start(today) + timedelta(days=7 * weeks + wd)
        if found < today:
            return Day(found + timedelta(days=7), weekday_only=True, note=ROLLED)
        return Day(found, weekday_only=True)
    if match["after"]:
        return Day(coming(today, wd) + timedelta(days=7), weekday_only=True)
    if mod.startswith("next") or mod.endswith("following"):
        return Day(week_start(today) + timedelta(days=7 + wd), weekday_only=True)
    this_week = week_start(today) + timedelta(days=wd)
    if mod == "this" and this_week >= today:
        return Day(this_week, weekday_only=True)
    return Day(coming(today, wd), weekday_only=True)


def _base(ref: str, ctx: Context) -> date:
    """The day counted from: now/today, tomorrow, or the coming weekday."""
    if ref in ("now", "today"):
        return ctx.today
    if ref.startswith(("tom", "tm", "2m")):
        return ctx.today + timedelta(days=1)
    return coming(ctx.today, weekday_of(ref))


def _from_day(match: re.Match[str], ctx: Context) -> Value | None:
    """"a week from Tuesday", "3 days from now", "two weeks from tomorrow", "a week today",
    "a fortnight on Friday"."""
    unit = match["unit"].lower()
    per = 14 if unit.startswith("fortnight") else 7 if unit.startswith("week") else 1
    ref = (match["ref"] or match["ref2"]).lower()
    if match["n"] is None and per == 1:
        return None  # "day on Friday" is not a count
    return Day(_base(ref, ctx) + timedelta(days=quantity(match["n"] or "a") * per))


def _day_week(match: re.Match[str], ctx: Context) -> Value | None:
    """British "tomorrow week", "Friday week": that day a week later."""
    return Day(_base(match["ref"].lower(), ctx) + timedelta(days=7))


def _past(_match: re.Match[str], _: Context) -> Value | None:
    return Past()


def _vague(_match: re.Match[str], _: Context) -> Value | None:
    return Vague()


def _in_days(match: re.Match[str], ctx: Context) -> Value | None:
    n, unit = quantity(match["n"]), match["unit"].lower()
    if unit.startswith("month"):
        year, month_no = add_months(ctx.today.year, ctx.today.month, n)
        found = valid(year, month_no, ctx.today.day) or valid(year, month_no, 28)
        return Day(found) if found else None
    days = n * (14 if unit.startswith("fortnight") else 7 if unit.startswith("week") else 1)
    return Day(ctx.today + timedelta(days=days))


def _month_day(match: re.Match[str], ctx: Context) -> Value | None:
    """"March 1st", "1st of March", "the 4th of July 2027"."""
    return _dated(ctx.today, month(match["mon"]), ordinal(match["d"]), match["y"])


def _of_month(match: re.Match[str], ctx: Context) -> Value | None:
    """"the 12th of this month" (next month's if it has passed), "the 3rd of next month"."""
    day, which = ordinal(match["d"]), (match.groupdict().get("which") or "").lower()
    if which in ("", "this"):
        found = next_month_day(ctx.today, day)
        rolled = which == "this" and found is not None and found.month != ctx.today.month
        return Day(found, note=ROLLED if rolled else None) if found else None
    found = valid(*add_months(ctx.today.year, ctx.today.month, 1), day)
    return Day(found) if found else None


# Zones whose customers write the month first ("4/3" is April 3rd): the US and Canada, and
# UTC for want of a better guess. Everywhere else "4/3" is the 4th of March.
_MONTH_FIRST_ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
                      "America/Los_Angeles", "America/Anchorage", "America/Detroit",
                      "America/Boise", "America/Toronto", "America/Vancouver", "America/Edmonton",
                      "America/Winnipeg", "America/Halifax", "America/St_Johns", "America/Regina",
                      "America/Indiana/", "America/Kentucky/", "America/North_Dakota/",
                      "Pacific/Honolulu", "US/", "Canada/", "UTC", "Etc/", "GMT")


def month_first(zone: str) -> bool:
    return zone.startswith(_MONTH_FIRST_ZONES)


def _numeric(match: re.Match[str], ctx: Context) -> Value | None:
    """"3/15", "12-30-16" (month first in the US and Canada, unless the first number cannot
    be a month; day first elsewhere, unless the second cannot be), "15.03." (day first)."""
    first, second = int(match["a"]), int(match["b"])
    day_first = "." in match.group() or not month_first(str(ctx.tz))
    if first > 12 >= second or (day_first and second <= 12):
        first, second = second, first
    if not (1 <= first <= 12):
        return None
    return _dated(ctx.today, first, second, match["y"])


def _ymd(match: re.Match[str], ctx: Context) -> Value | None:
    """Year first: "2026-12-05", "2015.05.25", "2015/05/25"."""
    month_no = int(match["a"])
    return _dated(ctx.today, month_no, int(match["b"]), match["y"]) if month_no <= 12 else None


def _period(match: re.Match[str], ctx: Context) -> Value | None:
    """"this/next week", "(this/next) weekend", "this/next month", "the week after next"."""
    words, today = " ".join(match.group().lower().split()), ctx.today
    ahead = 2 if "after next" in words else 1 if ("next" in words or "following" in words) else 0
    if words.endswith("month"):
        first = date(*add_months(today.year, today.month, ahead), 1) if ahead else today
        return Day(first, date(*add_months(today.year, today.month, ahead + 1), 1), Grain.MONTH)
    monday = week_start(today) + timedelta(days=7 * ahead)
    if words.endswith("weekend"):
        return Day(max(today, monday + timedelta(days=5)), monday + timedelta(days=7))
    return Day(max(today, monday), monday + timedelta(days=7), Grain.WEEK)


def _named_month(match: re.Match[str], ctx: Context) -> Value | None:
    """"in March": the rest of this month if it is March, else the next March."""
    today, month_no = ctx.today, month(match["mon"])
    year = today.year + (1 if month_no < today.month else 0)
    first = today if (year, month_no) == (today.year, today.month) else date(year, month_no, 1)
    return Day(first, date(*add_months(year, month_no, 1), 1), Grain.MONTH)


_MONTH_NOUN = "|".join(m for m in FULL_MONTHS if m not in ("may", "march"))
_TOMORROW = r"(?:tomorrow|tmrw|tmr|tmw|tomm?orr?ow|tomoz|2morr?ow|2moro)"
TIME_AHEAD = r"(?!\s*(?::|[ap]\.?m\b|o\s?['\"’]?\s?clock))"
DAY_NO = rf"(?P<d>{ORDINAL}|\d{{1,2}}(?!\d))"
_NOT_A_DAY = (r"(?:st(?:reet)?|ave(?:nue)?|rd|road|floor|fl|place|pl|grade|birthday|anniversary"
              r"|time|visit|appointment|one|ones|option|choice|slot|available|person|stylist"
              r"|service|item|row|line|in\s+line|attempt|try|cut)")
YEAR = r"(?:(?:,?\s*|[-/])(?P<y>\d{4})\b)?"

PATTERNS: list[Pattern] = [
    (pattern(rf"\b(?:(?:the\s+)?day\s+after\s+{_TOMORROW}|later\s+today|today|{_TOMORROW})\b"),
     _relative),
    (pattern(rf"\b(?:(?P<mod>this|{_NEXT}|{_COMING}|on)\s+)?(?P<wd>{WEEKDAY})"
             rf"(?:\s+(?P<after>after\s+next))?(?:\s*,?\s*(?:of\s+)?(?P<wk>this|next|the\s+following"
             r"|the)\s+week(?P<wan>\s+after\s+next)?)?"), _weekday),
    (pattern(rf"\b(?:(?P<n>{QUANTITY})\s+)?(?P<unit>days?|weeks?|fortnights?)\s+(?:(?:from|after|on)"
             rf"\s+(?P<ref>now|today|{_TOMORROW}|{WEEKDAY})|(?P<ref2>today|{_TOMORROW}|{WEEKDAY}))\b"),
     _from_day),
    (pattern(rf"\bin\s+(?P<n>{QUANTITY})\s+(?P<unit>days?|weeks?|months?|fortnights?)\b"),
     _in_days),
    (pattern(rf"(?<!\d[-/])\b(?P<mon>{MONTH})(?:\s*,\s*|\s*[-/]?\s*)(?:the\s+)?{DAY_NO}{TIME_AHEAD}{YEAR}"),
     _month_day),
    (pattern(rf"\b(?:the\s+)?{DAY_NO}\s*(?:day\s+)?(?:of\s+)?(?P<mon>{MONTH}){YEAR}"),
     _month_day),
    (pattern(rf"\b(?:the\s+)?(?P<d>{ORDINAL})\s+(?:day\s+)?(?:of\s+)?(?P<which>this|next|the\s+"
             r"following)\s+month\b"), _of_month),
    (pattern(rf"\b(?:the\s+)?(?P<d>{NUMERIC_ORDINAL})\b(?!\s+{_NOT_A_DAY}\b)"), _of_month),
    (pattern(rf"\bthe\s+(?P<d>{ORDINAL_WORD})\b(?=\s*(?:$|[,.;?!]|at\b|in\s+the\b|or\b|around\b"
             r"|please\b|for\s+(?:a|an|my)\b))"), _of_month),
    (pattern(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?\b"), _numeric),
    (pattern(r"\b(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?:(?P<y>\d{4})\b)?"), _numeric),
    (pattern(r"\b(?P<y>\d{4})([-./])(?P<a>\d{1,2})\2(?P<b>\d{1,2})\b"), _ymd),
    (pattern(r"\b(?P<a>\d{1,2})-(?P<b>\d{1,2})-(?P<y>\d{4}|\d{2})\b(?!-)"), _numeric),
    (pattern(rf"\b(?:(?:this|{_NEXT}|{_COMING})\s+(?:week(?:end)?|month)|(?:the\s+)?week\s+after"
             r"\s+next|(?:the\s+)?weekend)\b"), _period),
    (pattern(rf"\b(?:in|during)\s+(?P<mon>{FULL_MONTH})\b(?!\s*\d)"), _named_month),
    # a month said alone ("April?"), not "may" or "march", which are also verbs
    (pattern(rf"^\W*(?:sometime\s+)?(?P<mon>{_MONTH_NOUN})\W*$"), _named_month),
]
# Past days, "tomorrow week", "end of next week": tried when a word they need is said.
RARE_PATTERNS: list[Pattern] = [
    (pattern(rf"\b(?:yesterday|last\s+(?:{WEEKDAY}|week(?:end)?|month|year|night)"
             rf"|(?:{QUANTITY})\s+(?:days?|weeks?|months?|years?|hours?)\s+ago)\b"), _past),
    (pattern(rf"\b(?=\w+\.?\s+week\b)(?P<ref>{_TOMORROW}|{WEEKDAY})\s+week\b"), _day_week),
    (pattern(rf"\b(?:(?:(?:the|towards?\s+the)\s+)?(?:end|middle|second\s+half|back\s+end)\s+of"
             rf"|mid-?|late|later(?=\s+next))(?=\s*(?:(?:the|this|next|the\s+following)\s+)?"
             rf"(?:week|weekend|month|{FULL_MONTH}))"), _vague),
]
