"""Where a booking goes: the availability engine run on data loaded inside the transaction.

The same engine that offered the slot decides whether it can still be booked, so a slot the
customer was shown and a slot the service accepts obey one set of rules (hours, breaks, time
off, notice, horizon, buffers, daily maximum, seats, and busy time in outside calendars, read
again here because an event may have been added in Google since the slot was offered). The
database constraint is the backstop for the race the engine cannot see: another transaction
committing in between. A slot a timed release keeps closed to the customer is refused with
`NotYetReleased`, which says when it opens to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.assignment import StaffWish, Workload, assign
from scheduling.availability import AvailabilityQuery, Slot
from scheduling.booking.commands import SlotChoice
from scheduling.booking.openings import MARGIN, open_slots
from scheduling.catalog import Catalog, Service
from scheduling.errors import NotYetReleased, SlotUnavailable
from scheduling.ports import AppointmentsPort
from scheduling.releases import Access, opening

ALTERNATIVES = 3
SEARCH_AHEAD = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Placement:
    service: Service
    staff_id: UUID
    location_id: UUID
    start: datetime
    end: datetime


async def place(
    repo: AppointmentsPort, catalog: Catalog, choice: SlotChoice, seats: int, now: datetime,
    exclude: Iterable[UUID] = (), access: Access | None = None,
) -> Placement:
    """The staff member and location for `choice`, or `SlotUnavailable` with alternatives,
    or `NotYetReleased` when a release rule keeps it closed to `access` (the rules as for
    everyone when None)."""
    service = catalog.service(choice.service_id)
    skip = tuple(exclude)
    if access is None:
        access = await repo.release_access(choice.business_id)
    opens = opening(access, choice.service_id, choice.staff_id, choice.start,
                    catalog.business.zone, now)
    if opens is not None:
        raise NotYetReleased(opens, await alternatives(repo, catalog, choice, seats, now, skip,
                                                       access), catalog.business.zone)
    slots = await _slots(repo, catalog, choice, seats, now, choice.start, skip, access=access)
    match = next((s for s in slots if s.start == choice.start and s.seats_left >= seats), None)
    if match is None:
        raise await unavailable(repo, catalog, choice, seats, now, skip, access=access)
    staff_id = await _pick(repo, catalog, match, choice, now)
    return Placement(service, staff_id, match.location_id, match.start, match.end)


async def _slots(
    repo: AppointmentsPort, catalog: Catalog, choice: SlotChoice, seats: int, now: datetime,
    start: datetime, exclude: tuple[UUID, ...], end: datetime | None = None,
    access: Access | None = None,
) -> list[Slot]:
    service = catalog.service(choice.service_id)
    query = AvailabilityQuery(
        service.id, start, end or start + timedelta(seconds=1), now,
        staff_id=choice.staff_id, location_id=choice.location_id, seats=seats,
    )
    return await open_slots(repo, catalog, query, exclude, access)


async def _pick(
    repo: AppointmentsPort, catalog: Catalog, slot: Slot, choice: SlotChoice, now: datetime
) -> UUID:
    """The requested staff member, else the engine's load-balanced choice among the free."""
    if choice.staff_id is not None or len(slot.staff_ids) == 1:
        return choice.staff_id or slot.staff_ids[0]
    zone = catalog.location(slot.location_id).zone
    booked = await repo.intervals(slot.staff_ids, slot.start - MARGIN, slot.end + MARGIN, now)
    candidates = [catalog.staff_member(staff_id) for staff_id in slot.staff_ids]
    return assign(candidates, slot.start, Workload(booked, zone), StaffWish()).staff_id


async def unavailable(
    repo: AppointmentsPort, catalog: Catalog, choice: SlotChoice, seats: int, now: datetime,
    exclude: tuple[UUID, ...] = (), message: str = "that time is not available",
    access: Access | None = None,
) -> SlotUnavailable:
    """The error for a slot that cannot be had, carrying the nearest bookable starts."""
    return SlotUnavailable(message, await alternatives(repo, catalog, choice, seats, now, exclude,
                                                       access))


async def alternatives(
    repo: AppointmentsPort, catalog: Catalog, choice: SlotChoice, seats: int, now: datetime,
    exclude: tuple[UUID, ...] = (), access: Access | None = None,
) -> list[Slot]:
    """The bookable starts nearest to the one asked for, from a day before to a week after."""
    start, end = max(choice.start - MARGIN, now), choice.start + SEARCH_AHEAD
    if end <= start:
        return []
    slots = await _slots(repo, catalog, choice, seats, now, start, exclude, end=end,
                         access=access)
    slots = [s for s in slots if s.start != choice.start]
    slots.sort(key=lambda s: (abs((s.start - choice.start).total_seconds()), s.start))
    return slots[:ALTERNATIVES]
