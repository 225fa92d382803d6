"""Saved cards and fees (issue 17): the payment method a customer agreed, at checkout, to keep
for the business's late-cancel and no-show fees, and each fee charged or asked for.

`saved_cards`: one per appointment (the Stripe customer and payment method from its deposit
checkout), with the customer it belongs to. `payment_fees`: one per appointment and kind of
fee, keyed by the outbox message that queued it (the idempotency key the provider sees).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "saved_cards",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("provider_customer", sa.String(length=255), nullable=False),
        sa.Column("payment_method", sa.String(length=255), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE",
                                name="fk_saved_cards_appointment_id_appointments"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="SET NULL",
                                name="fk_saved_cards_customer_id_customers"),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_saved_cards"),
    )
    op.create_index("ix_saved_cards_customer_id", "saved_cards", ["customer_id"])
    op.create_table(
        "payment_fees",
        sa.Column("outbox_id", sa.Uuid(), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("provider_id", sa.String(length=255), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE",
                                name="fk_payment_fees_appointment_id_appointments"),
        sa.PrimaryKeyConstraint("outbox_id", name="pk_payment_fees"),
        sa.UniqueConstraint("appointment_id", "kind", name="uq_payment_fees_appointment_id"),
    )


def downgrade() -> None:
    op.drop_table("payment_fees")
    op.drop_index("ix_saved_cards_customer_id", table_name="saved_cards")
    op.drop_table("saved_cards")
