"""Reminder rows for an appointment: one per lead time, none for a moment already past.

Lead times come from the service, else its business, else `DEFAULT_OFFSETS` (24 h and 1 h),
read by `scheduling.persistence.reminder_offsets`.
The booking services write the rows `reminder_messages` returns in the booking transaction, so a
booked appointment cannot exist without its reminders; cancelling or moving the appointment
cancels the pending ones (`Outbox.cancel_pending`) and a move plans new ones for the new time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from scheduling.booking.messages import OutboxMessage

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
