"""What a resolved time expression is: the values callers receive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Grain(StrEnum):
    """How precise a bound is: "Friday" is a day, "5:30pm" a minute."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Kind(StrEnum):
    INSTANT = "instant"
    INTERVAL = "interval"


@dataclass(frozen=True, slots=True)
class Resolution:
    """An instant (``end`` is None) or an interval ``[start, end)``.

    ``end`` is also None for an open interval ("as soon as possible"). ``assumed`` is True
    when a rule chose between readings the words allowed (am/pm from business hours, a
    past date moved forward, a local time that DST skips or repeats); ``notes`` say which.
    """

    kind: Kind
    start: datetime
    end: datetime | None
    grain: Grain
    date_explicit: bool
    time_explicit: bool
    meridiem_explicit: bool
    assumed: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def is_interval(self) -> bool:
        return self.kind is Kind.INTERVAL


@dataclass(frozen=True, slots=True)
class Mention:
    """One time expression found in a sentence; ``end`` is exclusive."""

    start: int
    end: int
    text: str
    resolution: Resolution
