"""The rest of a recurring series, as the front desk's "cancel this and the rest" sees it: the
occurrences linked by the same `series_id` that start at or after a given one and are still
booked (pending or confirmed), earliest first. A moved occurrence keeps its series, so its new
time is found and its old one (rescheduled) is not."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduling.booking.model import BOOKED, Appointment
from scheduling.persistence import booking_codec as codec
from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.database import make_session_factory


async def rest_of_series(engine: AsyncEngine, appointment: Appointment
                         ) -> tuple[Appointment, ...]:
    """`appointment` (when still booked) and its series' booked occurrences after it; none
    for an appointment outside a series."""
    if appointment.series_id is None:
        return ()
    async with make_session_factory(engine)() as session:
        rows = await session.scalars(
            select(A).where(A.series_id == appointment.series_id,
                            A.starts_at >= appointment.start,
                            A.status.in_(sorted(s.value for s in BOOKED)))
            .order_by(A.starts_at, A.id))
        return tuple(codec.appointment(row) for row in rows)
