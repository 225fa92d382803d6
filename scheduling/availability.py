"""The availability engine: which start times a service can be booked at, and with whom.

Pure: catalog, bookings, busy times and `now` in, slots out. For each staff member it computes
the free working time once (opening ∩ working hours − breaks − time off − closures − full
days), turns it into the set of admissible *start* instants, removes in one sweep every start
whose buffered service would touch a buffered booking or a busy time, and only then steps
through the remaining spans on the service's local-time grid. No per-minute loops and no
slot-by-booking comparisons: the cost is sorting the inputs plus the slots returned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from uuid import UUID

from scheduling.assignment import StaffWish, Workload, eligible_staff
from scheduling.catalog import Catalog, Location, LocationType, Service, Staff, zone
from scheduling.errors import InvalidRequest
from scheduling.hours import LocalDays, require_aware
from scheduling.occupancy import BookedInterval, BusyInterval
from scheduling.timeline import (
    DAY,
    Span,
    WallClock,
    clip,
    instant,
    intersect,
    merge,
    overlaps,
    seconds,
    subtract,
)


@dataclass(frozen=True, slots=True)
class AvailabilityQuery:
    """Slots starting in `[start, end)`; `staff_id` None means any qualified staff member,
    `location_id` None every location offering the service."""

    service_id: UUID
    start: datetime
    end: datetime
    now: datetime
    staff_id: UUID | None = None
    location_id: UUID | None = None
    seats: int = 1
    language: str | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end", "now"):
            require_aware(getattr(self, name), name)
        if self.end <= self.start:
            raise InvalidRequest("the search range must end after it starts", field="end")
        if self.seats < 1:
            raise InvalidRequest("at least one seat is needed", field="seats")

    @property
    def wish(self) -> StaffWish:
        return StaffWish(staff_id=self.staff_id, language=self.language)


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable start; `staff_ids` can each take it; `seats_left` is the most any one has."""

    start: datetime
    end: datetime
    service_id: UUID
    location_id: UUID
    staff_ids: tuple[UUID, ...]
    seats_left: int

    def local_start(self, time_zone: str) -> datetime:
        """The start on a customer's (or the business's) wall clock, for display."""
        return self.start.astimezone(zone(time_zone))


def available_slots(
    catalog: Catalog,
    query: AvailabilityQuery,
    bookings: Iterable[BookedInterval] = (),
    busy: Iterable[BusyInterval] = (),
) -> list[Slot]:
    """Every bookable slot for `query`, sorted by start (locations in catalog order)."""
    service = catalog.offered_service(query.service_id)
    if not service.min_participants <= query.seats <= service.max_participants:
        raise InvalidRequest(
            f"{service.name} takes {service.min_participants} to {service.max_participants} "
            "participants",
            field="seats",
        )
    booked, busy_list = list(bookings), list(busy)
    per_location = [
        _Frame(service, location, query, booked).slots(
            eligible_staff(catalog, service, location.id, query.wish), busy_list
        )
        for location in _locations(catalog, service, query)
    ]
    if len(per_location) == 1:
        return per_location[0]
    return sorted((s for slots in per_location for s in slots), key=lambda slot: slot.start)


def _locations(catalog: Catalog, service: Service, query: AvailabilityQuery) -> list[Location]:
    """The locations to search; with a named staff member and no location, theirs only (the
    eligibility check then explains a staff member who works nowhere the service is)."""
    if query.location_id is not None:
        location = catalog.offered_location(query.location_id)
        if not service.offered_at(location.id):
            raise InvalidRequest(f"{service.name} is not offered at {location.name}")
        return [location]
    offered = [loc for loc in catalog.business.locations if service.offered_at(loc.id)]
    if query.staff_id is None:
        return offered
    works = catalog.staff_member(query.staff_id).location_ids
    return [loc for loc in offered if loc.id in works] or offered[:1]


class _Frame:
    """What one query at one location shares across its staff: limits, zone, opening hours."""

    def __init__(
        self, service: Service, location: Location, query: AvailabilityQuery,
        bookings: list[BookedInterval],
    ) -> None:
        self.service, self.location, self.query = service, location, query
        self.duration = int(service.duration.total_seconds())
        self.before = int(service.buffer_before.total_seconds())
        self.after = int(service.buffer_after.total_seconds())
        now = query.now
        self.low = seconds(max(query.start, now + service.min_notice))
        self.high = seconds(min(query.end, now + timedelta(days=service.max_advance_days)))
        tz = location.zone
        self.days = LocalDays.around(tz, instant(self.low), instant(self.high + self.duration))
        self.clock = WallClock(tz, self.low, self.high + self.duration)
        self.bookings = bookings
        self.open = self._open_hours()

    @cached_property
    def workload(self) -> Workload:
        """Bookings per day, needed only when some staff member has a daily maximum."""
        return Workload(self.bookings, self.location.zone)

    def _open_hours(self) -> list[Span]:
        if self.service.location_type is LocationType.IN_PERSON:
            hours = self.days.expand(self.location.opening_hours)
        else:
            hours = [(self.low - DAY, self.high + self.duration + DAY)]
        return subtract(hours, self.days.closed(self.location.closures))

    def slots(self, staff: Sequence[Staff], busy: list[BusyInterval]) -> list[Slot]:
        if self.low >= self.high or not staff:
            return []
        booked, blocked = _by_staff(self.bookings, busy, {s.id for s in staff})
        offers: dict[int, list[tuple[UUID, int]]] = defaultdict(list)
        for member in staff:
            for start, seats in self._starts(member, booked[member.id], blocked[member.id]):
                offers[start].append((member.id, seats))
        return [self._slot(start, offers[start]) for start in sorted(offers)]

    def _slot(self, start: int, offers: list[tuple[UUID, int]]) -> Slot:
        begins = instant(start)
        return Slot(
            begins, begins + self.service.duration, self.service.id, self.location.id,
            tuple(staff_id for staff_id, _ in offers),
            offers[0][1] if len(offers) == 1 else max(seats for _, seats in offers),
        )

    def _working(self, staff: Staff) -> list[Span]:
        """Time the service itself may occupy: open, on shift, not on a break, off or full."""
        work = intersect(self.open, self.days.expand(staff.weekly_hours, staff.overrides))
        away = self.days.expand(staff.breaks)
        away += ((seconds(off.start), seconds(off.end)) for off in staff.time_off)
        if staff.max_bookings_per_day is not None:
            away += self.days.whole_days(
                self.workload.days_at(staff.id, staff.max_bookings_per_day)
            )
        return subtract(work, merge(away))

    def _startable(self, staff: Staff) -> list[Span]:
        """Instants at which the service can start and still end inside working time."""
        span = self.duration
        fits = [(a, b - span + 1) for a, b in self._working(staff) if b - a >= span]
        return clip(fits, self.low, self.high)

    def _forbidden(self, blocks: list[Span]) -> list[Span]:
        """Starts whose buffered service `[t - before, t + duration + after)` meets a block."""
        reach = self.duration + self.after
        return merge((a - reach + 1, b + self.before) for a, b in blocks)

    def _starts(
        self, staff: Staff, booked: list[BookedInterval], blocked: list[Span]
    ) -> list[tuple[int, int]]:
        startable = self._startable(staff)
        if not startable:
            return []
        capacity = self.service.capacity
        sessions, others = _sessions(booked, self.service.id) if capacity > 1 else ({}, booked)
        base = blocked + [_widened(b) for b in others]
        session_spans = sorted(sessions)
        allowed = subtract(startable, self._forbidden(merge(base + session_spans)))
        step = int(self.service.slot_interval.total_seconds())
        starts = [(t, capacity) for t in self.clock.aligned_starts(allowed, step)]
        if sessions:
            starts += self._joinable(startable, merge(base), session_spans, sessions)
            starts.sort()
        return starts

    def _joinable(
        self,
        startable: list[Span],
        base: list[Span],
        spans: list[Span],
        sessions: dict[Span, tuple[int, int]],
    ) -> list[tuple[int, int]]:
        """Existing group sessions of this service that still have room for the party."""
        out: list[tuple[int, int]] = []
        for i, span in enumerate(spans):
            start, taken = sessions[span]
            left = self.service.capacity - taken
            window = (start - self.before, start + self.duration + self.after)
            if left < self.query.seats or not overlaps(startable, start, start + 1):
                continue
            if overlaps(base, *window) or _meets_neighbour(spans, i, window):
                continue
            out.append((start, left))
        return out


def _widened(booking: BookedInterval) -> Span:
    return seconds(booking.blocked_start), seconds(booking.blocked_end)


def _by_staff(
    bookings: list[BookedInterval], busy: list[BusyInterval], staff_ids: set[UUID]
) -> tuple[dict[UUID, list[BookedInterval]], dict[UUID, list[Span]]]:
    booked: dict[UUID, list[BookedInterval]] = defaultdict(list)
    blocked: dict[UUID, list[Span]] = defaultdict(list)
    for booking in bookings:
        if booking.staff_id in staff_ids:
            booked[booking.staff_id].append(booking)
    for interval in busy:
        if interval.staff_id in staff_ids:
            blocked[interval.staff_id].append((seconds(interval.start), seconds(interval.end)))
    return booked, blocked


def _sessions(
    booked: list[BookedInterval], service_id: UUID
) -> tuple[dict[Span, tuple[int, int]], list[BookedInterval]]:
    """Bookings of this group service gathered into sessions (start, seats taken), keyed by
    their buffered span; and the other bookings."""
    sessions: dict[Span, tuple[int, int]] = {}
    others: list[BookedInterval] = []
    for booking in booked:
        if booking.service_id == service_id:
            span = _widened(booking)
            _, taken = sessions.get(span, (0, 0))
            sessions[span] = (seconds(booking.start), taken + booking.seats)
        else:
            others.append(booking)
    return sessions, others


def _meets_neighbour(spans: list[Span], index: int, window: Span) -> bool:
    """Whether another session overlaps `window`; sessions of one service share a length,
    so only the adjacent ones in start order can."""
    for j in (index - 1, index + 1):
        if 0 <= j < len(spans) and spans[j] != spans[index]:
            if spans[j][0] < window[1] and window[0] < spans[j][1]:
                return True
    return False
