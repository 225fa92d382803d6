"""What one booking reads before it places: the slice of the catalog it needs, the business's
booking rules, the customer (locked) and an earlier appointment under the same idempotency
key, in two queries.

Loading the whole catalog through the ORM on every booking cost more than the booking itself
(seven queries, every staff member and service decoded); placement only looks at the service
being booked, the staff who could give it and the locations. The slice is read inside the
booking's transaction, like everything else, so a catalog change cannot be missed: there is no
cache to invalidate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.model import Appointment
from scheduling.booking.values import BookingContext
from scheduling.catalog import Business, Catalog, Location, Staff
from scheduling.errors import NotFound
from scheduling.hours import TimeOff
from scheduling.persistence import booking_codec, catalog_codec
from scheduling.persistence.booking_codec import rules_of
from scheduling.persistence.booking_tables import (
    AppointmentRow,
    BookingRulesRow,
    CustomerBlockRow,
)
from scheduling.persistence.catalog_repository import _customer, _location, _service, _staff
from scheduling.persistence.catalog_tables import (
    BusinessRow,
    CustomerRow,
    LocationRow,
    ServiceRow,
    StaffLocationRow,
    StaffRow,
    StaffTimeOffRow,
)


async def booking_context(
    session: AsyncSession, business_id: UUID, service_id: UUID, staff_id: UUID | None,
    customer_id: UUID, idempotency_key: str,
) -> BookingContext | Appointment:
    """The context to place in, or the appointment `idempotency_key` already booked (a
    replay needs nothing else). `staff_id` None loads every staff member holding the
    service's skills ("anyone").

    The customer's row is locked (FOR UPDATE) by the same query: that lock serialises one
    customer's bookings, so two at once cannot both pass the per-customer maximum; it is the
    first lock a booking takes, as before.
    """
    params = {"business_id": business_id, "service_id": service_id,
              "customer_id": customer_id, "key": idempotency_key}
    rows = (await session.execute(HEAD, params)).all()  # one row per location
    if not rows:
        raise await _missing(session, business_id, customer_id)
    business, customer, blocked, service, rules, existing, _ = rows[0]
    if existing is not None:
        return booking_codec.appointment(existing)
    if service is None:
        raise NotFound("service", service_id)
    locations = tuple(_location(row[-1]) for row in rows if row[-1] is not None)
    staff = await _candidates(session, business_id, staff_id, list(service.required_skills))
    catalog = Catalog(_business(business, locations), staff, (_service(service),))
    return BookingContext(catalog, rules_of(rules), _customer(customer), bool(blocked))


def _head() -> Select[BusinessRow, CustomerRow, bool, ServiceRow, BookingRulesRow,
                      AppointmentRow, LocationRow]:
    """Built once with parameters: SQLAlchemy then skips rebuilding and re-keying it."""
    blocked = exists().where(CustomerBlockRow.customer_id == CustomerRow.id)
    return (
        select(BusinessRow, CustomerRow, blocked, ServiceRow, BookingRulesRow, AppointmentRow,
               LocationRow)
        .select_from(BusinessRow)
        .join(CustomerRow, CustomerRow.id == bindparam("customer_id"))
        .outerjoin(ServiceRow, and_(ServiceRow.id == bindparam("service_id"),
                                    ServiceRow.business_id == BusinessRow.id))
        .outerjoin(BookingRulesRow, BookingRulesRow.business_id == BusinessRow.id)
        .outerjoin(AppointmentRow, and_(AppointmentRow.business_id == BusinessRow.id,
                                        AppointmentRow.idempotency_key == bindparam("key")))
        .outerjoin(LocationRow, LocationRow.business_id == BusinessRow.id)
        .where(BusinessRow.id == bindparam("business_id"))
        .order_by(LocationRow.position, LocationRow.name)
        .with_for_update(of=CustomerRow)
    )


HEAD = _head()


async def _missing(session: AsyncSession, business_id: UUID, customer_id: UUID) -> NotFound:
    if await session.get(BusinessRow, business_id) is None:
        return NotFound("business", business_id)
    return NotFound("customer", customer_id)


def _business(row: BusinessRow, locations: tuple[Location, ...]) -> Business:
    return Business(
        id=row.id, name=row.name, time_zone=row.time_zone, locations=locations,
        contact=catalog_codec.contact_of(row.contact),
        policies=catalog_codec.policies_of(row.policies),
    )


async def _candidates(
    session: AsyncSession, business_id: UUID, staff_id: UUID | None, skills: list[str]
) -> tuple[Staff, ...]:
    """The named staff member, or everyone with the skills; locations and time off in the
    same query (aggregated per staff member)."""
    places = (select(func.array_agg(StaffLocationRow.location_id))
              .where(StaffLocationRow.staff_id == StaffRow.id).scalar_subquery())
    absences = (select(func.json_agg(aggregate_order_by(
        func.json_build_array(StaffTimeOffRow.starts_at, StaffTimeOffRow.ends_at,
                              StaffTimeOffRow.reason), StaffTimeOffRow.starts_at)))
        .where(StaffTimeOffRow.staff_id == StaffRow.id).scalar_subquery())
    who = StaffRow.id == staff_id if staff_id is not None else StaffRow.skills.contains(skills)
    rows = await session.execute(
        select(StaffRow, places, absences).where(StaffRow.business_id == business_id, who)
        .order_by(StaffRow.position, StaffRow.name)
    )
    return tuple(_staff(member, set(links or ()), _time_off(off or []))
                 for member, links, off in rows)


def _time_off(data: list[list[Any]]) -> list[TimeOff]:
    return [TimeOff(datetime.fromisoformat(start), datetime.fromisoformat(end), reason)
            for start, end, reason in data]
