"""`waiting_room`: a queue per service and local day in front of slot selection (issue 20):
rooms, places (ordered by one identity sequence, one live or booked place per customer) and
the audit of entries and admissions.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "waiting_rooms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("release_at", WHEN, nullable=True),
        sa.Column("release_rule_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_waiting_rooms"),
    )
    op.create_index("uq_waiting_rooms_service_day", "waiting_rooms", ["service_id", "day"],
                    unique=True)
    op.create_table(
        "waiting_room_places",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("entered_at", WHEN, nullable=False),
        sa.Column("last_seen_at", WHEN, nullable=False),
        sa.Column("admitted_at", WHEN, nullable=True),
        sa.Column("hold_until", WHEN, nullable=True),
        sa.Column("ended_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["room_id"], ["waiting_rooms.id"], ondelete="CASCADE",
                                name="fk_waiting_room_places_room_id_waiting_rooms"),
        sa.PrimaryKeyConstraint("id", name="pk_waiting_room_places"),
        sa.UniqueConstraint("seq", name="uq_waiting_room_places_seq"),
    )
    op.create_index("uq_waiting_room_places_customer", "waiting_room_places",
                    ["room_id", "customer_id"], unique=True,
                    postgresql_where=sa.text(
                        "state IN ('waiting', 'admitted', 'booking', 'booked')"))
    op.create_index("ix_waiting_room_places_queue", "waiting_room_places",
                    ["room_id", "state", "seq"])
    op.create_table(
        "waiting_room_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("place_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["waiting_rooms.id"], ondelete="CASCADE",
                                name="fk_waiting_room_events_room_id_waiting_rooms"),
        sa.PrimaryKeyConstraint("id", name="pk_waiting_room_events"),
    )
    op.create_index("ix_waiting_room_events_room_at", "waiting_room_events", ["room_id", "at"])


def downgrade() -> None:
    op.drop_table("waiting_room_events")
    op.drop_table("waiting_room_places")
    op.drop_table("waiting_rooms")
