"""Ranking free slots for a request such as "Tuesday afternoon with Ana".

Each free slot gets a staff member (the customer's choice, or a balanced pick) and a score made
of small, named parts; every part that mattered becomes a `Reason`, so the assistant can say
why it offers what it offers ("your usual time", "30 min after 3 PM"), its times written
by `scheduling.formats` as every channel writes them.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from scheduling import formats
from scheduling.assignment import Assignment, StaffWish, Workload, assign
from scheduling.availability import AvailabilityQuery, Slot, available_slots
from scheduling.catalog import Catalog, Customer, TimeOfDay, zone
from scheduling.hours import require_aware
from scheduling.occupancy import BookedInterval, BusyInterval
from scheduling.patterns import PatternModel
from scheduling.timeexpr.constraint import Constraint

COMFORT = timedelta(minutes=15)


class ReasonCode(StrEnum):
    AT_REQUESTED_TIME = "at_requested_time"
    CLOSE_TO_REQUEST = "close_to_requested_time"
    IN_REQUESTED_WINDOW = "in_requested_window"
    EARLIEST = "earliest_available"
    PREFERRED_DAY = "preferred_day"
    PREFERRED_TIME_OF_DAY = "preferred_time_of_day"
    PREFERRED_STAFF = "preferred_staff"
    USUAL_TIME = "usual_time"
    USUAL_STAFF = "usual_staff"
    POPULAR_TIME = "popular_time"
    RELAXED = "relaxed_schedule"
    BACK_TO_BACK = "staff_back_to_back"
    SAME_STAFF = "same_staff"
    OTHER_STAFF = "other_staff"
    OTHER_DAY = "other_day"


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    text: str


Part = tuple[float, Reason | None]


@dataclass(frozen=True, slots=True)
class Suggestion:
    slot: Slot
    staff_id: UUID
    score: float
    reasons: tuple[Reason, ...]
    assignment: Assignment


@dataclass(frozen=True, slots=True)
class SuggestionRequest:
    """What to rank: `query` bounds the search; `preferred_start` alone is an instant ("at 3
    PM"), with `preferred_end` a window ("Tuesday afternoon"), as `scheduling.timeexpr`
    resolves them. History and popularity are learned `PatternModel`s. `constraint` is
    what the customer refused or allowed ("any day but Monday", "not before 10"): no slot
    that breaks it is offered. `habitual`: the preferred time is the customer's usual one
    ("same as last time"), so an offer at it is labelled as their usual time, not "as you
    asked"."""

    query: AvailabilityQuery
    preferred_start: datetime | None = None
    preferred_end: datetime | None = None
    customer: Customer | None = None
    history: PatternModel | None = None
    popular: PatternModel | None = None
    constraint: Constraint | None = None
    habitual: bool = False

    def __post_init__(self) -> None:
        for moment in (self.preferred_start, self.preferred_end):
            if moment is not None:
                require_aware(moment, "preferred_start")

    @property
    def wish(self) -> StaffWish:
        liked = self.customer.preferences.staff_ids if self.customer else frozenset()
        usual = self.history.favourite_staff() if self.history else None
        favourites = liked | ({usual} if usual else set())
        return StaffWish(self.query.staff_id, self.query.language, frozenset(favourites))


class _Neighbours:
    """Each staff member's buffered bookings, sorted, to see how tight a slot would sit."""

    def __init__(self, bookings: Iterable[BookedInterval]) -> None:
        spans: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
        for booking in bookings:
            spans[booking.staff_id].append((booking.blocked_start, booking.blocked_end))
        self._spans = {staff_id: sorted(found) for staff_id, found in spans.items()}

    def gaps(self, staff_id: UUID, start: datetime, end: datetime) -> tuple[timedelta, timedelta]:
        """Free time before and after `[start, end)`; a day when there is no neighbour."""
        spans = self._spans.get(staff_id, [])
        i = bisect_left(spans, (start, start))
        before = start - spans[i - 1][1] if i else timedelta(days=1)
        after = spans[i][0] - end if i < len(spans) else timedelta(days=1)
        return before, after


class _Scorer:
    """Scores one request's slots. Closeness to the request weighs most (up to 4), stated
    and learned preferences next (1-1.5 each), popularity and staff comfort only break near
    ties, so a slot 15 minutes nearer is not lost to a tidier schedule."""

    def __init__(
        self, catalog: Catalog, request: SuggestionRequest, bookings: list[BookedInterval]
    ) -> None:
        self.catalog, self.request = catalog, request
        customer_zone = request.customer.time_zone if request.customer else None
        self.zone = zone(customer_zone or catalog.business.time_zone)
        self.workload = Workload(bookings, self.zone)
        self.neighbours = _Neighbours(bookings)
        self.wish = request.wish
        self.staff = {member.id: member for member in catalog.staff}

    def suggestion(self, slot: Slot, first: datetime) -> Suggestion:
        candidates = [self.staff[staff_id] for staff_id in slot.staff_ids]
        assignment = assign(candidates, slot.start, self.workload, self.wish)
        parts = [
            *self._closeness(slot, first), *self._stated(slot, assignment.staff_id),
            *self._learned(slot, assignment.staff_id), *self._comfort(slot, assignment.staff_id),
        ]
        score = sum(weight for weight, _ in parts)
        reasons = tuple(reason for _, reason in parts if reason is not None)
        return Suggestion(slot, assignment.staff_id, round(score, 4), reasons, assignment)

    def _closeness(self, slot: Slot, first: datetime) -> list[Part]:
        start, end = self.request.preferred_start, self.request.preferred_end
        if start is not None and end is not None:
            return self._window(slot, start, end)
        if start is not None:
            return [self._instant(slot, start)]
        days = (slot.start - first).total_seconds() / 86_400
        reason = Reason(ReasonCode.EARLIEST, "the earliest we have") if not days else None
        return [(2 * math.exp(-days / 7), reason)]

    def _instant(self, slot: Slot, wanted: datetime) -> Part:
        minutes = round((slot.start - wanted).total_seconds() / 60)
        said = formats.clock(wanted, self.zone)
        if minutes == 0:
            why = "your usual time" if self.request.habitual else "as you asked"
            return 4.0, Reason(ReasonCode.AT_REQUESTED_TIME, f"at {said}, {why}")
        weight = 4 * math.exp(-abs(minutes) / 90) + self._same_clock(slot, wanted)
        side = "after" if minutes > 0 else "before"
        text = f"{abs(minutes)} min {side} {said}" if abs(minutes) < 120 else None
        return weight, Reason(ReasonCode.CLOSE_TO_REQUEST, text) if text else None

    def _same_clock(self, slot: Slot, wanted: datetime) -> float:
        """On another day the time of day asked for still counts ("tomorrow at 4" when tomorrow
        is closed is best answered at 4 the day after), less than the day itself, fading with
        every day further away."""
        asked, offered = wanted.astimezone(self.zone), slot.start.astimezone(self.zone)
        days = abs((offered.date() - asked.date()).days)
        if days == 0:
            return 0.0
        clock = abs((offered.hour - asked.hour) * 60 + offered.minute - asked.minute)
        return math.exp(-clock / 90) * math.exp(-(days - 1) / 7)

    def _window(self, slot: Slot, low: datetime, high: datetime) -> list[Part]:
        if low <= slot.start < high:
            into = (slot.start - low).total_seconds() / 3600
            return [(4.0 - 0.01 * into, Reason(ReasonCode.IN_REQUESTED_WINDOW, "when you asked"))]
        away = min(abs(slot.start - low), abs(slot.start - high)).total_seconds() / 3600
        return [(3 * math.exp(-away / 3), None)]

    def _stated(self, slot: Slot, staff_id: UUID) -> list[Part]:
        if self.request.customer is None:
            return []
        liked = self.request.customer.preferences
        local = slot.start.astimezone(self.zone)
        part = TimeOfDay.of_hour(local.hour)
        parts: list[Part] = []
        if local.weekday() in liked.weekdays:
            said = f"on a {formats.weekday(local, self.zone)}, as you like"
            parts.append((1.0, Reason(ReasonCode.PREFERRED_DAY, said)))
        if part is not None and part in liked.times_of_day:
            parts.append((1.0, Reason(ReasonCode.PREFERRED_TIME_OF_DAY, f"in the {part}")))
        if staff_id in liked.staff_ids:
            name = self.staff[staff_id].name
            parts.append((1.0, Reason(ReasonCode.PREFERRED_STAFF, f"with {name}, your pick")))
        return parts

    def _learned(self, slot: Slot, staff_id: UUID) -> list[Part]:
        parts: list[Part] = []
        history, popular = self.request.history, self.request.popular
        if history is not None:
            usual = history.affinity(slot.start, self.zone)
            text = Reason(ReasonCode.USUAL_TIME, "your usual time") if usual >= 0.5 else None
            parts.append((1.5 * usual, text))
            if history.favourite_staff() == staff_id:
                name = self.staff[staff_id].name
                parts.append((0.5, Reason(ReasonCode.USUAL_STAFF, f"with {name}, as usual")))
        if popular is not None:
            liked = popular.affinity(slot.start, self.zone)
            text = Reason(ReasonCode.POPULAR_TIME, "a popular time") if liked >= 0.7 else None
            parts.append((0.5 * liked, text))
        return parts

    def _comfort(self, slot: Slot, staff_id: UUID) -> list[Part]:
        service = self.catalog.service(slot.service_id)
        before, after = self.neighbours.gaps(
            staff_id, slot.start - service.buffer_before, slot.end + service.buffer_after
        )
        if min(before, after) <= timedelta(0):
            return [(-0.15, Reason(ReasonCode.BACK_TO_BACK, "back to back for the stylist"))]
        if min(before, after) >= COMFORT:
            return [(0.1, Reason(ReasonCode.RELAXED, "no rush either side"))]
        return []


def rank(
    catalog: Catalog, request: SuggestionRequest, slots: list[Slot], bookings: list[BookedInterval]
) -> list[Suggestion]:
    """Every slot scored, best first (earlier first among equals)."""
    if not slots:
        return []
    scorer = _Scorer(catalog, request, bookings)
    scored = [scorer.suggestion(slot, slots[0].start) for slot in slots]
    return sorted(scored, key=lambda s: (-s.score, s.slot.start))


def _on_day(chosen: list[Suggestion], candidate: Suggestion, catalog: Catalog) -> int:
    """How many of `chosen` fall on `candidate`'s day (the business's calendar)."""
    day = candidate.slot.start.astimezone(catalog.business.zone).date()
    return sum(c.slot.start.astimezone(catalog.business.zone).date() == day for c in chosen)


def suggest(
    catalog: Catalog,
    request: SuggestionRequest,
    n: int = 3,
    bookings: Iterable[BookedInterval] = (),
    busy: Iterable[BusyInterval] = (),
) -> list[Suggestion]:
    """The best `n` slots, at least one service length apart so the offers differ, and
    spread over the days when the customer named several ("tuesday or thursday"): no more
    than half of them on one day while another has room."""
    booked = list(bookings)
    slots = available_slots(catalog, request.query, booked, busy)
    wish = request.constraint
    if wish is not None:
        slots = [slot for slot in slots if wish.admits(slot.start, slot.end)]
    spacing = catalog.service(request.query.service_id).duration
    per_day = math.ceil(n / 2) if wish is not None and len(wish.weekdays) > 1 else n
    chosen: list[Suggestion] = []
    ranked = rank(catalog, request, slots, booked)
    for limit in dict.fromkeys((per_day, n)):  # the spread first, then fill up
        for candidate in ranked:
            if len(chosen) == n:
                break
            if all(abs(candidate.slot.start - c.slot.start) >= spacing for c in chosen) and \
                    _on_day(chosen, candidate, catalog) < limit:
                chosen.append(candidate)
    return sorted(chosen, key=lambda s: (-s.score, s.slot.start))
