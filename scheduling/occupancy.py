"""What already takes staff time: our own bookings and busy times from outside calendars.

Plain values, so the booking lifecycle can feed appointments in and `calendar_sync` can feed
Google free/busy in without the engine knowing either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from scheduling.errors import InvalidRequest
from scheduling.hours import require_range


class Buffered:
    """The one rule for the time a booking keeps clear: `[start - buffer_before, end +
    buffer_after)`. The engine, the booking lifecycle and the database's exclusion constraint
    (over the stored blocked range) must all agree on it, so it is written once, here."""

    __slots__ = ()
    start: datetime
    end: datetime
    buffer_before: timedelta
    buffer_after: timedelta

    @property
    def blocked_start(self) -> datetime:
        return self.start - self.buffer_before

    @property
    def blocked_end(self) -> datetime:
        return self.end + self.buffer_after


@dataclass(frozen=True, slots=True)
class BookedInterval(Buffered):
    """An appointment holding a staff member; its buffers keep the time around it clear too."""

    staff_id: UUID
    start: datetime
    end: datetime
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    service_id: UUID | None = None
    seats: int = 1

    def __post_init__(self) -> None:
        require_range(self.start, self.end)
        if self.seats < 1:
            raise InvalidRequest("a booking holds at least one seat")


@dataclass(frozen=True, slots=True)
class BusyInterval:
    """Time a staff member is busy elsewhere (a Google Calendar event, a manual block)."""

    staff_id: UUID
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_range(self.start, self.end)


class BusyTimeSource(Protocol):
    """Port for outside calendars: `calendar_sync` implements it for Google."""

    async def busy_times(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[BusyInterval]: ...


async def busy_of(
    source: BusyTimeSource | None, staff_ids: Sequence[UUID], start: datetime, end: datetime
) -> list[BusyInterval]:
    """What `source` says these staff members are busy with; nothing without a source (no
    calendar connected) or without staff to ask about."""
    if source is None or not staff_ids:
        return []
    return await source.busy_times(staff_ids, start, end)


class StaticBusyTimes:
    """A `BusyTimeSource` over a fixed list: the default with no calendar connected, and the
    fake tests use."""

    def __init__(self, intervals: Sequence[BusyInterval] = ()) -> None:
        self._intervals = list(intervals)

    async def busy_times(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[BusyInterval]:
        wanted = set(staff_ids)
        return [
            b for b in self._intervals if b.staff_id in wanted and b.start < end and start < b.end
        ]
