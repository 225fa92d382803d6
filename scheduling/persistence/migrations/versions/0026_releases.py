"""`releases`: timed release rules, their early-access audiences (a customer list, access
codes kept as SHA-256) and the waiting-room settings per service (issue 20).

Mappings: `scheduling.persistence.release_tables`.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = sa.DateTime(timezone=True)


def _ref(name: str, target: str, nullable: bool = False, key: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Uuid(), sa.ForeignKey(target, ondelete="CASCADE"),
                     nullable=nullable, primary_key=key)


def upgrade() -> None:
    op.create_table(
        "release_audiences",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _ref("business_id", "businesses.id"),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.UniqueConstraint("business_id", "name"),
    )
    op.create_table(
        "release_audience_members",
        _ref("audience_id", "release_audiences.id", key=True),
        _ref("customer_id", "customers.id", key=True),
    )
    op.create_index(op.f("ix_release_audience_members_customer_id"),
                    "release_audience_members", ["customer_id"])
    op.create_table(
        "release_audience_codes",
        _ref("audience_id", "release_audiences.id", key=True),
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("created_at", STAMP, nullable=False),
    )
    op.create_index(op.f("ix_release_audience_codes_code_hash"), "release_audience_codes",
                    ["code_hash"])
    op.create_table(
        "release_rules",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _ref("business_id", "businesses.id"),
        _ref("service_id", "services.id", nullable=True),
        _ref("staff_id", "staff.id", nullable=True),
        sa.Column("period", sa.String(4), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("lead", sa.SmallInteger(), nullable=False),
        sa.Column("audience_id", sa.Uuid(), sa.ForeignKey("release_audiences.id"),
                  nullable=True),
        sa.Column("early_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.CheckConstraint(
            "period IN ('day', 'week') AND weekday BETWEEN 0 AND 6 AND lead BETWEEN 0 AND 52"
            " AND early_minutes BETWEEN 0 AND 20160"
            " AND (early_minutes = 0 OR audience_id IS NOT NULL)", name="values"),
    )
    op.create_index(op.f("ix_release_rules_business_id"), "release_rules", ["business_id"])
    op.create_table(
        "waiting_room_settings",
        _ref("service_id", "services.id", key=True),
        _ref("business_id", "businesses.id"),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("admit_at_once", sa.Integer(), nullable=False),
        sa.Column("hold_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.CheckConstraint("threshold BETWEEN 1 AND 10000 AND admit_at_once BETWEEN 1 AND 100"
                           " AND hold_minutes BETWEEN 1 AND 60", name="values"),
    )
    op.create_index(op.f("ix_waiting_room_settings_business_id"), "waiting_room_settings",
                    ["business_id"])


def downgrade() -> None:
    for table in ("waiting_room_settings", "release_rules", "release_audience_codes",
                  "release_audience_members", "release_audiences"):
        op.drop_table(table)
