"""Reminder rows for an appointment: one per lead time, none for a moment already past.

Lead times come from the service, else its business, else `DEFAULT_OFFSETS` (24 h and 1 h).
The booking services write the rows `reminder_messages` returns in the booking transaction, so a
booked appointment cannot exist without its reminders; cancelling or moving the appointment
cancels the pending ones (`Outbox.cancel_pending`) and a move plans new ones for the new time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.messages import OutboxMessage
from scheduling.errors import InvalidRequest
from scheduling.persistence.notification_tables import ReminderOffsetsRow

Json = dict[str, Any]
DEFAULT_OFFSETS = (timedelta(hours=24), timedelta(hours=1))


def reminder_messages(
    appointment_id: UUID, start: datetime, payload: Json, offsets: Iterable[timedelta],
    now: datetime,
) -> list[OutboxMessage]:
    """Earliest first; the dedupe key names the lead time, so re-planning adds nothing twice."""
    out = []
    for offset in sorted(set(offsets), reverse=True):
        due = start - offset
        if due <= now:
            continue
        minutes = int(offset.total_seconds() // 60)
        extra = {"minutes_before": minutes, "hours_before": minutes // 60}
        out.append(OutboxMessage("reminder", f"reminder:{appointment_id}:{minutes}m", due,
                                 payload | extra, appointment_id))
    return out


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
