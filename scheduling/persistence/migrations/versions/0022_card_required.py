"""No-show protection (issue 17): a service may ask for a card to be saved to confirm a
booking, with no deposit (`services.card_required`). The booking waits as pending, its payment
status `card_pending`, until a setup-mode checkout saves the card (`card_saved`); the card goes
into `saved_cards` (0021) like a deposit's. `appointments.payment_status` is a string, so the
two new statuses need no change there.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("services", sa.Column("card_required", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))


def downgrade() -> None:
    """A booking still waiting for its card is left pending for the payment window's job of
    the older code, which does not know it: confirm it first, as at the salon."""
    op.execute("UPDATE appointments SET status = 'confirmed', confirmed_at = updated_at,"
               " payment_status = 'not_required' WHERE payment_status = 'card_pending'"
               " AND status = 'pending'")
    op.execute("UPDATE appointments SET payment_status = 'not_required'"
               " WHERE payment_status IN ('card_pending', 'card_saved')")
    op.drop_column("services", "card_required")
