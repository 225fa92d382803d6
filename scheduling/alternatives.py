"""What a customer hears when the slot they wanted is gone.

Nearest first, in tiers people expect: the same staff member that day, then someone else that
day, then other days (the same staff member first among equally near ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling.assignment import (
    Assignment,
    StaffReason,
    StaffWish,
    Workload,
    assign,
    check_choice,
)
from scheduling.availability import AvailabilityQuery, Slot, available_slots
from scheduling.catalog import Catalog, Location
from scheduling.errors import InvalidRequest
from scheduling.hours import require_aware
from scheduling.occupancy import BookedInterval, BusyInterval
from scheduling.suggestions import Reason, ReasonCode, Suggestion, clock_text


@dataclass(frozen=True, slots=True)
class AlternativeRequest:
    """The slot that was wanted (service, start, perhaps staff) and how far to look."""

    service_id: UUID
    start: datetime
    now: datetime
    staff_id: UUID | None = None
    location_id: UUID | None = None
    seats: int = 1
    language: str | None = None
    search_days: int = 7

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.now, "now")
        if self.search_days < 1:
            raise InvalidRequest("search at least one day either side", field="search_days")

    def query(self) -> AvailabilityQuery:
        reach = timedelta(days=self.search_days)
        return AvailabilityQuery(
            self.service_id, max(self.start - reach, self.now), self.start + reach, self.now,
            location_id=self.location_id, seats=self.seats, language=self.language,
        )


def alternatives(
    catalog: Catalog,
    request: AlternativeRequest,
    n: int = 3,
    bookings: Iterable[BookedInterval] = (),
    busy: Iterable[BusyInterval] = (),
) -> list[Suggestion]:
    """Up to `n` bookable slots nearest the wanted one; `score` is minus the hours away."""
    booked = list(bookings)
    location = _location(catalog, request)
    if request.staff_id is not None:
        service = catalog.service(request.service_id)
        check_choice(catalog, service, request.staff_id, location.id, request.language)
    slots = available_slots(catalog, request.query(), booked, busy)
    candidates = [
        (_tier(request, location, slot, staff_id), slot, staff_id)
        for slot in slots
        for staff_id in _who(request, slot)
        if not (slot.start == request.start and staff_id == request.staff_id)
    ]
    workload = Workload(booked, location.zone)
    return [
        _offer(catalog, request, tier, slot, staff_id, workload)
        for tier, slot, staff_id in _pick(candidates, request.start, n)
    ]


Candidate = tuple[tuple[int, float, bool, datetime], Slot, UUID | None]


def _pick(candidates: list[Candidate], wanted: datetime, n: int) -> list[Candidate]:
    """Per tier the nearest slot before and the nearest after first, then the rest by tier
    and distance: "11:45 with Ana, or 3 pm with Marcus" beats three ever-earlier Anas."""
    ordered = sorted(candidates, key=lambda item: item[0])
    firsts: list[Candidate] = []
    seen: set[tuple[int, bool]] = set()
    for item in ordered:
        side = (item[0][0], item[1].start > wanted)
        if side not in seen:
            seen.add(side)
            firsts.append(item)
    rest = [item for item in ordered if item not in firsts]
    return (firsts + rest)[:n]


def _location(catalog: Catalog, request: AlternativeRequest) -> Location:
    if request.location_id is not None:
        return catalog.location(request.location_id)
    return catalog.business.locations[0]


def _who(request: AlternativeRequest, slot: Slot) -> list[UUID | None]:
    """The requested staff member separately from the rest (None: anyone else free)."""
    if request.staff_id is None:
        return [None]
    others: list[UUID | None] = [None] if set(slot.staff_ids) - {request.staff_id} else []
    mine: list[UUID | None] = [request.staff_id] if request.staff_id in slot.staff_ids else []
    return mine + others


def _tier(
    request: AlternativeRequest, location: Location, slot: Slot, staff_id: UUID | None
) -> tuple[int, float, bool, datetime]:
    """Sort key: tier, distance, not-the-requested-staff, start. On other days the distance
    is whole days first, then time of day: "Wednesday at 3 pm" before "Monday at 5:15 pm"."""
    mine = staff_id is not None and staff_id == request.staff_id
    here, wanted = slot.start.astimezone(location.zone), request.start.astimezone(location.zone)
    if here.date() == wanted.date():
        tier = 0 if mine or request.staff_id is None else 1
        return tier, abs((slot.start - request.start).total_seconds()), not mine, slot.start
    days = abs((here.date() - wanted.date()).days)
    clock = abs((here.hour - wanted.hour) * 3600 + (here.minute - wanted.minute) * 60)
    return 2, days * 86_400 + clock, not mine, slot.start


def _offer(
    catalog: Catalog,
    request: AlternativeRequest,
    tier: tuple[int, float, bool, datetime],
    slot: Slot,
    staff_id: UUID | None,
    workload: Workload,
) -> Suggestion:
    if staff_id is None:
        pool = [catalog.staff_member(s) for s in slot.staff_ids if s != request.staff_id]
        assignment = assign(pool, slot.start, workload, StaffWish(language=request.language))
    else:
        name = catalog.staff_member(staff_id).name
        assignment = Assignment(staff_id, (StaffReason.REQUESTED,), f"{name}, as you asked")
    reason = _reason(catalog, request, tier[0], slot, assignment.staff_id, workload.zone)
    return Suggestion(slot, assignment.staff_id, -tier[1] / 3600, (reason,), assignment)


def _reason(
    catalog: Catalog, request: AlternativeRequest, tier: int, slot: Slot, staff_id: UUID,
    zone: ZoneInfo,
) -> Reason:
    local = slot.start.astimezone(zone)
    name = catalog.staff_member(staff_id).name
    if tier == 2:
        return Reason(ReasonCode.OTHER_DAY, f"{local:%A} at {clock_text(local)} with {name}")
    if request.staff_id is None or staff_id == request.staff_id:
        return Reason(ReasonCode.SAME_STAFF, f"at {clock_text(local)} with {name}")
    return Reason(ReasonCode.OTHER_STAFF, f"with {name} at {clock_text(local)}")
