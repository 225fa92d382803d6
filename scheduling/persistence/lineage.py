"""Which calendar event an appointment is: the first appointment of its reschedule chain.

A move creates a new appointment linked by `rescheduled_from`; the customer's calendar must see
the same event updated, so the .ics UID comes from the chain's first appointment and SEQUENCE
counts the moves.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.persistence.booking_tables import AppointmentRow


async def lineage(session: AsyncSession, appointment_id: UUID) -> tuple[UUID, int]:
    """The chain's first appointment id and the number of moves since (0 if never moved)."""
    base = select(AppointmentRow.id, AppointmentRow.rescheduled_from,
                  literal(0).label("depth")).where(AppointmentRow.id == appointment_id)
    chain = base.cte("chain", recursive=True)
    step = select(AppointmentRow.id, AppointmentRow.rescheduled_from,
                  (chain.c.depth + 1).label("depth")).join(
        chain, AppointmentRow.id == chain.c.rescheduled_from)
    chain = chain.union_all(step)
    row = (await session.execute(
        select(chain.c.id, chain.c.depth).order_by(chain.c.depth.desc()).limit(1)
    )).first()
    if row is None:
        return appointment_id, 0
    return row.id, int(row.depth)
