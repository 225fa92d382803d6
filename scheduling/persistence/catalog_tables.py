"""Catalog rows: businesses, locations, staff, services, customers.

Weekly hours, closures, overrides and preferences are JSONB: they are read and written whole,
never queried by their parts, and a table per nested list would only add joins. Time off is a
table because it is queried by range and grows over the years.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base

Json = dict[str, Any]


def _created() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


def _business_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)


def _archived() -> Mapped[datetime | None]:
    """Set when the owner archives the row: no longer offered, still named by old
    appointments (which refer to it, so it is never deleted)."""
    return mapped_column(DateTime(timezone=True))


def _position() -> Mapped[int]:
    """The order the catalog lists things in, kept so a load returns what was saved."""
    return mapped_column(Integer, default=0)


class BusinessRow(Base):
    __tablename__ = "businesses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))
    contact: Mapped[Json] = mapped_column(JSONB)
    policies: Mapped[Json] = mapped_column(JSONB)
    message_parts: Mapped[Json] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = _created()


class LocationRow(Base):
    __tablename__ = "locations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = _business_fk()
    position: Mapped[int] = _position()
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(Text, default="")
    opening_hours: Mapped[Json] = mapped_column(JSONB)
    closures: Mapped[list[Json]] = mapped_column(JSONB)
    archived_at: Mapped[datetime | None] = _archived()
    created_at: Mapped[datetime] = _created()


class StaffRow(Base):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint("max_bookings_per_day IS NULL OR max_bookings_per_day > 0", name="max"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = _business_fk()
    position: Mapped[int] = _position()
    name: Mapped[str] = mapped_column(String(200))
    weekly_hours: Mapped[Json] = mapped_column(JSONB)
    breaks: Mapped[Json] = mapped_column(JSONB)
    overrides: Mapped[list[Json]] = mapped_column(JSONB)
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text))
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    max_bookings_per_day: Mapped[int | None] = mapped_column(Integer)
    google_calendar_id: Mapped[str | None] = mapped_column(String(320))
    archived_at: Mapped[datetime | None] = _archived()
    created_at: Mapped[datetime] = _created()


class StaffLocationRow(Base):
    __tablename__ = "staff_locations"

    staff_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )


class StaffTimeOffRow(Base):
    __tablename__ = "staff_time_off"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="order"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    staff_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")


DEPOSIT_CHECK = (
    "price >= 0 AND deposit >= 0 AND deposit_kind IN ('none', 'fixed', 'percent')"
    " AND deposit_for IN ('everyone', 'first_time', 'missed', 'first_time_or_missed')"
    " AND (deposit_kind <> 'none' OR deposit = 0)"
    " AND (deposit_kind <> 'fixed' OR deposit <= price)"
    " AND (deposit_kind <> 'percent' OR deposit <= 100)"
)
"""A deposit rule the catalog accepts (scheduling.deposit_rules), checked by the database too."""


class ServiceRow(Base):
    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0 AND slot_interval_minutes > 0", name="times"),
        CheckConstraint(DEPOSIT_CHECK, name="money"),
        CheckConstraint(
            "1 <= min_participants AND min_participants <= max_participants "
            "AND max_participants <= capacity",
            name="participants",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = _business_fk()
    position: Mapped[int] = _position()
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(ARRAY(Text))
    category: Mapped[str] = mapped_column(String(100), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    deposit: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    """The deposit rule's value: an amount (`deposit_kind` fixed) or a percentage."""
    deposit_kind: Mapped[str] = mapped_column(String(10), server_default="none")
    deposit_for: Mapped[str] = mapped_column(String(30), server_default="everyone")
    card_required: Mapped[bool] = mapped_column(Boolean, server_default=false())
    buffer_before_minutes: Mapped[int] = mapped_column(Integer)
    buffer_after_minutes: Mapped[int] = mapped_column(Integer)
    slot_interval_minutes: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    min_participants: Mapped[int] = mapped_column(Integer)
    max_participants: Mapped[int] = mapped_column(Integer)
    required_skills: Mapped[list[str]] = mapped_column(ARRAY(Text))
    location_type: Mapped[str] = mapped_column(String(20))
    location_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    min_notice_minutes: Mapped[int] = mapped_column(Integer)
    max_advance_days: Mapped[int] = mapped_column(Integer)
    cancellation: Mapped[Json | None] = mapped_column(JSONB)
    archived_at: Mapped[datetime | None] = _archived()
    created_at: Mapped[datetime] = _created()


class CustomerRow(Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("business_id", "phone", name="uq_customers_phone"),
                      Index("ix_customers_email", "business_id", "email"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = _business_fk()
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    phone_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    notifications: Mapped[Json] = mapped_column(JSONB)
    preferences: Mapped[Json] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _created()
