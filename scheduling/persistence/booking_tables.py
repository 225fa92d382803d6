"""Appointment rows, group-session seat counters, series, rules, blocklist and audit trail.

The integrity rule lives here and in migration 0003, not only in code: an appointment blocks
its staff member over `[blocked_start, blocked_end)` = `[start - buffer_before, end +
buffer_after)`, and while it is held, pending or confirmed no other active row of the same
staff member may have an overlapping blocked range. Both buffers count because each side keeps
its own margin clear (a 10-minute clean-up after one cut and a 5-minute set-up before the next
need 15 minutes between them, not 10). Rows of one group session share `session_id` and may
overlap each other; their seats are counted in `group_sessions` under a row lock.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base

Json = dict[str, Any]
ACTIVE_SQL = "status IN ('held', 'pending', 'confirmed')"
STATUSES_SQL = (
    "status IN ('held', 'pending', 'confirmed', 'completed', 'no_show', 'cancelled', "
    "'late_cancel', 'rescheduled')"
)


def _when(nullable: bool = False) -> Mapped[Any]:
    return mapped_column(DateTime(timezone=True), nullable=nullable)


def _fk(target: str, nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[Any]:
    return mapped_column(ForeignKey(target, ondelete=ondelete), nullable=nullable)


def _money(nullable: bool = False) -> Mapped[Any]:
    return mapped_column(Numeric(12, 2), nullable=nullable)


class AppointmentRow(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        ExcludeConstraint(
            (text("staff_id"), "="),
            (text("tstzrange(blocked_start, blocked_end, '[)')"), "&&"),
            (text("session_id"), "<>"),
            name="ex_appointments_staff_time",
            using="gist",
            where=text(ACTIVE_SQL),
        ),
        UniqueConstraint("idempotency_key", "business_id", name="uq_appointments_idempotency"),
        CheckConstraint(
            "blocked_start <= starts_at AND starts_at < ends_at AND ends_at <= blocked_end",
            name="times",
        ),
        CheckConstraint(STATUSES_SQL, name="status"),
        CheckConstraint("status = 'held' OR customer_id IS NOT NULL", name="customer"),
        CheckConstraint("status <> 'held' OR hold_expires_at IS NOT NULL", name="hold"),
        CheckConstraint("seats >= 1", name="seats"),
        Index("ix_appointments_staff_start", "staff_id", "starts_at"),
        Index("ix_appointments_business_start", "business_id", "starts_at", "id"),
        Index("ix_appointments_customer_status", "customer_id", "status"),
        Index("ix_appointments_series", "series_id",
              postgresql_where=text("series_id IS NOT NULL")),
        Index("ix_appointments_contact_phone", "business_id", "contact_phone", "created_at"),
        Index("ix_appointments_contact_email", "business_id", text("lower(contact_email)"),
              "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = _fk("businesses.id")
    customer_id: Mapped[uuid.UUID | None] = _fk("customers.id", nullable=True)
    service_id: Mapped[uuid.UUID] = _fk("services.id")
    staff_id: Mapped[uuid.UUID] = _fk("staff.id")
    location_id: Mapped[uuid.UUID] = _fk("locations.id")
    session_id: Mapped[uuid.UUID] = mapped_column()
    starts_at: Mapped[datetime] = _when()
    ends_at: Mapped[datetime] = _when()
    blocked_start: Mapped[datetime] = _when()
    blocked_end: Mapped[datetime] = _when()
    customer_time_zone: Mapped[str] = mapped_column(String(64))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    price: Mapped[Decimal] = _money()
    seats: Mapped[int] = mapped_column(Integer)
    participants: Mapped[list[Json]] = mapped_column(JSONB)
    notes: Mapped[str] = mapped_column(Text)
    location_type: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(Text)
    meeting_link: Mapped[str | None] = mapped_column(Text)
    payment_required: Mapped[bool] = mapped_column(Boolean)
    payment_amount: Mapped[Decimal] = _money()
    payment_status: Mapped[str] = mapped_column(String(20))
    payment_reference: Mapped[str | None] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    hold_expires_at: Mapped[datetime | None] = _when(nullable=True)
    series_id: Mapped[uuid.UUID | None] = _fk("booking_series.id", True, "SET NULL")
    rescheduled_from: Mapped[uuid.UUID | None] = _fk("appointments.id", True, "SET NULL")
    rescheduled_to: Mapped[uuid.UUID | None] = _fk("appointments.id", True, "SET NULL")
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancel_fee: Mapped[Decimal | None] = _money(nullable=True)
    refund_amount: Mapped[Decimal | None] = _money(nullable=True)
    cancelled_at: Mapped[datetime | None] = _when(nullable=True)
    checked_in_at: Mapped[datetime | None] = _when(nullable=True)
    created_at: Mapped[datetime] = _when()
    confirmed_at: Mapped[datetime | None] = _when(nullable=True)
    completed_at: Mapped[datetime | None] = _when(nullable=True)
    updated_at: Mapped[datetime] = _when()
    confirmation_failed: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    """Set by the notifications side (migration 0004) when the confirmation never arrived."""


class GroupSessionRow(Base):
    """Seats taken in one session of a capacity service; updated only under its row lock."""

    __tablename__ = "group_sessions"
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    staff_id: Mapped[uuid.UUID] = _fk("staff.id")
    service_id: Mapped[uuid.UUID] = _fk("services.id")
    starts_at: Mapped[datetime] = _when()
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer)


class SeriesRow(Base):
    __tablename__ = "booking_series"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = _fk("businesses.id")
    customer_id: Mapped[uuid.UUID] = _fk("customers.id")
    rule: Mapped[Json] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _when()


class BookingRulesRow(Base):
    __tablename__ = "booking_rules"

    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True
    )
    max_active_per_customer: Mapped[int] = mapped_column(Integer)
    require_approval: Mapped[bool] = mapped_column(Boolean)
    hold_minutes: Mapped[int] = mapped_column(Integer)
    claim_window_minutes: Mapped[int] = mapped_column(Integer)
    no_show_grace_minutes: Mapped[int] = mapped_column(Integer)
    payment_window_minutes: Mapped[int] = mapped_column(Integer, server_default=text("30"))
    max_per_contact_day: Mapped[int] = mapped_column(Integer, server_default=text("4"))
    max_per_contact_week: Mapped[int] = mapped_column(Integer, server_default=text("10"))
    max_live_holds_per_customer: Mapped[int] = mapped_column(Integer, server_default=text("2"))
    deposits_online: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class CustomerBlockRow(Base):
    """Customers the business no longer accepts bookings from."""

    __tablename__ = "customer_blocks"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BookingEventRow(Base):
    """The audit trail of appointments, holds, series and waitlist entries: one row a change."""

    __tablename__ = "booking_events"
    __table_args__ = (Index("ix_booking_events_subject", "subject_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[uuid.UUID] = mapped_column()
    at: Mapped[datetime] = _when()
    actor: Mapped[str] = mapped_column(String(10))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    data: Mapped[Json | None] = mapped_column(JSONB)
