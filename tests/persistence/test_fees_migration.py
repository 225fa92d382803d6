"""Migration 0021 (saved cards and fees) up, down and up again on a database of its own; a fee
belongs to a real appointment (the schema drift test compares the rest with the tables)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from alembic import command
from sqlalchemy import make_url

from scheduling.persistence.migrate import alembic_config, upgrade

pytestmark = pytest.mark.db
FEE = ("INSERT INTO payment_fees (outbox_id, appointment_id, kind, amount, status, attempts,"
       " created_at, updated_at) VALUES (%s, %s, %s, 40, 'charged', 1, now(), now())")


def _tables(conn: psycopg.Connection) -> set[str]:
    found = conn.execute("SELECT tablename FROM pg_tables WHERE tablename IN"
                         " ('saved_cards', 'payment_fees')").fetchall()
    return {name for (name,) in found}


def test_up_down_and_up(url: str) -> None:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    upgrade(url, "0021")
    with psycopg.connect(plain, autocommit=True) as conn:
        assert _tables(conn) == {"saved_cards", "payment_fees"}
        with pytest.raises(psycopg.errors.ForeignKeyViolation):  # only a real appointment
            conn.execute(FEE, (uuid.uuid4(), uuid.uuid4(), "no_show"))
    command.downgrade(alembic_config(url), "0020")
    with psycopg.connect(plain, autocommit=True) as conn:
        assert _tables(conn) == set()
    upgrade(url, "0021")
    with psycopg.connect(plain, autocommit=True) as conn:
        assert _tables(conn) == {"saved_cards", "payment_fees"}
