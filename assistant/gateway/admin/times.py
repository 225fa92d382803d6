"""Dates and times on the admin pages: in the business's zone (the rows are stored in UTC),
written by `scheduling.formats` as the chat, messages and customer pages write them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from scheduling import formats


@dataclass(frozen=True, slots=True)
class Times:
    zone: ZoneInfo

    def day(self, moment: datetime) -> str:
        """"Friday, March 12"."""
        return formats.day(moment, self.zone)

    def clock(self, moment: datetime) -> str:
        """"3:30 PM"."""
        return formats.clock(moment, self.zone)

    def when(self, moment: datetime) -> str:
        """"Fri, Mar 12, 3:30 PM": a table cell."""
        return formats.short_when(moment, self.zone)

    def span(self, start: datetime, end: datetime) -> str:
        """"Fri, Mar 12, 3 PM – 5 PM"; the end's day is written only when it is another."""
        same_day = start.astimezone(self.zone).date() == end.astimezone(self.zone).date()
        return f"{self.when(start)} – {self.clock(end) if same_day else self.when(end)}"

    def hour(self, hour: int) -> str:
        """"9 AM": an hour of any day, for the heat map's axis."""
        return formats.clock(datetime.combine(date(2024, 1, 1), time(hour), self.zone), self.zone)
