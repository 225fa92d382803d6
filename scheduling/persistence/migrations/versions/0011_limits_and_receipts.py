"""Abuse limits shared by gateway processes (token buckets) and receipts of webhooks and
conversations, so a provider's retry is not acted on twice.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("full_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limits"),
        prefixes=["UNLOGGED"],  # see RateLimitRow: no flush per request; lost state is harmless
    )
    op.create_index("ix_rate_limits_full_at", "rate_limits", ["full_at"])
    op.create_table(
        "receipts",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("source", "key", name="pk_receipts"),
    )
    op.create_index("ix_receipts_expires_at", "receipts", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_receipts_expires_at", table_name="receipts")
    op.drop_table("receipts")
    op.drop_index("ix_rate_limits_full_at", table_name="rate_limits")
    op.drop_table("rate_limits")
