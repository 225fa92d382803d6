"""Google Calendar state: connections (encrypted tokens), watch channels, sync tokens, the
Google event of each appointment, and the per-business invitation setting.

Mirrors `scheduling.persistence.calendar_tables`; branches from 0003 beside the notifications
migration (0004), and `upgrade` goes to every head.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _owner(table: str, column: str, parent: str) -> sa.Column[object]:
    name = f"fk_{table}_{column}_{parent}"
    foreign = sa.ForeignKey(f"{parent}.id", ondelete="CASCADE", name=name)
    return sa.Column(column, sa.Uuid(), foreign, nullable=False)


def _calendar(name: str = "calendar_id") -> sa.Column[object]:
    return sa.Column(name, sa.String(1024), nullable=False)


def upgrade() -> None:
    op.create_table(
        "calendar_connections",
        sa.Column("id", sa.Uuid(), nullable=False),
        _owner("calendar_connections", "staff_id", "staff"),
        sa.Column("account_email", sa.String(320), nullable=True),
        sa.Column("calendar_ids", ARRAY(sa.String(1024)), nullable=False),
        _calendar("event_calendar_id"),
        sa.Column("token_cipher", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("busy_version", sa.Integer(), nullable=False),
        _when("created_at"), _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_connections"),
        sa.UniqueConstraint("staff_id", name="uq_calendar_connections_staff"),
        sa.CheckConstraint(
            "status IN ('active', 'revoked', 'error', 'disconnected')",
            name="ck_calendar_connections_status",
        ),
    )
    op.create_table(
        "calendar_channels",
        sa.Column("id", sa.String(64), nullable=False),
        _owner("calendar_channels", "connection_id", "calendar_connections"),
        _calendar(),
        sa.Column("resource_id", sa.String(200), nullable=False),
        sa.Column("token", sa.String(200), nullable=False),
        _when("expires_at"),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_channels"),
    )
    op.create_index("ix_calendar_channels_connection_id", "calendar_channels", ["connection_id"])
    op.create_index("ix_calendar_channels_expires_at", "calendar_channels", ["expires_at"])
    op.create_table(
        "calendar_sync_states",
        _owner("calendar_sync_states", "connection_id", "calendar_connections"),
        _calendar(),
        sa.Column("sync_token", sa.Text(), nullable=True),
        _when("synced_at", nullable=True),
        sa.PrimaryKeyConstraint("connection_id", "calendar_id", name="pk_calendar_sync_states"),
    )
    _links()
    op.create_table(
        "calendar_settings",
        _owner("calendar_settings", "business_id", "businesses"),
        sa.Column("invite_customer", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("business_id", name="pk_calendar_settings"),
    )


def _links() -> None:
    op.create_table(
        "calendar_event_links",
        _owner("calendar_event_links", "appointment_id", "appointments"),
        _owner("calendar_event_links", "connection_id", "calendar_connections"),
        _calendar(),
        sa.Column("event_id", sa.String(1024), nullable=False),
        _when("starts_at"), _when("ends_at"),
        sa.Column("meet_link", sa.Text(), nullable=True),
        sa.Column("sync_note", sa.Text(), nullable=True),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_calendar_event_links"),
        sa.UniqueConstraint(
            "connection_id", "calendar_id", "event_id", name="uq_calendar_event_links_event"
        ),
    )


def downgrade() -> None:
    for table in (
        "calendar_settings", "calendar_event_links", "calendar_sync_states", "calendar_channels",
        "calendar_connections",
    ):
        op.drop_table(table)
