"""What the owner's setup screens and API write: when a location, staff member or service was
archived (never deleted while appointments refer to it), and the business's own parts of the
messages (signature, what to bring, address and parking notes).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARCHIVABLE = ("locations", "staff", "services")


def upgrade() -> None:
    for table in ARCHIVABLE:
        op.add_column(table, sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("businesses", sa.Column(
        "message_parts", postgresql.JSONB(astext_type=sa.Text()), nullable=False,
        server_default=sa.text("'{}'::jsonb")))


def downgrade() -> None:
    op.drop_column("businesses", "message_parts")
    for table in ARCHIVABLE:
        op.drop_column(table, "archived_at")
