"""Admin sessions move from a signed cookie into the database, so logout and a password change
end them, and a session is only as good as the admin account it belongs to.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "admin_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("last_seen_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
        sa.ForeignKeyConstraint(["email"], ["admin_users.email"], ondelete="CASCADE",
                                name="fk_admin_sessions_email_admin_users"),
    )
    op.create_index("ix_admin_sessions_email", "admin_sessions", ["email"])


def downgrade() -> None:
    op.drop_index("ix_admin_sessions_email", table_name="admin_sessions")
    op.drop_table("admin_sessions")
