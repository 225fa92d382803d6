"""Deposit policies (issue 17): a service's deposit is a rule, not only an amount.

`services.deposit_kind` (none, fixed, percent) says what `services.deposit` holds: nothing, an
amount, or a percentage of the price; `services.deposit_for` says who is asked for it
(everyone, first_time, missed: a past no-show or late cancellation, or first_time_or_missed).
An existing deposit becomes a fixed amount for everyone, as it was.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_NAME = "ck_services_ck_services_money"
"""As 0002 made it (the naming convention applied to a name already carrying its prefix)."""
NEW_NAME = "ck_services_money"
"""As the mapping (`ServiceRow`, name "money") names it."""
OLD_CHECK = "price >= 0 AND deposit >= 0 AND deposit <= price"
NEW_CHECK = (
    "price >= 0 AND deposit >= 0 AND deposit_kind IN ('none', 'fixed', 'percent')"
    " AND deposit_for IN ('everyone', 'first_time', 'missed', 'first_time_or_missed')"
    " AND (deposit_kind <> 'none' OR deposit = 0)"
    " AND (deposit_kind <> 'fixed' OR deposit <= price)"
    " AND (deposit_kind <> 'percent' OR deposit <= 100)"
)


def upgrade() -> None:
    op.add_column("services", sa.Column("deposit_kind", sa.String(length=10), nullable=False,
                                        server_default="none"))
    op.add_column("services", sa.Column("deposit_for", sa.String(length=30), nullable=False,
                                        server_default="everyone"))
    op.execute("UPDATE services SET deposit_kind = 'fixed' WHERE deposit > 0")
    op.drop_constraint(op.f(OLD_NAME), "services", type_="check")
    op.create_check_constraint(op.f(NEW_NAME), "services", NEW_CHECK)


def downgrade() -> None:
    """A percentage becomes the amount it is of the price today; a rule for some customers
    becomes one for everyone (the old schema has only an amount)."""
    op.drop_constraint(op.f(NEW_NAME), "services", type_="check")
    op.execute("UPDATE services SET deposit = round(price * deposit / 100, 2)"
               " WHERE deposit_kind = 'percent'")
    op.drop_column("services", "deposit_for")
    op.drop_column("services", "deposit_kind")
    op.create_check_constraint(op.f(OLD_NAME), "services", OLD_CHECK)
