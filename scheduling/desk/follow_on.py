"""A second service straight after a first one, with the same person: "a men's cut and a beard
trim".

The first appointment is not booked yet when the customer hears both read back, so it is
counted as taken (with its buffers) while the second is searched: the second starts when the
first and its buffer after are over, or, when that moment is not free, at the next start
within `FOLLOW_WITHIN`; with the same person where they can (free, and doing that service),
else with whoever can. None when nobody can that close (the second is then booked on its
own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.availability import AvailabilityQuery, Slot, available_slots
from scheduling.booking.openings import occupancy
from scheduling.catalog import Catalog
from scheduling.occupancy import BookedInterval
from scheduling.ports import DeskUnitOfWork

FOLLOW_WITHIN = timedelta(minutes=30)
"""The longest wait between the two that still counts as one visit."""


@dataclass(frozen=True, slots=True)
class FirstPart:
    """The appointment chosen first: its service, start, person and place."""

    service_id: UUID
    start: datetime
    staff_id: UUID
    location_id: UUID | None = None


def able_for_all(catalog: Catalog, service_ids: list[UUID]) -> tuple[UUID, ...]:
    """The staff whose skills cover every one of the services: who can do them all in one
    visit, so the first is offered with them when someone can."""
    services = [catalog.service(service_id) for service_id in service_ids]
    return tuple(member.id for member in catalog.staff
                 if all(service.required_skills <= member.skills for service in services))


def first_interval(catalog: Catalog, first: FirstPart) -> BookedInterval:
    """The first appointment as the time it will hold, buffers included."""
    service = catalog.service(first.service_id)
    return BookedInterval(first.staff_id, first.start, first.start + service.duration,
                          service.buffer_before, service.buffer_after, service.id)


def follow_query(catalog: Catalog, first: FirstPart, service_id: UUID,
                 now: datetime) -> AvailabilityQuery:
    """Starts for the second service with anyone, from the first's end on."""
    held = first_interval(catalog, first)
    begin = held.end
    return AvailabilityQuery(service_id, begin, begin + FOLLOW_WITHIN + timedelta(minutes=1),
                             now, location_id=first.location_id)


def choose(slots: list[Slot], first: FirstPart) -> Slot | None:
    """The earliest start the first's person can take, else the earliest anyone can (the
    slots are sorted by start)."""
    same = next((slot for slot in slots if first.staff_id in slot.staff_ids), None)
    return same or next(iter(slots), None)


def staff_for(slot: Slot, first: FirstPart) -> UUID:
    """Who takes the second: the first's person when they can."""
    return first.staff_id if first.staff_id in slot.staff_ids else slot.staff_ids[0]


async def follow_on(uow: DeskUnitOfWork, business_id: UUID, first: FirstPart,
                    service_id: UUID, now: datetime) -> Slot | None:
    """Where the second service goes after `first` (see the module), or None."""
    async with uow:
        catalog = await uow.catalog.get(business_id)
        query = follow_query(catalog, first, service_id, now)
        taken = await occupancy(uow.appointments, catalog, query)
    booked = (*taken.booked, first_interval(catalog, first))
    return choose(available_slots(catalog, query, booked, taken.busy), first)


async def side_by_side(uow: DeskUnitOfWork, business_id: UUID, first: FirstPart,
                       service_id: UUID, now: datetime) -> Slot | None:
    """The same start as `first` with someone else (two people served at once: "for me and
    my husband at 2"), or None when nobody else can then."""
    async with uow:
        catalog = await uow.catalog.get(business_id)
        query = AvailabilityQuery(service_id, first.start, first.start + timedelta(minutes=1),
                                  now, location_id=first.location_id)
        taken = await occupancy(uow.appointments, catalog, query)
    booked = (*taken.booked, first_interval(catalog, first))
    return next((slot for slot in available_slots(catalog, query, booked, taken.busy)
                 if slot.start == first.start and set(slot.staff_ids) - {first.staff_id}), None)
