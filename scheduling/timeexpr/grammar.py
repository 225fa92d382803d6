"""The vocabulary and the pieces a sentence is cut into before they are combined.

A scan of the text yields atoms: a day (``Day``), a clock time (``Clock``), a part of the
day (``Part``), a range word (``Op``), an absolute moment ("in 2 hours", ``Moment``) or a
request for the soonest slot (``Asap``). The resolver groups neighbouring atoms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from .config import BusinessHours, DayParts
from .model import Grain
from .numbers import alt

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sunday": 6,
}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
FULL_MONTHS = [name for name in MONTHS if len(name) > 4 or name in ("may", "june", "july")]
# "sat" and "sun" are also words: not after a pronoun or article ("I sat", "the sun"), nor
# before what follows the verb or the star ("sat down", "sun cream", "sat nav").
_SHORT_WEEKENDS = {"sat": 5, "sun": 6}
_NOT_BEFORE_SHORT = "".join(
    rf"(?<!\b{w}\s)" for w in "i we you he she they it the my your our his her their a who have has"
    " had was were".split()
)
_NOT_AFTER_SHORT = (r"(?!\s+(?:nav|navs|down|up|there|here|cream|screen|block|bed|burn|shine|light"
                    r"|glasses|hat|is|was|will|came|comes|rises|rose|sets|set|through|with|around"
                    r"|for\s+(?:ages|hours|an?\b)|in\s+(?:the|my|a)\b)\b)")
WEEKDAY = (rf"(?:{alt(WEEKDAYS)}\b\.?|(?=s[au]n?t?\b){_NOT_BEFORE_SHORT}\b(?:sat|sun)\b\.?"
           rf"{_NOT_AFTER_SHORT})")
MONTH = rf"(?:{alt(MONTHS)}\b\.?)"
FULL_MONTH = rf"(?:{alt(FULL_MONTHS)}\b)"
# "pm", "p.m.", "p m", and a bare "p" only stuck to the digits ("9a-11a", "7p")
MERIDIEM = r"(?:(?P<mer>[ap])(?:\.\s?m\b\.?|\s?m\b|(?<=\d[ap])\b))"


def weekday(name: str) -> int:
    key = name.lower().rstrip(".")
    return WEEKDAYS[key] if key in WEEKDAYS else _SHORT_WEEKENDS[key]


def month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def meridiem(match: re.Match[str]) -> str | None:
    """"a" or "p" when the match has an am/pm group that matched."""
    found = match.groupdict().get("mer")
    return found.lower() if found else None


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a scan needs besides the text: now in the business's zone and its windows."""

    now: datetime
    tz: tzinfo
    parts: DayParts
    hours: BusinessHours

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar day, or a run of days ``[first, until)`` for "next week" and the like.

    ``weekday_only`` marks a day named by its weekday ("next Friday"), which an explicit
    date ("Friday, March 8th") or a week ("next week Friday") in the same phrase pins
    down; ``note`` says why a rule moved the words' literal reading.
    """

    first: date
    until: date | None = None
    grain: Grain = Grain.DAY
    weekday_only: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Clock:
    """A clock time as said: ``fixed`` when am/pm is known (said, 24-hour, noon).

    Without it ``hour`` is 1-12 and the resolver picks morning or afternoon. ``bare`` marks
    a lone number ("5"), which is a time only next to a range word or a part of the day.
    """

    hour: int
    minute: int
    fixed: bool
    bare: bool = False


@dataclass(frozen=True, slots=True)
class Part:
    """A named part of the day; ``today`` for "tonight" and "this evening". ``with_day``
    for a short form that is a part of the day only right after a day ("fri pm", "thurs
    eve"): alone, "am" and "eve" are other words."""

    name: str
    today: bool = False
    with_day: bool = False
    span: str = ""  # "early", "mid" or "late": that half (or middle half) of the window


@dataclass(frozen=True, slots=True)
class Op:
    """A range word by its role: "lower", "upper", "link" (to, and, -), "at", "join",
    or a postfix role ("or later" is "lower_post")."""

    role: str


@dataclass(frozen=True, slots=True)
class Moment:
    """An absolute instant, from "in 2 hours"."""

    at: datetime
    grain: Grain


@dataclass(frozen=True, slots=True)
class Past:
    """A day that has gone ("yesterday", "last Monday", "3 days ago"): never booked, and
    never read as the next such day."""


@dataclass(frozen=True, slots=True)
class Not:
    """A refusal ("not Monday", "any day except Friday", "can't do 3"): the day or time
    it names is the one the customer does not want, so it is never the answer. ``after``
    for one said after the day ("Monday's no good", "Friday doesn't work")."""

    after: bool = False


@dataclass(frozen=True, slots=True)
class Vague:
    """"end of next week", "mid April", "late next week": a part of a period this grammar
    cannot place, so the period after it is not the answer either (nothing beats a guess)."""


@dataclass(frozen=True, slots=True)
class Asap:
    """"As soon as possible", "earliest": an interval open from now."""


Value = Day | Clock | Part | Op | Moment | Asap | Past | Not | Vague
Builder = Callable[[re.Match[str], Context], Value | None]
Pattern = tuple[re.Pattern[str], Builder]


def pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)
