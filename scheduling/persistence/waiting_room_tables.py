"""The waiting room's state, shared by every gateway replica: rooms, places and the audit.

Nothing is kept in a process: a place is a row, its order is its `seq`, and an admission round
is one transaction under the room's advisory lock (`waiting_room_store`).
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Identity, Index, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class WaitingRoomRow(Base):
    """One service on one local day. `release_at` (set for a timed release) admits nobody
    before it; with `release_rule_id`, `(release_rule_id, release_at)` names the release."""

    __tablename__ = "waiting_rooms"
    __table_args__ = (Index("uq_waiting_rooms_service_day", "service_id", "day", unique=True),)

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    business_id: Mapped[UUID] = mapped_column(Uuid)
    service_id: Mapped[UUID] = mapped_column(Uuid)
    day: Mapped[date] = mapped_column(Date)
    release_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    release_rule_id: Mapped[UUID | None] = mapped_column(Uuid)
    """The release rule whose opening (`release_at`) started the room; None when demand did."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WaitingPlaceRow(Base):
    """A customer's place. One per customer in a room while it is live or booked: a contact
    behind many senders or cookies is one customer, so it gets one place."""

    __tablename__ = "waiting_room_places"
    __table_args__ = (
        Index("uq_waiting_room_places_customer", "room_id", "customer_id", unique=True,
              postgresql_where=text("state IN ('waiting', 'admitted', 'booking', 'booked')")),
        Index("ix_waiting_room_places_queue", "room_id", "state", "seq"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True)
    """Arrival order across every replica (one sequence in the database)."""
    room_id: Mapped[UUID] = mapped_column(ForeignKey("waiting_rooms.id", ondelete="CASCADE"))
    customer_id: Mapped[UUID] = mapped_column(Uuid)
    channel: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    admitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hold_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WaitingRoomEventRow(Base):
    """The audit: who entered when, who was admitted when, who booked, left or timed out.
    Written in the transaction that changed the place; never updated."""

    __tablename__ = "waiting_room_events"
    __table_args__ = (Index("ix_waiting_room_events_room_at", "room_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    room_id: Mapped[UUID] = mapped_column(ForeignKey("waiting_rooms.id", ondelete="CASCADE"))
    place_id: Mapped[UUID] = mapped_column(Uuid)
    customer_id: Mapped[UUID] = mapped_column(Uuid)
    event: Mapped[str] = mapped_column(String(10))
    """entered, admitted, booked, left or expired (the place's new state, `waiting` as
    `entered`)."""
    channel: Mapped[str] = mapped_column(String(10))
    client: Mapped[str | None] = mapped_column(String(64))
    """The client network the request came from (entered only), for spotting farms."""
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
