"""Alembic environment: runs migrations on the URL the caller configured, synchronously."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from scheduling.persistence import tables
from scheduling.persistence.database import psycopg_url

config = context.config
target_metadata = tables.metadata


def run_migrations_online() -> None:
    url = psycopg_url(config.get_main_option("sqlalchemy.url") or "")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
