"""Payments through a provider (Stripe): the checkout a pending booking pays through, the
webhook events already handled, and the refunds sent.

The appointment row keeps the payment's state (`payment_status`, `payment_reference`: the
provider's payment id once paid); these rows keep what the provider said and when, so a
replayed webhook or a retried refund is recognised rather than applied twice.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class CheckoutRow(Base):
    """The one live checkout of a booking: reused while it lasts, replaced once expired."""

    __tablename__ = "payment_checkouts"

    appointment_id: Mapped[UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(255), unique=True)
    url: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PaymentEventRow(Base):
    """A webhook event, by the provider's id: inserted in the transaction that applies it, so
    a replay finds it and changes nothing."""

    __tablename__ = "payment_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    appointment_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RefundRow(Base):
    """A refund asked of the provider, one per cancellation (keyed by its outbox message, the
    idempotency key the provider sees on every retry)."""

    __tablename__ = "payment_refunds"

    outbox_id: Mapped[UUID] = mapped_column(primary_key=True)
    appointment_id: Mapped[UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    payment_reference: Mapped[str] = mapped_column(String(255))
    provider_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
