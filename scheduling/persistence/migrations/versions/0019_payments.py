"""Payments through a provider: checkout sessions, webhook events already handled, refunds.

`booking_rules.deposits_online`: whether the business takes deposits online before confirming
(false, the default: the booking is confirmed and the deposit paid at the salon).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
MONEY = sa.Numeric(12, 2)


def upgrade() -> None:
    op.add_column("booking_rules", sa.Column("deposits_online", sa.Boolean(), nullable=False,
                                             server_default=sa.text("false")))
    op.create_table(
        "payment_checkouts",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.String(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE",
                                name="fk_payment_checkouts_appointment_id_appointments"),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_payment_checkouts"),
        sa.UniqueConstraint("session_id", name="uq_payment_checkouts_session_id"),
    )
    op.create_table(
        "payment_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="SET NULL",
                                name="fk_payment_events_appointment_id_appointments"),
        sa.PrimaryKeyConstraint("event_id", name="pk_payment_events"),
    )
    op.create_table(
        "payment_refunds",
        sa.Column("outbox_id", sa.Uuid(), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("payment_reference", sa.String(length=255), nullable=False),
        sa.Column("provider_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE",
                                name="fk_payment_refunds_appointment_id_appointments"),
        sa.PrimaryKeyConstraint("outbox_id", name="pk_payment_refunds"),
    )
    op.create_index("ix_payment_refunds_appointment_id", "payment_refunds", ["appointment_id"])


def downgrade() -> None:
    op.drop_index("ix_payment_refunds_appointment_id", table_name="payment_refunds")
    op.drop_table("payment_refunds")
    op.drop_table("payment_events")
    op.drop_table("payment_checkouts")
    op.drop_column("booking_rules", "deposits_online")
