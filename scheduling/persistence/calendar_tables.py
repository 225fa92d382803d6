"""Calendar connection state: who is connected to Google, which channels watch their calendars,
how far each calendar is synced, and which Google event stands for which appointment.

Pure SQLAlchemy so `scheduling.persistence.tables` can list it without importing
`calendar_sync`; only `calendar_sync` reads and writes these rows. Tokens are stored encrypted
(`token_cipher`) by `calendar_sync`, never in the clear.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base

CONNECTION_STATUSES_SQL = "status IN ('active', 'revoked', 'error', 'disconnected')"


class CalendarConnectionRow(Base):
    """One Google account connected for one staff member.

    `calendar_ids` are read for busy time; events are written to `event_calendar_id`.
    `busy_version` grows on every push notification, so every process's busy-time cache can
    tell its copy is stale with the query it makes anyway.
    """

    __tablename__ = "calendar_connections"
    __table_args__ = (
        CheckConstraint(CONNECTION_STATUSES_SQL, name="status"),
        UniqueConstraint("staff_id", name="uq_calendar_connections_staff"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    account_email: Mapped[str | None] = mapped_column(String(320))
    calendar_ids: Mapped[list[str]] = mapped_column(ARRAY(String(1024)))
    event_calendar_id: Mapped[str] = mapped_column(String(1024))
    token_cipher: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    last_error: Mapped[str | None] = mapped_column(Text)
    busy_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarChannelRow(Base):
    """A Google push channel (`events.watch`) on one calendar of a connection."""

    __tablename__ = "calendar_channels"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("calendar_connections.id", ondelete="CASCADE"), index=True
    )
    calendar_id: Mapped[str] = mapped_column(String(1024))
    resource_id: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CalendarSyncStateRow(Base):
    """The incremental-sync position (`nextSyncToken`) of one calendar of a connection."""

    __tablename__ = "calendar_sync_states"

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("calendar_connections.id", ondelete="CASCADE"), primary_key=True
    )
    calendar_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    sync_token: Mapped[str | None] = mapped_column(Text)
    synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CalendarEventLinkRow(Base):
    """The Google event of an appointment, with the times we last agreed on with Google.

    A move keeps the event and points the link at the new appointment; `starts_at`/`ends_at`
    let incremental sync tell an owner's move in Google from our own patch echoing back.
    """

    __tablename__ = "calendar_event_links"
    __table_args__ = (
        UniqueConstraint("connection_id", "calendar_id", "event_id",
                         name="uq_calendar_event_links_event"),
    )

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True
    )
    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("calendar_connections.id", ondelete="CASCADE")
    )
    calendar_id: Mapped[str] = mapped_column(String(1024))
    event_id: Mapped[str] = mapped_column(String(1024))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    meet_link: Mapped[str | None] = mapped_column(Text)
    sync_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarSettingsRow(Base):
    """Per business: whether the customer is invited to the owner's Google event."""

    __tablename__ = "calendar_settings"

    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True
    )
    invite_customer: Mapped[bool] = mapped_column(Boolean, default=False)
