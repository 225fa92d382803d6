"""Reminder lead times per business or service (`reminder_offsets`); the planning of the rows
themselves is pure (`scheduling.notifications.reminders`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.errors import InvalidRequest
from scheduling.notifications.reminders import DEFAULT_OFFSETS
from scheduling.persistence.notification_tables import ReminderOffsetsRow


async def offsets_for(
    session: AsyncSession, business_id: UUID, service_id: UUID
) -> tuple[timedelta, ...]:
    """The service's lead times, else the business's, else the defaults."""
    rows = {
        row.scope_id: row.minutes
        for row in await session.scalars(
            select(ReminderOffsetsRow).where(
                ReminderOffsetsRow.scope_id.in_([service_id, business_id])
            )
        )
    }
    minutes = rows.get(service_id, rows.get(business_id))
    if minutes is None:
        return DEFAULT_OFFSETS
    return tuple(timedelta(minutes=m) for m in minutes)


async def set_offsets(
    session: AsyncSession, business_id: UUID, scope_id: UUID, offsets: Iterable[timedelta]
) -> None:
    """Set the lead times of a business (`scope_id` = its id) or of one service; no commit."""
    minutes = sorted({int(o.total_seconds() // 60) for o in offsets}, reverse=True)
    if any(m <= 0 for m in minutes):
        raise InvalidRequest("reminder lead times must be positive", field="offsets")
    statement = insert(ReminderOffsetsRow).values(
        scope_id=scope_id, business_id=business_id, minutes=minutes
    )
    await session.execute(statement.on_conflict_do_update(
        index_elements=["scope_id"], set_={"minutes": minutes}
    ))
