"""Saved cards and fees: the payment method a customer agreed to keep for the business's
late-cancel and no-show fees (from the deposit's checkout), and each fee charged to it or asked
for with a pay link. The outbox message that queued a fee is its key, and the idempotency key
the provider sees on every try, so a fee is charged at most once."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class SavedCardRow(Base):
    __tablename__ = "saved_cards"

    appointment_id: Mapped[UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    provider_customer: Mapped[str] = mapped_column(String(255))
    payment_method: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeeRow(Base):
    """status: retrying, charged, declined (a pay link sent), requested (no card: a pay link
    sent), paid (through the pay link, or at the desk: `provider_id` "in person (cash)" and a
    fresh id for the key, no message having queued it), failed."""

    __tablename__ = "payment_fees"
    __table_args__ = (UniqueConstraint("appointment_id", "kind"),)

    outbox_id: Mapped[UUID] = mapped_column(primary_key=True)
    appointment_id: Mapped[UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
