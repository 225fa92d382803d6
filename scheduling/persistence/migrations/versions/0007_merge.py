"""Join the branches built side by side (notifications, verification codes, calendar,
payment window) into one head, so the next migration has a single parent.

Revision ID: 0007
Revises: 0004, 0004_verification, 0005, 0006_payment_window
Create Date: 2026-11-21
"""

from __future__ import annotations

revision: str = "0007"
down_revision: tuple[str, ...] = ("0004", "0004_verification", "0005", "0006_payment_window")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
