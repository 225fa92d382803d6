"""The transactional outbox: messages to send, written in the same transaction as the change.

Contract for the dispatcher (the notifications issue builds it on this table):

- A row is a message of `kind` to deliver at or after `due_at` (UTC). `payload` is a JSON
  object holding everything needed to render and route it (ids, times as ISO strings, names);
  the dispatcher must not need to read the appointment to send it.
- `status` starts `pending`; the dispatcher picks `pending` rows with `due_at <= now` using
  `SELECT ... FOR UPDATE SKIP LOCKED`, sends, then sets `sent` (or `failed` after its last retry),
  incrementing `attempts` and recording `last_error` on each failure.
- `cancelled` rows are never sent: the booking services cancel pending reminders and calendar
  updates of an appointment that was cancelled or moved, in the transaction that changes it.
- `dedupe_key` is unique: writing the same logical message twice (a retried command) is a no-op,
  so producers build it from the appointment id, the kind and what makes the message distinct.
- `appointment_id` links booking messages to their appointment (NULL for others); it is how
  pending messages are cancelled.

Kinds written by the booking services: `confirmation`, `owner_notice`, `calendar_event`
(payload `op`: create/update/delete), `reminder`, `cancellation`, `reschedule`, `refund`,
`pending_payment`, `waitlist_offer`, `waitlist_expired`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.booking.messages import OutboxMessage
from scheduling.persistence import driver
from scheduling.persistence.orm import Base

Json = dict[str, Any]


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'cancelled')", name="status"),
        Index("ix_outbox_due", "status", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[Json] = mapped_column(JSONB)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"), index=True
    )
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)




def insert_sql(only_if: str = "") -> str:
    """Pending rows from the `%(o_rows)s` JSON array (`rows`), a duplicate `dedupe_key`
    skipped, in one statement; `only_if` is a FROM item the rows are written with, so a CTE
    that returned nothing (a refused appointment) writes none. One JSON parameter, not seven
    a message: psycopg caches the parsed form of a statement of at most 50 parameters."""
    source = f"{only_if}, " if only_if else ""
    return ("INSERT INTO outbox (id, kind, payload, due_at, status, attempts, created_at,"
            " appointment_id, dedupe_key) SELECT gen_random_uuid(), m.kind, m.payload, m.due_at,"
            " 'pending', 0, %(o_at)s::timestamptz, m.appointment_id, m.dedupe_key"
            f" FROM {source}jsonb_to_recordset(%(o_rows)s::jsonb) AS m(kind text, payload jsonb,"
            " due_at timestamptz, appointment_id uuid, dedupe_key text)"
            " ON CONFLICT (dedupe_key) DO NOTHING")


def rows(messages: Iterable[OutboxMessage], now: datetime) -> dict[str, object]:
    """The parameters of `insert_sql` for `messages` queued at `now`."""
    return {"o_at": now, "o_rows": Jsonb([
        {"kind": m.kind, "payload": m.payload, "due_at": m.due_at.isoformat(),
         "appointment_id": None if m.appointment_id is None else str(m.appointment_id),
         "dedupe_key": m.dedupe_key} for m in messages])}


INSERT_SQL = insert_sql()


class Outbox:
    """Writes and cancels messages on the caller's session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, messages: Iterable[OutboxMessage], now: datetime) -> None:
        batch = list(messages)
        if batch:
            await driver.run(self.session, INSERT_SQL, rows(batch, now))

    async def existing(self, dedupe_keys: Iterable[str]) -> set[str]:
        """Which of these messages were queued already (by any process, at any time)."""
        rows = await self.session.scalars(
            select(OutboxRow.dedupe_key).where(OutboxRow.dedupe_key.in_(list(dedupe_keys))))
        return set(rows)

    async def cancel_pending(self, appointment_id: uuid.UUID, kinds: Iterable[str]) -> None:
        """Withdraw messages that no longer make sense (reminders of a cancelled visit)."""
        await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.appointment_id == appointment_id, OutboxRow.status == "pending",
                   OutboxRow.kind.in_(list(kinds)))
            .values(status="cancelled")
        )
