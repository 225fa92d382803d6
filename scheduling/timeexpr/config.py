"""Business-configurable windows: parts of the day and opening hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

DAY_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class Window:
    """A span of wall-clock time within a day; an ``end`` of 00:00 means midnight at its end."""

    start: time
    end: time

    def minutes(self) -> tuple[int, int]:
        lo = self.start.hour * 60 + self.start.minute
        hi = self.end.hour * 60 + self.end.minute
        return lo, hi if hi > lo else hi + DAY_MINUTES


@dataclass(frozen=True, slots=True)
class DayParts:
    """What "morning", "tonight" and the like mean for this business."""

    morning: Window = Window(time(8), time(12))
    lunchtime: Window = Window(time(12), time(14))
    afternoon: Window = Window(time(12), time(17))
    evening: Window = Window(time(17), time(21))
    tonight: Window = Window(time(18), time(0))
    night: Window = Window(time(19), time(0))
    after_work: Window = Window(time(17), time(21))

    @property
    def after_lunch(self) -> Window:
        return Window(self.lunchtime.end, self.afternoon.end)

    @property
    def before_lunch(self) -> Window:
        return Window(self.morning.start, self.lunchtime.start)

    def window(self, name: str) -> Window:
        window: Window = getattr(self, name)
        return window


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Opening hours: a bare "5:30" is read as the one inside (or nearest to) them."""

    open: time = time(9)
    close: time = time(18)

    def window(self) -> Window:
        return Window(self.open, self.close)


DEFAULT_DAY_PARTS = DayParts()
DEFAULT_HOURS = BusinessHours()
