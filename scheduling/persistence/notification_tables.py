"""Delivery state of outbox messages: leases, attempts, SMS opt-outs, alerts, reminder offsets.

The outbox row (`persistence.outbox`) says *what* to send; these tables say *how it went*. The
lease lives in `outbox_deliveries` rather than on the outbox row so that the booking side's
table stays exactly what its services write, and the dispatcher's bookkeeping stays ours.
`appointments.confirmation_failed` is added by migration 0004 and written through
`APPOINTMENT_FLAGS`, a lightweight table clause, because the appointment mapping is not ours.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    column,
    table,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base

APPOINTMENT_FLAGS = table(
    "appointments",
    column("id"),
    column("confirmation_failed", Boolean),
)
"""The one appointment column the notifications side writes (see the module docstring)."""


def _when(nullable: bool = False) -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=nullable)


class OutboxDeliveryRow(Base):
    """The lease on an outbox row and when it may next be tried.

    A row here with `claimed_until` in the future means some dispatcher is sending the message;
    after that moment the lease is considered lost (the dispatcher died) and the row is claimable
    again. `claims` counts leases taken, so a claim that finds `claims > attempts` knows an
    earlier send ended with an unknown outcome.
    """

    __tablename__ = "outbox_deliveries"

    outbox_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True
    )
    claim_token: Mapped[uuid.UUID | None] = mapped_column()
    claimed_until: Mapped[datetime | None] = _when(nullable=True)
    next_attempt_at: Mapped[datetime | None] = _when(nullable=True)
    claims: Mapped[int] = mapped_column(Integer, default=0)


class DeliveryAttemptRow(Base):
    """One try to hand one message to one provider on one channel, whatever its outcome."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (
        CheckConstraint("status IN ('sent', 'failed', 'skipped')", name="status"),
        Index("ix_delivery_attempts_outbox", "outbox_id", "channel"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    outbox_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    provider: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(320))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10))
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = _when()


class SmsOptOutRow(Base):
    """Numbers that texted STOP; the SMS channel skips them until they text START."""

    __tablename__ = "sms_opt_outs"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    opted_out_at: Mapped[datetime] = _when()


class NotificationAlertRow(Base):
    """Something the business must act on (a confirmation that could not be delivered)."""

    __tablename__ = "notification_alerts"
    __table_args__ = (Index("ix_notification_alerts_business", "business_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    business_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE")
    )
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )
    outbox_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _when()
    resolved_at: Mapped[datetime | None] = _when(nullable=True)


class ReminderOffsetsRow(Base):
    """Reminder lead times in minutes, set for a whole business or for one of its services.

    `scope_id` is the service's id or the business's id: a service's row wins over its
    business's, and with neither the defaults apply (`notifications.reminders.DEFAULT_OFFSETS`).
    """

    __tablename__ = "reminder_offsets"

    scope_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    minutes: Mapped[list[int]] = mapped_column(ARRAY(Integer))
