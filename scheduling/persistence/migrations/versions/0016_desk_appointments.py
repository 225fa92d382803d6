"""The front desk's own note on an appointment (issue 16): what the desk writes for itself,
kept apart from the customer's booking notes, with who last changed it and when (the edit
form sends back the note it started from, so a concurrent edit is refused, not lost).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment_desk_notes",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE",
                                name="fk_appointment_desk_notes_appointment_id_appointments"),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_appointment_desk_notes"),
    )


def downgrade() -> None:
    op.drop_table("appointment_desk_notes")
