"""Migration 0020 (deposit policies) up and down on a database of its own: an existing deposit
becomes a fixed one for everyone, the database refuses a rule the catalog refuses, and going
back turns a percentage into the amount it is of the price."""

from __future__ import annotations

import uuid
from decimal import Decimal

import psycopg
import pytest
from alembic import command
from sqlalchemy import make_url

from scheduling.persistence.migrate import alembic_config, upgrade

pytestmark = pytest.mark.db
SERVICE = ("INSERT INTO services (id, business_id, position, name, aliases, category,"
           " duration_minutes, price, deposit, buffer_before_minutes, buffer_after_minutes,"
           " slot_interval_minutes, capacity, min_participants, max_participants,"
           " required_skills, location_type, location_ids, min_notice_minutes,"
           " max_advance_days{extra}) VALUES (%s, %s, 0, %s, '{{}}', '', 30, %s, %s, 0, 0, 15,"
           " 1, 1, 1, '{{}}', 'in_person', '{{}}', 60, 60{values})")


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _services(conn: psycopg.Connection) -> dict[str, tuple[Decimal, ...]]:
    rows = conn.execute("SELECT name, deposit, deposit_kind, deposit_for FROM services"
                        " ORDER BY name").fetchall()
    return {name: tuple(rest) for name, *rest in rows}


def test_up_and_down(url: str) -> None:
    upgrade(url, "0019")
    business = uuid.uuid4()
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        conn.execute("INSERT INTO businesses (id, name, time_zone, contact, policies) VALUES"
                     " (%s, 'Salon', 'UTC', '{}', '{}')", (business,))
        for name, deposit in (("Colour", "30.00"), ("Cut", "0")):
            conn.execute(SERVICE.format(extra="", values=""),
                         (uuid.uuid4(), business, name, Decimal("120.00"), Decimal(deposit)))
    upgrade(url, "0020")
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        assert _services(conn) == {"Colour": (Decimal("30.00"), "fixed", "everyone"),
                                   "Cut": (Decimal("0.00"), "none", "everyone")}
        with_rule = SERVICE.format(extra=", deposit_kind, deposit_for", values=", %s, %s")
        conn.execute(with_rule, (uuid.uuid4(), business, "Facial", Decimal("45.00"),
                                 Decimal("12.5"), "percent", "first_time"))
        for deposit, kind, who in (("101", "percent", "everyone"), ("50", "fixed", "everyone"),
                                   ("5", "none", "everyone"), ("5", "fixed", "vip")):
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute(with_rule, (uuid.uuid4(), business, f"Bad {kind} {who}",
                                         Decimal("45.00"), Decimal(deposit), kind, who))
    command.downgrade(alembic_config(url), "0019")
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        rows = conn.execute("SELECT name, deposit FROM services ORDER BY name").fetchall()
        assert rows == [("Colour", Decimal("30.00")), ("Cut", Decimal("0.00")),
                        ("Facial", Decimal("5.63"))]  # 12.5% of 45.00 = 5.625
        with pytest.raises(psycopg.errors.CheckViolation):  # the old check is back
            conn.execute("UPDATE services SET deposit = price + 1 WHERE name = 'Cut'")
    upgrade(url, "0020")
