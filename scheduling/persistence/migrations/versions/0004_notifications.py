"""Notification delivery: outbox leases, delivery attempts, SMS opt-outs, alerts, reminder
offsets, and `appointments.confirmation_failed`.

Written from `persistence.notification_tables`; the appointments column is added here (with a
server default, so the booking side's inserts need not know it) because the appointment mapping
belongs to the booking module.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column(
        "appointments",
        sa.Column("confirmation_failed", sa.Boolean(), nullable=False, server_default="false"),
    )
    op.create_table(
        "outbox_deliveries",
        sa.Column("outbox_id", sa.Uuid(), nullable=False),
        sa.Column("claim_token", sa.Uuid(), nullable=True),
        _when("claimed_until", True),
        _when("next_attempt_at", True),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], ondelete="CASCADE",
                                name=op.f("fk_outbox_deliveries_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("outbox_id", name=op.f("pk_outbox_deliveries")),
    )
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("outbox_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("provider_message_id", sa.String(length=100), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        _when("at"),
        sa.CheckConstraint("status IN ('sent', 'failed', 'skipped')",
                           name=op.f("ck_delivery_attempts_status")),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], ondelete="CASCADE",
                                name=op.f("fk_delivery_attempts_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
    )
    op.create_index("ix_delivery_attempts_outbox", "delivery_attempts", ["outbox_id", "channel"])
    op.create_table(
        "sms_opt_outs",
        sa.Column("phone", sa.String(length=20), nullable=False),
        _when("opted_out_at"),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_sms_opt_outs")),
    )
    op.create_table(
        "notification_alerts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=True),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("outbox_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _when("created_at"),
        _when("resolved_at", True),
        sa.ForeignKeyConstraint(["business_id"], ["businesses.id"], ondelete="CASCADE",
                                name=op.f("fk_notification_alerts_business_id_businesses")),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="SET NULL",
                                name=op.f("fk_notification_alerts_appointment_id_appointments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_alerts")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_notification_alerts_outbox_id")),
    )
    op.create_index("ix_notification_alerts_business", "notification_alerts",
                    ["business_id", "created_at"])
    op.create_table(
        "reminder_offsets",
        sa.Column("scope_id", sa.Uuid(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("minutes", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["businesses.id"], ondelete="CASCADE",
                                name=op.f("fk_reminder_offsets_business_id_businesses")),
        sa.PrimaryKeyConstraint("scope_id", name=op.f("pk_reminder_offsets")),
    )
    op.create_index(op.f("ix_reminder_offsets_business_id"), "reminder_offsets", ["business_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_reminder_offsets_business_id"), table_name="reminder_offsets")
    op.drop_table("reminder_offsets")
    op.drop_index("ix_notification_alerts_business", table_name="notification_alerts")
    op.drop_table("notification_alerts")
    op.drop_table("sms_opt_outs")
    op.drop_index("ix_delivery_attempts_outbox", table_name="delivery_attempts")
    op.drop_table("delivery_attempts")
    op.drop_table("outbox_deliveries")
    op.drop_column("appointments", "confirmation_failed")
