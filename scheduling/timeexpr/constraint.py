"""What a customer will and will not accept, beyond one day and time: "any day but Monday",
"afternoons except Wednesday", "not before 10", "tuesday or thursday morning", "before my
1 pm lunch".

A `Constraint` is a plain value in the business's wall-clock time (weekdays, dates, clock
times, a zone name), so it travels between turns as JSON and decides, slot by slot, whether an
offer is acceptable (`admits`). Its day part and its time part are kept apart: a later message
that says something about days replaces only the day part ("Friday then" after "not Monday"),
one about times only the time part (`followed_by`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MIDNIGHT = time(0)


@dataclass(frozen=True, slots=True)
class Constraint:
    """Every field is a restriction; an empty one restricts nothing.

    ``weekdays`` allowed (Monday 0) and ``not_weekdays`` refused; ``not_dates`` refused local
    dates ("not tomorrow"); the start no earlier than ``earliest`` and no later than
    ``latest``, inside ``window`` (a part of the day, [start, end), an end of 00:00 being
    midnight); the appointment over by ``ends_by``.
    """

    zone: str
    weekdays: frozenset[int] = frozenset()
    not_weekdays: frozenset[int] = frozenset()
    not_dates: frozenset[date] = frozenset()
    earliest: time | None = None
    latest: time | None = None
    window: tuple[time, time] | None = None
    ends_by: time | None = None

    def __post_init__(self) -> None:
        try:  # an unknown zone is refused here, not at the first offer
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError) as unknown:
            raise ValueError(f"unknown time zone {self.zone!r}") from unknown
        if any(not 0 <= day <= 6 for day in self.weekdays | self.not_weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")

    @property
    def says_days(self) -> bool:
        return bool(self.weekdays or self.not_weekdays or self.not_dates)

    @property
    def says_times(self) -> bool:
        return any(v is not None for v in (self.earliest, self.latest, self.window, self.ends_by))

    def __bool__(self) -> bool:
        return self.says_days or self.says_times

    def admits(self, start: datetime, end: datetime) -> bool:
        """Whether an appointment from `start` to `end` (aware) keeps every restriction."""
        local, finish = start.astimezone(ZoneInfo(self.zone)), end.astimezone(ZoneInfo(self.zone))
        return self._day_ok(local.date()) and self._time_ok(local, finish)

    def allows_day(self, moment: datetime) -> bool:
        """Whether the day of `moment` (aware) is one the customer would come on."""
        return self._day_ok(moment.astimezone(ZoneInfo(self.zone)).date())

    def _day_ok(self, day: date) -> bool:
        weekday = day.weekday()
        if self.weekdays and weekday not in self.weekdays:
            return False
        return weekday not in self.not_weekdays and day not in self.not_dates

    def _time_ok(self, local: datetime, finish: datetime) -> bool:
        clock = local.time().replace(tzinfo=None)
        if self.earliest is not None and clock < self.earliest:
            return False
        if self.latest is not None and clock > self.latest:
            return False
        if self.window is not None and not _inside(clock, self.window):
            return False
        return self.ends_by is None or _over_by(local, finish, self.ends_by)

    def followed_by(self, later: Constraint | None, days: bool = False,
                    times: bool = False) -> Constraint | None:
        """This constraint after a later message: its `later` constraint's day and time parts
        replace these; `days`/`times` say the message named a day or a time without a
        constraint ("Friday", "at 3"), which drops that part too."""
        kept = self
        if days or (later is not None and later.says_days):
            kept = replace(kept, weekdays=frozenset(), not_weekdays=frozenset(),
                           not_dates=frozenset())
        if times or (later is not None and later.says_times):
            kept = replace(kept, earliest=None, latest=None, window=None, ends_by=None)
        if later is not None:
            kept = replace(kept, zone=later.zone, **_parts(later))
        return kept or None

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {"zone": self.zone}
        for name, part in _parts(self).items():
            value[name] = _encode(part)
        return value

    @classmethod
    def from_json(cls, value: Any) -> Constraint | None:
        """The constraint a tracker slot holds; None for anything else (no constraint, or a
        value this code cannot read), so a bad slot never stops an offer."""
        if not isinstance(value, dict) or "zone" not in value:
            return None
        try:
            window = value.get("window")
            return cls(
                str(value["zone"]),
                frozenset(int(d) for d in value.get("weekdays", ())),
                frozenset(int(d) for d in value.get("not_weekdays", ())),
                frozenset(date.fromisoformat(d) for d in value.get("not_dates", ())),
                _clock(value.get("earliest")), _clock(value.get("latest")),
                (time.fromisoformat(window[0]), time.fromisoformat(window[1])) if window else None,
                _clock(value.get("ends_by")),
            )
        except (TypeError, ValueError, KeyError, IndexError):
            return None


def _inside(clock: time, window: tuple[time, time]) -> bool:
    low, high = window
    return low <= clock and (high == MIDNIGHT or clock < high)


def _over_by(local: datetime, finish: datetime, ends_by: time) -> bool:
    """Over by `ends_by` on the day it starts (an end at midnight or later never is)."""
    if finish.date() != local.date():
        return ends_by == MIDNIGHT and finish.time() == MIDNIGHT
    return finish.time().replace(tzinfo=None) <= ends_by


def _parts(constraint: Constraint) -> dict[str, Any]:
    """The restrictions it sets (not the empty ones), by field name."""
    names = ("weekdays", "not_weekdays", "not_dates", "earliest", "latest", "window", "ends_by")
    values = {name: getattr(constraint, name) for name in names}
    return {name: value for name, value in values.items() if value}


def _encode(part: Any) -> Any:
    if isinstance(part, frozenset):
        return sorted(d.isoformat() if isinstance(d, date) else d for d in part)
    if isinstance(part, tuple):
        return [t.isoformat() for t in part]
    return part.isoformat()


def _clock(value: Any) -> time | None:
    return time.fromisoformat(value) if value else None
