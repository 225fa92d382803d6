"""The front-desk calendar's one read: the appointments a range of local days at a location
touches, as frozen `Visit` values (the customer's name included), for `desk.calendar.plan`.

Holds are left out: a customer still deciding is not yet on the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduling.booking.model import Status
from scheduling.desk.calendar import Visit
from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.catalog_tables import CustomerRow as C
from scheduling.persistence.database import make_session_factory

LIMIT = 5000
"""A week of a large salon is a few hundred; the cap only bounds a pathological range."""


async def visits(engine: AsyncEngine, business_id: UUID, location_id: UUID,
                 staff_ids: Sequence[UUID], start: datetime, end: datetime) -> list[Visit]:
    """Appointments overlapping `[start, end)` at the location, or of the given staff anywhere
    (their bookings at another branch are time they are not here)."""
    where = or_(A.location_id == location_id, A.staff_id.in_(list(staff_ids))) \
        if staff_ids else A.location_id == location_id
    query = (select(A, C.name).outerjoin(C, C.id == A.customer_id)
             .where(A.business_id == business_id, A.status != Status.HELD.value,
                    A.starts_at < end, A.ends_at > start, where)
             .order_by(A.starts_at, A.id).limit(LIMIT))
    async with make_session_factory(engine)() as session:
        return [_visit(row, name) for row, name in (await session.execute(query)).all()]


def _visit(row: A, customer: str | None) -> Visit:
    """The name the appointment was booked with, else the customer's profile name."""
    return Visit(
        id=row.id, staff_id=row.staff_id, location_id=row.location_id,
        service_id=row.service_id, start=row.starts_at, end=row.ends_at,
        status=Status(row.status), customer=row.contact_name or customer or "(no name)",
        seats=row.seats, checked_in=row.checked_in_at is not None,
        deposit_due=row.payment_required and row.payment_status == "pending",
        buffer_before=row.starts_at - row.blocked_start,
        buffer_after=row.blocked_end - row.ends_at,
    )
