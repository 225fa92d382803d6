"""Recurring requests in the customer's words: "every other Tuesday at 10 until March",
"weekly for 6 weeks", "every 4 weeks, 3 times", "fortnightly".

Pure: the words in, a `SeriesAsk` out, plus the message with the repeating words taken out
("every other Tuesday at 10 until March" leaves "Tuesday at 10"), so the rest of the form
reads the first occurrence from it as from any request. The end ("until March") is resolved
with the same time grammar; how many dates that makes is known once the first is chosen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from actions import parsing
from scheduling.desk.series import MAX_OCCURRENCES, Unit
from scheduling.timeexpr.model import Grain

NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
NUMBER = r"(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
DAY = r"(mon|tues?|wed(nes)?|thu(rs?)?|fri|sat(ur)?|sun)(day)?s?"
EVERY = [  # (pattern, every, unit); group "n" is a number; each keeps the weekday it names
    (r"\b(every|each) (other|second|alternate) week\b", 2, Unit.WEEKS),
    (rf"\b(every|each) (other|second|alternate) (?=({DAY})\b)", 2, Unit.WEEKS),
    (r"\b(fortnightly|bi-?weekly|every fortnight)\b", 2, Unit.WEEKS),
    (rf"\b(every|each) (?P<n>{NUMBER}) weeks?\b", 0, Unit.WEEKS),
    (rf"\b(every|each) (?P<n>{NUMBER}) days\b", 0, Unit.DAYS),
    (r"\b(weekly|every week|each week|once a week)\b", 1, Unit.WEEKS),
    (rf"\b(every|each) (?=({DAY})\b)", 1, Unit.WEEKS),
]
"""No "every day": "I'm free every day this week" is a wish about one booking."""
SPAN = re.compile(rf"\bfor (the next )?(?P<n>{NUMBER}) (?P<unit>weeks?|months?|days?)\b", re.I)
TIMES = re.compile(rf"\b(?P<n>{NUMBER}) (times|sessions|appointments|visits|weeks in a row)\b",
                   re.I)
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
MONTH = re.compile(r"^\s*(the )?(?P<end>end of )?(the month of )?(?P<month>jan(uary)?|feb(ruary)?"
                   r"|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?"
                   r"|nov(ember)?|dec(ember)?)\s*$", re.I)
PLURAL_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s\b", re.I)
UNTIL = re.compile(r"\b(until|till|til|through|up to)\s+(?P<end>[^,.;!?]+)", re.I)
STANDING = re.compile(r"\b(standing|recurring|regular) (appointment|booking)\b", re.I)


@dataclass(frozen=True, slots=True)
class SeriesAsk:
    """Every `every` `unit`; `count` dates, or as many as fit before `until`, or neither said
    yet (`DEFAULT_COUNT`, said back so the customer can change it)."""

    every: int
    unit: Unit
    count: int | None = None
    until: datetime | None = None

    def to_slot(self) -> dict[str, Any]:
        return {"every": self.every, "unit": self.unit.value, "count": self.count,
                "until": self.until.isoformat() if self.until else None}

    @classmethod
    def from_slot(cls, value: Any) -> SeriesAsk | None:
        if not isinstance(value, dict) or not value.get("every"):
            return None
        until = value.get("until")
        return cls(int(value["every"]), Unit(value["unit"]), value.get("count"),
                   datetime.fromisoformat(until) if until else None)

    def step(self) -> timedelta:
        return timedelta(days=self.every * (7 if self.unit is Unit.WEEKS else 1))

    def starts_from(self, first: datetime) -> int:
        """How many dates from `first`: the count said, those before `until`, else the
        default; at most `MAX_OCCURRENCES`."""
        if self.count is not None:
            return min(self.count, MAX_OCCURRENCES)
        if self.until is not None:
            fit = math.ceil((self.until - first) / self.step()) if self.until > first else 1
            return max(1, min(fit, MAX_OCCURRENCES))
        return DEFAULT_COUNT


DEFAULT_COUNT = 6


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def series_in(text: str, now: datetime, zone: ZoneInfo) -> tuple[SeriesAsk, str] | None:
    """What the message asks to repeat, and the message without those words; None when it
    says nothing of repeating. A count or end alone ("8 times", "until June") is read with
    `every` 0, for the caller to merge into what was said before."""
    every, unit, rest = _every(text)
    count, rest = _count(rest, every or 1)
    until, rest = _until(rest, now, zone)
    if not (every or count or until or STANDING.search(text)):
        return None
    return SeriesAsk(every, unit, count, until), " ".join(PLURAL_DAY.sub(r"\1", rest).split())


def _every(text: str) -> tuple[int, Unit, str]:
    for pattern, every, unit in EVERY:
        match = re.search(pattern, text, re.I)
        if match:
            n = _number(match.group("n")) if "n" in match.groupdict() else every
            return n, unit, text[:match.start()] + " " + text[match.end():]
    return 0, Unit.WEEKS, text


def _count(text: str, every: int) -> tuple[int | None, str]:
    if match := TIMES.search(text):
        return _number(match.group("n")), _cut(text, match)
    if match := SPAN.search(text):
        n, unit = _number(match.group("n")), match.group("unit").lower()
        weeks = n * 52 / 12 if unit.startswith("month") else n / 7 if unit.startswith("day") \
            else n
        return max(1, math.floor(weeks / every + 1e-9)), _cut(text, match)
    return None, text


def _until(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime | None, str]:
    """The end said after "until": a day counts in full ("until March 15" keeps the 15th); a
    month or week ends where it starts ("until March" stops before March)."""
    match = UNTIL.search(text)
    if match is None:
        return None, text
    if month := MONTH.match(match.group("end")):
        return _month_bound(month, now.astimezone(zone)), _cut(text, match)
    found = parsing.when_in(match.group("end"), now, zone)
    if found is None:
        return None, text
    whole_day = found.grain in (Grain.DAY, Grain.HOUR, Grain.MINUTE)
    end = found.start + timedelta(days=1) if whole_day else found.start
    if "end of" in match.group("end").lower() and found.end is not None:
        end = found.end
    return end, _cut(text, match)


def _month_bound(match: re.Match[str], today: datetime) -> datetime:
    """"until March": the 1st of the coming March; "until the end of March": of April."""
    month = MONTHS.index(match.group("month")[:3].lower()) + 1
    year = today.year + (1 if month <= today.month else 0)
    if match.group("end"):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(year, month, 1, tzinfo=today.tzinfo)


def _cut(text: str, match: re.Match[str]) -> str:
    return text[:match.start()] + " " + text[match.end():]
