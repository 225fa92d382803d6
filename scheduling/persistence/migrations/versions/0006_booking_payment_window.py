"""Booking rules: how long a pending booking may wait for its deposit before it is released.

Mirrors `BookingRulesRow.payment_window_minutes`; branches from 0003 (where `booking_rules`
is created) beside the other feature migrations, and `upgrade` goes to every head.

Revision ID: 0006_payment_window
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_payment_window"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "booking_rules",
        sa.Column("payment_window_minutes", sa.Integer(), nullable=False, server_default="30"),
    )


def downgrade() -> None:
    op.drop_column("booking_rules", "payment_window_minutes")
