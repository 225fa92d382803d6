"""Slot search with its data loaded: the suggestion engine fed from the database.

The engine is pure; this loads what it needs inside one read transaction (catalog, customer,
their history, and what takes staff time through `scheduling.booking.openings`, the loader
booking placement uses, so bookings, live holds, Google busy time and timed releases as
they bind this customer all count) and decides how far to look: from the day asked about a
week onwards, or two weeks from now for "earliest".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from uuid import UUID

from scheduling.availability import AvailabilityQuery
from scheduling.booking.model import Appointment, Status
from scheduling.booking.openings import occupancy
from scheduling.catalog import Catalog, Customer
from scheduling.patterns import AppointmentRecord, AppointmentStatus, PatternModel
from scheduling.ports import DeskUnitOfWork
from scheduling.suggestions import Suggestion, SuggestionRequest, suggest
from scheduling.timeexpr.constraint import Constraint

AROUND_A_DAY = timedelta(days=7)
EARLIEST = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class SlotSearch:
    """`preferred_start` alone is an instant, with `preferred_end` a window, neither means
    "earliest"; `location_id` None searches every location; `after`/`before` bound the search
    ("something later"); `exclude` is an appointment being moved, whose own time does not
    count as taken; `constraint` is what the customer refused or allowed, kept by every
    slot found."""

    business_id: UUID
    service_id: UUID
    preferred_start: datetime | None = None
    preferred_end: datetime | None = None
    staff_id: UUID | None = None
    location_id: UUID | None = None
    language: str | None = None
    customer_id: UUID | None = None
    after: datetime | None = None
    before: datetime | None = None
    exclude: tuple[UUID, ...] = ()
    count: int = 4
    constraint: Constraint | None = None
    seats: int = 1
    habitual: bool = False
    """The preferred start is the customer's usual time, not one they said."""
    """Places wanted together (a group in a class); one person otherwise."""
    access_code: str | None = None
    """An early-access code the customer entered: opens what a release gives its audience."""


async def find_slots(uow: DeskUnitOfWork, search: SlotSearch, now: datetime) -> list[Suggestion]:
    """The best few slots for `search`, best first; empty when nothing is free."""
    async with uow:
        catalog = await uow.catalog.get(search.business_id)
        start, end = search_range(catalog, search, now)
        if end <= start:
            return []
        customer, history = await _customer(uow, search.customer_id)
        query = AvailabilityQuery(search.service_id, start, end, now,
                                  staff_id=search.staff_id, location_id=search.location_id,
                                  language=search.language, seats=search.seats)
        access = await uow.appointments.release_access(
            search.business_id, search.customer_id,
            (search.access_code,) if search.access_code else ())
        taken = await occupancy(uow.appointments, catalog, query, search.exclude, access)
    request = SuggestionRequest(query, search.preferred_start, search.preferred_end,
                                customer, history, constraint=search.constraint,
                                habitual=search.habitual)
    return suggest(catalog, request, search.count, taken.booked, taken.busy)


def search_range(catalog: Catalog, search: SlotSearch, now: datetime) -> tuple[datetime, datetime]:
    """From the start of the day asked about (or now) a week on; two weeks for "earliest".
    The day is the location's when the search is at one, else the business's."""
    if search.preferred_start is None:
        start, end = now, now + EARLIEST
    else:
        place = catalog.location(search.location_id) if search.location_id else catalog.business
        local = search.preferred_start.astimezone(place.zone)
        start = datetime.combine(local.date(), time(0), local.tzinfo)
        end = start + AROUND_A_DAY
    start = max(start, now, search.after or now)
    end = min(end, search.before) if search.before else end
    return start, end


async def _customer(
    uow: DeskUnitOfWork, customer_id: UUID | None
) -> tuple[Customer | None, PatternModel | None]:
    if customer_id is None:
        return None, None
    customer = await uow.catalog.get_customer(customer_id)
    past = await uow.desk.history(customer_id)
    return customer, PatternModel().learn(_record(a) for a in past) if past else None


def _record(appointment: Appointment) -> AppointmentRecord:
    done = appointment.status is Status.COMPLETED
    return AppointmentRecord(
        appointment.start, appointment.customer_time_zone,
        AppointmentStatus.COMPLETED if done else AppointmentStatus.BOOKED,
        appointment.staff_id, appointment.service_id,
    )
