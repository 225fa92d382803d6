"""Who proved what: verified contacts on customers, the contact a booking was made with.

A customer's phone or e-mail counts as theirs only once someone proved control of it (a text
or call from the number, a one-time code). An appointment keeps the name, phone and e-mail it
was booked with, so a request that proved nothing never changes or redirects a profile.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
CAPS = {"max_per_contact_day": "4", "max_per_contact_week": "10",
        "max_live_holds_per_customer": "2"}


def upgrade() -> None:
    op.add_column("customers", sa.Column("phone_verified_at", WHEN, nullable=True))
    op.add_column("customers", sa.Column("email_verified_at", WHEN, nullable=True))
    op.add_column("appointments", sa.Column("contact_name", sa.String(200), nullable=True))
    op.add_column("appointments", sa.Column("contact_phone", sa.String(20), nullable=True))
    op.add_column("appointments", sa.Column("contact_email", sa.String(320), nullable=True))
    op.create_index("ix_customers_email", "customers", ["business_id", "email"])
    op.create_index("ix_appointments_contact_phone", "appointments",
                    ["business_id", "contact_phone", "created_at"])
    op.create_index("ix_appointments_contact_email", "appointments",
                    ["business_id", sa.text("lower(contact_email)"), "created_at"])
    for column, default in CAPS.items():
        op.add_column("booking_rules", sa.Column(column, sa.Integer(), nullable=False,
                                                 server_default=sa.text(default)))
    op.execute(
        "UPDATE appointments a SET contact_name = c.name, contact_phone = c.phone, "
        "contact_email = c.email FROM customers c WHERE c.id = a.customer_id"
    )


def downgrade() -> None:
    for column in CAPS:
        op.drop_column("booking_rules", column)
    op.drop_index("ix_appointments_contact_email", table_name="appointments")
    op.drop_index("ix_appointments_contact_phone", table_name="appointments")
    op.drop_index("ix_customers_email", table_name="customers")
    for column in ("contact_name", "contact_phone", "contact_email"):
        op.drop_column("appointments", column)
    for column in ("phone_verified_at", "email_verified_at"):
        op.drop_column("customers", column)
