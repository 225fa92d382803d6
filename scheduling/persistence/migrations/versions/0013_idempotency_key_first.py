"""The appointments' idempotency constraint led by the key: (idempotency_key, business_id).

Uniqueness is the same. The order is for the booking's replay check, which looks the key up
on every booking: led by the key, the constraint's index is the only one that can serve the
lookup, whatever the statistics say. Led by business_id, a database without statistics yet (a
new one) had the planner prefer the smaller indexes led by business_id and read every
appointment of the business on every booking.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "uq_appointments_idempotency"


def upgrade() -> None:
    op.drop_constraint(NAME, "appointments", type_="unique")
    op.create_unique_constraint(NAME, "appointments", ["idempotency_key", "business_id"])


def downgrade() -> None:
    op.drop_constraint(NAME, "appointments", type_="unique")
    op.create_unique_constraint(NAME, "appointments", ["business_id", "idempotency_key"])
