"""Staff accounts: a role and a staff member on each dashboard account, and invitations.

Every existing account becomes an owner (they all saw everything before). A staff account's
staff member is `ON DELETE SET NULL`: the demo salon's staff are deleted when the owner sets up
the real business, and that must not fail; the account keeps the role 'staff' and, with no
staff member, sees nothing (never everything) until the owner links it again or removes it.
Invitations keep only the sha256 of their token; the token itself is only in the e-mail.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
ROLE_VALUES = "role IN ('owner', 'staff')"
OWNER_HAS_NO_STAFF = "role = 'staff' OR staff_id IS NULL"


def upgrade() -> None:
    op.add_column("admin_users", sa.Column("role", sa.String(length=16), nullable=False,
                                           server_default="owner"))
    op.add_column("admin_users", sa.Column("staff_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f("fk_admin_users_staff_id_staff"), "admin_users", "staff",
                          ["staff_id"], ["id"], ondelete="SET NULL")
    op.create_index("ix_admin_users_staff_id", "admin_users", ["staff_id"])
    op.create_check_constraint(op.f("ck_admin_users_role"), "admin_users", ROLE_VALUES)
    op.create_check_constraint(op.f("ck_admin_users_owner_has_no_staff"), "admin_users",
                                OWNER_HAS_NO_STAFF)
    op.create_table(
        "admin_invitations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("invited_by", sa.String(length=320), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_admin_invitations"),
        sa.UniqueConstraint("token_hash", name="uq_admin_invitations_token_hash"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE",
                                name="fk_admin_invitations_staff_id_staff"),
        sa.ForeignKeyConstraint(["invited_by"], ["admin_users.email"], ondelete="SET NULL",
                                name="fk_admin_invitations_invited_by_admin_users"),
        sa.CheckConstraint(ROLE_VALUES, name="ck_admin_invitations_role"),
        sa.CheckConstraint("(role = 'staff') = (staff_id IS NOT NULL)",
                           name="ck_admin_invitations_staff_matches_role"),
    )
    op.create_index("ix_admin_invitations_email", "admin_invitations", ["email"])


def downgrade() -> None:
    op.drop_index("ix_admin_invitations_email", table_name="admin_invitations")
    op.drop_table("admin_invitations")
    op.drop_constraint(op.f("ck_admin_users_owner_has_no_staff"), "admin_users", type_="check")
    op.drop_constraint(op.f("ck_admin_users_role"), "admin_users", type_="check")
    op.drop_index("ix_admin_users_staff_id", table_name="admin_users")
    op.drop_constraint(op.f("fk_admin_users_staff_id_staff"), "admin_users", type_="foreignkey")
    op.drop_column("admin_users", "staff_id")
    op.drop_column("admin_users", "role")
