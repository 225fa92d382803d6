"""Shared state for replicas (issue 21): `job_ticks`, each periodic job's tick claimed once
across processes; `rasa_models`, the models every Rasa replica pulls through the gateway;
a statement trigger on the catalog's tables sending NOTIFY catalog_changed (delivered at
commit), so every process keeping a copy of the catalog drops it.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = sa.DateTime(timezone=True)
CATALOG_TABLES = ("businesses", "locations", "staff", "staff_locations", "staff_time_off",
                  "services")
"""As `scheduling.persistence.catalog_changes.TABLES` at this revision (copied: a migration
must not change when the code does)."""
NOTIFY = """
CREATE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('catalog_changed', '');
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "job_ticks",
        sa.Column("job", sa.String(80), primary_key=True),
        sa.Column("tick", STAMP, primary_key=True),
        sa.Column("claimed_by", sa.String(120), nullable=False),
        sa.Column("started_at", STAMP, nullable=False),
        sa.Column("finished_at", STAMP),
        sa.Column("failed", sa.Boolean),
    )
    op.create_index("ix_job_ticks_tick", "job_ticks", ["tick"])
    op.create_table(
        "rasa_models",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("published_at", STAMP, nullable=False),
    )
    op.create_index("ix_rasa_models_published_at", "rasa_models", ["published_at"])
    op.execute(NOTIFY)
    for table in CATALOG_TABLES:
        op.execute(f"CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                   f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed()")


def downgrade() -> None:
    for table in CATALOG_TABLES:
        op.execute(f"DROP TRIGGER catalog_changed ON {table}")
    op.execute("DROP FUNCTION notify_catalog_changed()")
    op.drop_table("rasa_models")
    op.drop_table("job_ticks")
