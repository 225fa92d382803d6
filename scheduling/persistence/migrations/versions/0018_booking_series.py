"""Recurring series booked at the front desk (issue 16): `booking_series` (made in 0003) keeps
one row per series, its rule `{"every", "unit", "count"}`; the occurrences are ordinary
appointments pointing at it by `series_id`. This indexes that link, partially (most
appointments belong to no series), so a series' occurrences are found without reading every
appointment of the business.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_appointments_series", "appointments", ["series_id"],
                    postgresql_where=sa.text("series_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_appointments_series", table_name="appointments")
