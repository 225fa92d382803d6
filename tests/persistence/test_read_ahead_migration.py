"""Migration 0023 (`booking_read_ahead`) up, down and up again on a database of its own."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command
from sqlalchemy import make_url

from scheduling.persistence.migrate import alembic_config, upgrade

pytestmark = pytest.mark.db
FOUND = "SELECT count(*) FROM pg_proc WHERE proname = 'booking_read_ahead'"


def _functions(plain: str) -> int:
    with psycopg.connect(plain, autocommit=True) as conn:
        return int(conn.execute(FOUND).fetchone()[0])  # type: ignore[index]


def test_up_down_and_up(url: str) -> None:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    upgrade(url, "0023")
    assert _functions(plain) == 1
    command.downgrade(alembic_config(url), "0022")
    assert _functions(plain) == 0
    upgrade(url, "0023")
    assert _functions(plain) == 1
