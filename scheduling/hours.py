"""Recurring local hours and the exceptions to them, and their expansion into UTC spans.

Hours are wall-clock times in a zone ("09:00-17:00 on Mondays"); they become instants only when
expanded for concrete dates, so a 09:00 opening is 09:00 local on both sides of a DST change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.errors import InvalidRequest
from scheduling.timeline import DAY, Span, merge, seconds

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def require_aware(moment: datetime, field_name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidRequest(f"{field_name} must be timezone-aware", field=field_name)


def require_range(start: datetime, end: datetime) -> None:
    """Both ends aware and in order: naive times would silently mean the server's zone."""
    require_aware(start, "start")
    require_aware(end, "end")
    if end <= start:
        raise InvalidRequest("an interval must end after it starts", field="end")


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A local wall-clock span within one day; an `end` of 00:00 means midnight at its end."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if not (self.start < self.end or self.end == time(0)):
            raise InvalidRequest(f"span {self.start}-{self.end} ends before it starts")

    @classmethod
    def parse(cls, text: str) -> TimeSpan:
        """From "09:00-17:30", the form people and the JSON columns use."""
        start, _, end = text.partition("-")
        try:
            return cls(time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
        except ValueError as error:
            raise InvalidRequest(f"bad time span {text!r}") from error

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def seconds_of_day(self) -> Span:
        """Seconds after local midnight, as if the day had no DST change."""
        end = DAY if self.end == time(0) else _clock_seconds(self.end)
        return _clock_seconds(self.start), end

    def on(self, day: date, zone: ZoneInfo) -> Span:
        start = datetime.combine(day, self.start, zone)
        end_day = day + timedelta(days=1) if self.end == time(0) else day
        return seconds(start), seconds(datetime.combine(end_day, self.end, zone))


def _clock_seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def spans(*texts: str) -> tuple[TimeSpan, ...]:
    return tuple(TimeSpan.parse(text) for text in texts)


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Spans for each weekday, Monday first; a day with no spans is closed or off."""

    days: tuple[tuple[TimeSpan, ...], ...] = ((),) * 7

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise InvalidRequest("weekly hours need exactly seven days")

    @classmethod
    def of(cls, hours: Mapping[str, Sequence[str]]) -> WeeklyHours:
        """From {"mon": ["09:00-12:00", "13:00-17:00"], ...}; unknown day names are refused."""
        unknown = set(hours) - set(WEEKDAYS)
        if unknown:
            raise InvalidRequest(f"unknown weekdays {sorted(unknown)}")
        return cls(tuple(spans(*hours.get(day, ())) for day in WEEKDAYS))

    def as_dict(self) -> dict[str, list[str]]:
        pairs = zip(WEEKDAYS, self.days, strict=True)
        return {day: [str(span) for span in spans] for day, spans in pairs if spans}

    def on(self, day: date) -> tuple[TimeSpan, ...]:
        return self.days[day.weekday()]


@dataclass(frozen=True, slots=True)
class DateOverride:
    """One date with its own hours; no spans means the whole day off."""

    day: date
    spans: tuple[TimeSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class Closure:
    """Local dates, both inclusive, when a location is shut (a holiday, a refit)."""

    first_day: date
    last_day: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidRequest("a closure cannot end before it starts")

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class TimeOff:
    """An absence between two instants (holiday, sick leave, a training)."""

    start: datetime
    end: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        require_range(self.start, self.end)


class LocalDays:
    """The local dates a UTC range touches in a zone (a day's margin either side).

    One per query. Zone conversions are the costly part, so it converts each local midnight
    once and places spans by arithmetic on the days that are exactly 24 hours long; only a
    DST-change day goes through `zoneinfo` span by span. It also remembers each week it
    expanded, because a team's members mostly share hours.
    """

    def __init__(self, zone: ZoneInfo, dates: Sequence[date]) -> None:
        self.zone = zone
        self.dates = tuple(dates)
        self._midnights: dict[date, int] = {}
        self._weeks: dict[WeeklyHours, list[Span]] = {}

    @classmethod
    def around(cls, zone: ZoneInfo, start: datetime, end: datetime) -> LocalDays:
        first = start.astimezone(zone).date() - timedelta(days=1)
        count = (end.astimezone(zone).date() - first).days + 2
        return cls(zone, [first + timedelta(days=i) for i in range(count)])

    def expand(self, weekly: WeeklyHours, overrides: Sequence[DateOverride] = ()) -> list[Span]:
        if overrides:
            special = {override.day: override.spans for override in overrides}
            return merge(self._each(weekly, special))
        if weekly not in self._weeks:
            self._weeks[weekly] = merge(self._each(weekly, {}))
        return list(self._weeks[weekly])

    def _each(
        self, weekly: WeeklyHours, special: Mapping[date, tuple[TimeSpan, ...]]
    ) -> Iterator[Span]:
        for day in self.dates:
            for span in special.get(day, weekly.on(day)):
                yield self._span(day, span)

    def _midnight(self, day: date) -> int:
        if day not in self._midnights:
            self._midnights[day] = seconds(datetime.combine(day, time(0), self.zone))
        return self._midnights[day]

    def _span(self, day: date, span: TimeSpan) -> Span:
        midnight = self._midnight(day)
        if self._midnight(day + timedelta(days=1)) - midnight != DAY:
            return span.on(day, self.zone)
        start, end = span.seconds_of_day
        return midnight + start, midnight + end

    def whole_days(self, days: Iterable[date]) -> list[Span]:
        whole = TimeSpan(time(0), time(0))
        return merge(self._span(day, whole) for day in days)

    def closed(self, closures: Sequence[Closure]) -> list[Span]:
        return self.whole_days(d for d in self.dates if any(c.covers(d) for c in closures))
