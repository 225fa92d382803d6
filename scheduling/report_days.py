"""The days an owner reads figures over: whole local days of one zone, first to last inclusive.

An owner thinks in days on the shop's clock ("last week", "November"), not in UTC instants,
so a range is two calendar dates read in the location's (or business's) zone. Its bounds are
that zone's midnights, so a day of 23 or 25 hours (a DST change) is still one day, and every
day of the range is listed, the quiet ones too: a chart that skips empty days draws a busy
week. The range is bounded (length and how far from today) before any arithmetic, so year 9999
is a clear refusal rather than an overflow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.errors import InvalidRequest

MAX_DAYS = 400
"""The longest range: a year and a bit, enough to compare a month with the one a year before."""
YEARS_BACK, YEARS_AHEAD = 30, 5
PRESETS: dict[str, str] = {
    "7": "Last 7 days", "30": "Last 30 days", "90": "Last 90 days", "month": "This month",
    "around": "Last and next 30 days",
}
DEFAULT_PRESET = "around"
"""The month behind and the month ahead: what is done and what is booked."""
_LONGEST_INPUT = 40


@dataclass(frozen=True, slots=True)
class DayRange:
    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        """The first day's local midnight, in UTC (the first instant of that day on a DST
        change that skips midnight)."""
        return _midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """The midnight after the last day, in UTC: the range is [start, end)."""
        return _midnight(self.last + timedelta(days=1), self.zone)

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.length)]

    def zero_filled(self, counts: Mapping[date, int]) -> list[tuple[date, int]]:
        """Every day of the range with its count, 0 for a day with none."""
        return [(day, counts.get(day, 0)) for day in self.days()]


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def preset(name: str, today: date) -> tuple[date, date]:
    """The first and last day of a named preset, counted back from (and including) today."""
    if name == "month":
        following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return today.replace(day=1), following - timedelta(days=1)
    if name == "around":
        return today - timedelta(days=30), today + timedelta(days=29)
    if name not in PRESETS:
        raise InvalidRequest(f"unknown range {name[:_LONGEST_INPUT]!r}; choose one of "
                             f"{', '.join(PRESETS.values())}", field="range")
    return today - timedelta(days=int(name) - 1), today


def day_of(raw: str, field: str) -> date:
    """A calendar date written as 2026-11-30 (what a date input sends)."""
    try:
        if len(raw) > _LONGEST_INPUT:
            raise ValueError(raw)
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidRequest(f"{field} is not a date; write it as 2026-11-30",
                             field=field) from None


def day_range(first: date, last: date, zone: ZoneInfo, today: date) -> DayRange:
    """The range from `first` to `last`, refused when reversed, longer than MAX_DAYS or
    further from today than reports reach."""
    _within(first, "from", today)
    _within(last, "until", today)
    if last < first:
        raise InvalidRequest(f"until ({last}) is before from ({first})", field="until")
    found = DayRange(first, last, zone)
    if found.length > MAX_DAYS:
        raise InvalidRequest(f"a range is at most {MAX_DAYS} days; this one has "
                             f"{found.length}", field="until")
    return found


def _within(day: date, field: str, today: date) -> date:
    earliest = today.replace(year=today.year - YEARS_BACK, day=1)
    latest = today.replace(year=today.year + YEARS_AHEAD, day=1)
    if not earliest <= day <= latest:
        raise InvalidRequest(f"{field} must be between {earliest} and {latest}", field=field)
    return day


def requested(raw_from: str | None, raw_until: str | None, name: str | None, zone: ZoneInfo,
              now: datetime) -> DayRange:
    """The range a query asks for: both dates, or a preset (the default one when neither is
    given; an empty field counts as not given). With only one date, the range runs the
    default's length from it, or up to it."""
    today = now.astimezone(zone).date()
    first = _within(day_of(raw_from, "from"), "from", today) if raw_from else None
    last = _within(day_of(raw_until, "until"), "until", today) if raw_until else None
    span = timedelta(days=59)
    if first is not None:
        return day_range(first, last or first + span, zone, today)
    if last is not None:
        return day_range(last - span, last, zone, today)
    return day_range(*preset(name or DEFAULT_PRESET, today), zone, today)
