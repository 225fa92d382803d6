"""Shared state for replicas (issue 21): `job_ticks`, each periodic job's tick claimed once
across processes; `rasa_models`, the models every Rasa replica pulls through the gateway.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "job_ticks",
        sa.Column("job", sa.String(80), primary_key=True),
        sa.Column("tick", STAMP, primary_key=True),
        sa.Column("claimed_by", sa.String(120), nullable=False),
        sa.Column("started_at", STAMP, nullable=False),
        sa.Column("finished_at", STAMP),
        sa.Column("failed", sa.Boolean),
    )
    op.create_index("ix_job_ticks_tick", "job_ticks", ["tick"])
    op.create_table(
        "rasa_models",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("published_at", STAMP, nullable=False),
    )
    op.create_index("ix_rasa_models_published_at", "rasa_models", ["published_at"])


def downgrade() -> None:
    op.drop_table("rasa_models")
    op.drop_table("job_ticks")
