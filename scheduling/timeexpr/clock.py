"""Clock times as people type and say them, and how a missing am/pm is chosen."""

from __future__ import annotations

import re

from .config import DAY_MINUTES
from .grammar import MERIDIEM, Clock, Context, Pattern, Value, meridiem, pattern
from .numbers import HOUR_WORD, MINUTE_WORD, number

OCLOCK = r"""(?:o\s?['"’`]?\s?clock\b)"""
_MER_OR_OCLOCK = rf"(?:\s*{OCLOCK})?(?:\s*{MERIDIEM})?"
_PART_AHEAD = r"(?=\s*(?:in\s+the\s+)?(?:morning|afternoon|evening|at\s+night|tonight)\b)"
_HOUR = rf"(?P<h>[01]?\d|2[0-4]|{HOUR_WORD}|noon|midnight)"
_HOUR_END = r"(?:\b|(?=[ap]\.?\s?m\b))"  # "past 3pm": no word boundary between 3 and pm
_MINUTES_TO = (
    r"(?P<q>(?:a\s+)?quarter|half|(?:\d{1,2}|" + MINUTE_WORD + r"|five|ten)\s*(?:minutes?|mins?)"
    r"|five|ten|twenty(?:[\s-]?five)?)"
)


_COUNTED = (r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|people|persons?"
            r"|guests?|of\s+us)")  # "1-2 hours", "3 of us": counts, not times
_STREET = r"(?:st|street|rd|road|ave|avenue|lane|ln|drive|dr|way|close|court|ct|place|blvd)"


def hour_of(word: str, mer: str | None) -> tuple[int, bool]:
    """The hour (0-24) and whether am/pm is settled: by "pm", by 24-hour form, by "noon"."""
    lowered = word.lower()
    if lowered in ("noon", "midday", "mid-day"):
        return 12, True
    if lowered == "midnight":
        return 0, True
    hour = number(lowered)
    if hour == 0 or hour > 12 or (len(word) == 2 and word.startswith("0")):
        return hour, True
    if mer is None:
        return hour, False
    return (hour % 12) + (12 if mer == "p" else 0), True


def _colon(match: re.Match[str], _: Context) -> Value | None:
    hour, fixed = hour_of(match["h"], meridiem(match))
    return Clock(hour, int(match["m"]), fixed)


def _hour(match: re.Match[str], _: Context) -> Value | None:
    """"5pm", "5 o'clock", "five pm", "four twenty-three pm"; bare "five" only in context."""
    mer = meridiem(match)
    hour, fixed = hour_of(match["h"], mer)
    minute = number(match["m"]) if match["m"] else 0
    said = bool(match["m"] or mer or match["oc"])
    return Clock(hour, minute, fixed, bare=not said) if minute < 60 else None


def _bare(match: re.Match[str], _: Context) -> Value | None:
    hour, fixed = hour_of(match["h"], None)
    return Clock(hour, 0, fixed, bare=True)


def _spoken(match: re.Match[str], _: Context) -> Value | None:
    """"quarter past 4", "half past 11", "twenty to 3", "10 minutes to 5"."""
    hour, fixed = hour_of(match["h"], meridiem(match))
    q = match["q"].lower()
    offset = 30 if q == "half" else 15 if "quarter" in q else number(q)
    if offset >= 60:
        return None
    if match["rel"].lower() in ("past", "after"):
        return Clock(hour, offset, fixed)
    if q == "half":
        return None
    if fixed:
        return Clock((hour - 1) % 24, 60 - offset, True)
    return Clock(hour - 1 or 12, 60 - offset, False)


def _named(match: re.Match[str], _: Context) -> Value | None:
    hour, _fixed = hour_of(match["name"], None)
    return Clock(hour, 0, True)


PATTERNS: list[Pattern] = [
    (pattern(r"\b(?:12\s*)?(?P<name>noon|midnight|mid-?day)\b"), _named),
    (pattern(rf"\b(?P<h>[01]?\d|2[0-4])(?:[:.]|h(?=\d))(?P<m>[0-5]\d)(?!\d)(?:\s*{OCLOCK})?(?:\s*{MERIDIEM})?"),
     _colon),
    (pattern(rf"\b(?P<h>1[0-2]|0?[1-9])(?P<m>[0-5]\d)(?:\s*{MERIDIEM}|{_PART_AHEAD})"), _colon),
    # "the 930 one", "at 1030": digits typed without the colon, only after a word that
    # introduces a time, and not a count, an amount or a street number
    (pattern(rf"\b(?:at|the|around|about|for|@)\s+(?P<h>1[0-2]|[1-9])(?P<m>[0-5]\d)\b"
             rf"(?![:./]\d|\s*%|\s*(?:dollars?|bucks|euros?|pounds?|{_COUNTED})\b"
             rf"|\s+\w+\s+{_STREET}\b)"), _colon),
    (pattern(rf"\b(?P<h>[01]?\d|2[0-4])(?=\s*(?:o\s?\W?\s?clock|[ap]\.?\s?m\b)|[ap]\b)"
             rf"(?:\s*(?P<oc>{OCLOCK}))?(?:\s*{MERIDIEM})?(?P<m>(?!))?"), _hour),
    (pattern(rf"\b(?P<h>{HOUR_WORD})(?:[\s-]+(?P<m>{MINUTE_WORD}))?\b(?:\s*(?P<oc>{OCLOCK}))?"
             rf"(?:\s*{MERIDIEM})?"), _hour),
    (pattern(rf"\b{_MINUTES_TO}\s+(?P<rel>past|after|to|till|til|before|of)\s+{_HOUR}{_HOUR_END}"
             rf"{_MER_OR_OCLOCK}"), _spoken),
    (pattern(rf"\b(?P<q>[1-5]?\d)\s+(?P<rel>past)\s+{_HOUR}{_HOUR_END}{_MER_OR_OCLOCK}"), _spoken),
    # "20 to 2pm": a number that cannot be an hour (13-59) before "to" and a 12-hour hour
    (pattern(rf"\b(?P<q>1[3-9]|[2-5]\d)\s+(?P<rel>to|till|til|before)\s+(?P<h>1[0-2]|0?[1-9])"
             rf"{_HOUR_END}{_MER_OR_OCLOCK}"), _spoken),
    (pattern(r"\b(?P<h>[01]?\d|2[0-4])\b(?![:./]\d|\s*(?:st|nd|rd|th)\b|\s*%|\s*(?:[-–]\s*\d+\s*)?"
             rf"{_COUNTED}\b|\s+\w+\s+{_STREET}\b)"), _bare),
]


def candidates(clock: Clock) -> tuple[int, ...]:
    """Minutes after midnight the clock can mean: one if am/pm is settled, else two."""
    if clock.fixed:
        return (clock.hour * 60 + clock.minute,)
    base = (clock.hour % 12) * 60 + clock.minute
    return base, base + 720


def nearest(clock: Clock, window: tuple[int, int]) -> int:
    """The reading inside the window, or the one closest to it."""
    lo, hi = window
    return min(candidates(clock), key=lambda m: max(lo - m, 0, m - hi))


def after(clock: Clock, ref: int) -> int:
    """The earliest reading later than ``ref``; past midnight if none is ("10pm to 1")."""
    later = [m for m in candidates(clock) if m > ref]
    return min(later) if later else candidates(clock)[0] + DAY_MINUTES


def before(clock: Clock, ref: int) -> int:
    """The latest reading earlier than ``ref`` ("between 2 and 4pm" is 2pm)."""
    earlier = [m for m in candidates(clock) if m < ref]
    return max(earlier) if earlier else candidates(clock)[0]
