"""Timed release rules, their early-access audiences and the waiting-room settings
(issue 20). Values: `scheduling.releases`, `scheduling.releases_settings`."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class ReleaseAudienceRow(Base):
    """A named early-access audience: customers on its list, and holders of its codes."""

    __tablename__ = "release_audiences"
    __table_args__ = (UniqueConstraint("business_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReleaseAudienceMemberRow(Base):
    __tablename__ = "release_audience_members"

    audience_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("release_audiences.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, index=True)


class ReleaseAudienceCodeRow(Base):
    """An access code, kept as its SHA-256 (hex) only: a code read from the database
    opens nothing."""

    __tablename__ = "release_audience_codes"

    audience_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("release_audiences.id", ondelete="CASCADE"), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReleaseRuleRow(Base):
    """`opens_at` is a wall-clock time in the business's zone; an audience in use by a rule
    cannot be deleted (no ON DELETE)."""

    __tablename__ = "release_rules"
    __table_args__ = (
        CheckConstraint(
            "period IN ('day', 'week') AND weekday BETWEEN 0 AND 6 AND lead BETWEEN 0 AND 52"
            " AND early_minutes BETWEEN 0 AND 20160"
            " AND (early_minutes = 0 OR audience_id IS NOT NULL)", name="values"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(4))
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens_at: Mapped[time] = mapped_column(Time)
    lead: Mapped[int] = mapped_column(SmallInteger)
    audience_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("release_audiences.id"))
    early_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WaitingRoomSettingsRow(Base):
    __tablename__ = "waiting_room_settings"
    __table_args__ = (
        CheckConstraint("threshold BETWEEN 1 AND 10000 AND admit_at_once BETWEEN 1 AND 100"
                        " AND hold_minutes BETWEEN 1 AND 60", name="values"),
    )

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    threshold: Mapped[int] = mapped_column(Integer)
    admit_at_once: Mapped[int] = mapped_column(Integer)
    hold_minutes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
