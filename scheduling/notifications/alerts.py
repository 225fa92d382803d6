"""A message that failed for good: mark it failed and, for a confirmation, tell the business.

A customer who never got their confirmation may not come, or may come at the wrong time, so
the appointment is flagged `confirmation_failed`, an alert row is written for the admin
dashboard, and an `owner_alert` e-mail is queued through the same outbox, all in the
transaction that marks the message failed: the failure cannot be recorded without its alert.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.messages import OutboxMessage
from scheduling.notifications.store import Attempt, Claimed, finish, record
from scheduling.persistence.notification_tables import APPOINTMENT_FLAGS, NotificationAlertRow
from scheduling.persistence.outbox import Outbox

Json = dict[str, Any]
ALERT_KINDS = frozenset({"confirmation"})


async def mark_failed(session: AsyncSession, message: Claimed, attempts: list[Attempt],
                      now: datetime, error: str) -> None:
    await record(session, message, attempts, now)
    await finish(session, message, status="failed", attempts=message.attempts + 1,
                 last_error=error)
    if message.kind in ALERT_KINDS:
        await _alert(session, message, now, error)
    await session.commit()


async def _alert(session: AsyncSession, message: Claimed, now: datetime, error: str) -> None:
    payload = message.payload
    text = f"The {message.kind} for {payload.get('service', 'an appointment')} at " \
           f"{payload.get('start', '?')} could not be delivered: {error}"
    business = payload.get("business_id")
    await session.execute(insert(NotificationAlertRow).values(
        business_id=business, appointment_id=message.appointment_id, outbox_id=message.id,
        kind=f"{message.kind}_failed", message=text, created_at=now,
    ).on_conflict_do_nothing(index_elements=["outbox_id"]))
    if message.appointment_id is not None:
        await session.execute(update(APPOINTMENT_FLAGS)
                              .where(APPOINTMENT_FLAGS.c.id == message.appointment_id)
                              .values(confirmation_failed=True))
    owner = OutboxMessage("owner_alert", f"owner_alert:{message.id}", now,
                          payload | {"failed_kind": message.kind, "error": error},
                          message.appointment_id)
    await Outbox(session).add([owner], now)


async def open_alerts(session: AsyncSession, business_id: Any) -> list[NotificationAlertRow]:
    """Unresolved alerts of a business, newest first: what the admin dashboard lists."""
    rows = await session.scalars(
        select(NotificationAlertRow)
        .where(NotificationAlertRow.business_id == business_id,
               NotificationAlertRow.resolved_at.is_(None))
        .order_by(NotificationAlertRow.created_at.desc())
    )
    return list(rows)
