"""The front desk's calendar: for each staff member and local day at one location, what is
booked, what is free and what is not bookable (the location's closed days, time off, breaks,
busy time in an outside calendar, the buffers kept around bookings, a day already at the
member's daily maximum).

Pure: the catalog and frozen appointment values in, a plan out. Working time is the engine's
(`availability._Frame._working` reads the same catalog the same way): the location's opening
hours intersected with the staff member's shift (weekly hours and date overrides), expanded by
`hours.LocalDays`, so 09:00 is 09:00 on the location's clock on both sides of a DST change.
Within a day the plan's segments never overlap and together cover exactly the working time
plus the booked time (an appointment booked outside hours still shows).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID

from scheduling.assignment import Workload
from scheduling.booking.model import BOOKED, Status
from scheduling.catalog import Catalog, Location, Staff
from scheduling.errors import NotFound
from scheduling.hours import LocalDays
from scheduling.occupancy import BookedInterval, Buffered, BusyInterval
from scheduling.timeline import Span, instant, intersect, merge, seconds, subtract

OCCUPYING = frozenset({Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW})
"""Appointments that took (or take) the staff member's time: a no-show's hour was not free."""
CALLED_OFF = frozenset({Status.CANCELLED, Status.LATE_CANCEL})
"""Listed beside the day (at their own location), so the desk sees what was cancelled; their
time is free again."""


class Kind(StrEnum):
    """Booked, free, or working time the engine will not book (the rest), with its reason."""

    BOOKED = "booked"
    FREE = "free"
    BREAK = "break"
    TIME_OFF = "time_off"
    CLOSED = "closed"
    BUSY = "busy"
    BUFFER = "buffer"
    FULL = "full"


@dataclass(frozen=True, slots=True)
class Visit(Buffered):
    """An appointment as the calendar shows it (the read builds it; no ORM row gets here);
    its buffers keep the time around it clear, as the engine keeps it."""

    id: UUID
    staff_id: UUID
    location_id: UUID
    service_id: UUID
    start: datetime
    end: datetime
    status: Status
    customer: str
    seats: int = 1
    checked_in: bool = False
    deposit_due: bool = False
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)

    @property
    def state(self) -> str:
        """What the desk needs to know at a glance: "pending deposit", "checked in"..."""
        if self.status is Status.PENDING:
            return "pending deposit" if self.deposit_due else "pending approval"
        if self.status is Status.CONFIRMED and self.checked_in:
            return "checked in"
        if self.status is Status.NO_SHOW:
            return "no-show"
        return self.status.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Segment:
    """`[start, end)` in UTC; `label` names a closed segment's reason or a booking elsewhere."""

    kind: Kind
    start: datetime
    end: datetime
    label: str = ""
    visits: tuple[Visit, ...] = ()

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds()) // 60


@dataclass(frozen=True, slots=True)
class StaffDay:
    staff_id: UUID
    day: date
    segments: tuple[Segment, ...]
    cancelled: tuple[Visit, ...] = ()

    @property
    def free_minutes(self) -> int:
        return sum(s.minutes for s in self.segments if s.kind is Kind.FREE)


@dataclass(frozen=True, slots=True)
class Plan:
    location: Location
    days: tuple[date, ...]
    staff: tuple[Staff, ...]
    rows: tuple[StaffDay, ...]

    def of(self, staff_id: UUID, day: date) -> StaffDay:
        return next(r for r in self.rows if r.staff_id == staff_id and r.day == day)


def window(location: Location, days: Sequence[date]) -> tuple[datetime, datetime]:
    """The UTC range the days cover on the location's clock: what the read must fetch. In UTC,
    so subtracting the ends gives the real length (23 hours on a spring-forward day)."""
    first, last = min(days), max(days) + timedelta(days=1)
    low, high = (seconds(datetime.combine(d, time(0), location.zone)) for d in (first, last))
    return instant(low), instant(high)


def columns(catalog: Catalog, location: Location, visits: Iterable[Visit],
            staff_id: UUID | None = None) -> tuple[Staff, ...]:
    """Who gets a column: `staff_id` alone when given (`NotFound` if unknown); otherwise the
    staff working at the location, then anyone else with an appointment there (an archived
    staff member's old bookings do not vanish from the calendar)."""
    if staff_id is not None:
        return (catalog.staff_member(staff_id),)
    here = [s for s in catalog.staff if location.id in s.location_ids]
    known = {s.id for s in here}
    for visit in visits:
        if visit.location_id == location.id and visit.staff_id not in known:
            known.add(visit.staff_id)
            try:
                here.append(catalog.staff_member(visit.staff_id))
            except NotFound:
                continue
    return tuple(here)


def plan(catalog: Catalog, location: Location, days: Sequence[date], visits: Iterable[Visit],
         staff_id: UUID | None = None, busy: Iterable[BusyInterval] = ()) -> Plan:
    """The calendar of `days` (local dates at `location`) for its staff, or one of them;
    `busy` is outside calendars' busy time (the owner's own Google events), as the engine
    reads it."""
    dates = tuple(sorted(set(days)))
    seen = list(visits)
    staff = columns(catalog, location, seen, staff_id)
    local = LocalDays(location.zone, dates)
    offered = {s.id for s in catalog.staff}
    elsewhere = list(busy)
    rows = tuple(row for member in staff for row in _staff_days(
        member, location, local, seen, member.id in offered,
        [(seconds(b.start), seconds(b.end)) for b in elsewhere if b.staff_id == member.id]))
    return Plan(location, dates, staff, rows)


def _staff_days(member: Staff, location: Location, local: LocalDays, visits: list[Visit],
                offered: bool, busy: list[Span]) -> Iterator[StaffDay]:
    """An archived member (not `offered`) has no working time: their old bookings alone."""
    mine = [v for v in visits if v.staff_id == member.id]
    booked = [v for v in mine if v.status in OCCUPYING]
    working = _working(member, location, local) if offered else []
    pieces = _pieces(member, location, local, booked, working, merge(busy))
    zone = location.zone
    for day in local.dates:
        low, high = (seconds(datetime.combine(d, time(0), zone))
                     for d in (day, day + timedelta(days=1)))
        segments = tuple(Segment(kind, instant(max(a, low)), instant(min(b, high)), label, held)
                         for a, b, kind, label, held in pieces if a < high and b > low)
        cancelled = tuple(v for v in mine if v.status in CALLED_OFF
                          and v.location_id == location.id and low <= seconds(v.start) < high)
        yield StaffDay(member.id, day, segments, cancelled)


_Piece = tuple[int, int, Kind, str, tuple[Visit, ...]]


def _pieces(member: Staff, location: Location, local: LocalDays, booked: list[Visit],
            working: list[Span], busy: list[Span]) -> list[_Piece]:
    """Every segment of the whole range, sorted; the caller cuts them at local midnights."""
    pieces: list[_Piece] = [(a, b, Kind.BOOKED, _elsewhere(group, location), group)
                            for (a, b), group in _clusters(booked)]
    rest = subtract(working, merge((a, b) for a, b, *_ in pieces))
    for kind, label, spans in _shut(member, location, local, booked, busy):
        pieces += [(a, b, kind, label, ()) for a, b in intersect(rest, spans)]
        rest = subtract(rest, spans)
    pieces += [(a, b, Kind.FREE, "", ()) for a, b in rest]
    return sorted(pieces, key=lambda piece: piece[0])


def _working(member: Staff, location: Location, local: LocalDays) -> list[Span]:
    """On shift while the location is open; nothing at a location the member does not work at.
    Closed days are not taken off here: they are shown, labelled, by `_shut`."""
    if location.id not in member.location_ids:
        return []
    return intersect(local.expand(location.opening_hours),
                     local.expand(member.weekly_hours, member.overrides))


def _shut(member: Staff, location: Location, local: LocalDays, booked: list[Visit],
          busy: list[Span]) -> Iterator[tuple[Kind, str, list[Span]]]:
    """Working time the engine will not book, strongest reason first (a closed day's lunch
    break reads "closed"); each with its label."""
    for closure in location.closures:
        yield Kind.CLOSED, closure.reason or "Closed", local.closed((closure,))
    for off in member.time_off:
        yield Kind.TIME_OFF, off.reason or "Time off", [(seconds(off.start), seconds(off.end))]
    yield Kind.BREAK, "Break", local.expand(member.breaks)
    yield Kind.BUSY, "Busy in their own calendar", busy
    yield Kind.BUFFER, "Buffer", merge((seconds(v.blocked_start), seconds(v.blocked_end))
                                       for v in booked)
    if member.max_bookings_per_day is not None:
        limit = member.max_bookings_per_day
        yield Kind.FULL, f"Fully booked ({limit} a day)", local.whole_days(
            _workload(booked, location).days_at(member.id, limit))


def _workload(booked: list[Visit], location: Location) -> Workload:
    """The engine's count of a day's bookings (held ones are not on the calendar)."""
    live = (BookedInterval(v.staff_id, v.start, v.end) for v in booked if v.status in BOOKED)
    return Workload(live, location.zone)


def _clusters(booked: list[Visit]) -> list[tuple[Span, tuple[Visit, ...]]]:
    """Appointments grouped where they overlap (the seats of a group session share one span)."""
    out: list[tuple[Span, tuple[Visit, ...]]] = []
    for visit in sorted(booked, key=lambda v: (v.start, v.customer, v.id)):
        start, end = seconds(visit.start), seconds(visit.end)
        if out and start < out[-1][0][1]:
            (low, high), group = out[-1]
            out[-1] = ((low, max(high, end)), (*group, visit))
        else:
            out.append(((start, end), (visit,)))
    return out


def _elsewhere(group: tuple[Visit, ...], location: Location) -> str:
    """A booking at another location is time the member is away from this one; say so."""
    return "" if all(v.location_id == location.id for v in group) else "elsewhere"
