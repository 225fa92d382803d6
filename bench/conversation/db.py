"""The database side of the scripted customers: the history a returning customer brings, the
one-time code a web visitor is sent, and what each conversation left behind, read in the
business's own clock so a goal's day and time window can be checked against it.

History rows are written directly, as tests/fill.py writes its rows: a finished appointment
weeks ago is a state the booking services only reach over time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from psycopg.types.json import Jsonb

from bench.conversation.spec import WEEKDAYS, Past, first_day

ACTIVE = ("held", "pending", "confirmed")


@dataclass(frozen=True)
class Booked:
    id: uuid.UUID
    status: str
    service: str
    staff: str
    day: date
    start: time
    series: bool
    seats: int
    created_at: datetime
    name: str


@dataclass(frozen=True)
class Identity:
    name: str
    phone: str
    email: str


class Salon:
    """The running business's rows, through one connection per call (the runs are few)."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as db:
            cursor = await db.execute(sql, args)
            return await cursor.fetchall() if cursor.description else []

    async def zone(self) -> ZoneInfo:
        (name,), = await self._rows("SELECT time_zone FROM businesses LIMIT 1")
        return ZoneInfo(str(name))

    async def remember(self, who: Identity, history: tuple[Past, ...], today: date) -> None:
        """The customer as the salon already knows them, with their past and booked visits."""
        (business, location), = await self._rows("SELECT business_id, id FROM locations LIMIT 1")
        customer, now, zone = uuid.uuid4(), datetime.now(ZoneInfo("UTC")), await self.zone()
        await self._rows(
            "INSERT INTO customers (id, business_id, name, phone, email, phone_verified_at, "
            "notifications, preferences, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            customer, business, who.name, who.phone, who.email, now, Jsonb({}), Jsonb({}),
            now - timedelta(days=120))
        for past in history:
            await self._visit(past, customer, business, location, who, today, zone)

    async def _visit(self, past: Past, customer: uuid.UUID, business: uuid.UUID,
                     location: uuid.UUID, who: Identity, today: date, zone: ZoneInfo) -> None:
        (service, minutes, price), = await self._rows(
            "SELECT id, duration_minutes, price FROM services "
            "WHERE name = %s", past.service)
        staff = await self._rows(
            "SELECT id, weekly_hours FROM staff WHERE %s IN ('any', name) ORDER BY name",
            past.staff)
        day = today - timedelta(days=past.days_ago) if past.days_ago is not None \
            else first_day(past.day or "any", today, min_ahead=3)
        while past.days_ago is not None and WEEKDAYS[day.weekday()] not in staff[0][1]:
            day -= timedelta(days=1)  # a past visit was on a day they work, whatever today is
        start = datetime.combine(day, time.fromisoformat(past.at), zone)
        status = "completed" if past.days_ago is not None else "confirmed"
        for member, _ in staff:  # the first one free then (other customers book too)
            try:
                await self._rows(
                    "INSERT INTO appointments (id, business_id, customer_id, service_id, "
                    "staff_id, location_id, session_id, starts_at, ends_at, blocked_start, "
                    "blocked_end, customer_time_zone, contact_name, contact_phone, "
                    "contact_email, status, channel, price, seats, participants, notes, "
                    "location_type, address, payment_required, payment_amount, payment_status, "
                    "created_at, updated_at, confirmed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                    "%s, %s, %s, %s, %s, %s, %s, %s, %s, 'web', %s, 1, %s, '', 'in_person', '', "
                    "false, 0, 'not_required', %s, %s, %s)",
                    uuid.uuid4(), business, customer, service, member, location, uuid.uuid4(),
                    start, start + timedelta(minutes=float(minutes)), start,
                    start + timedelta(minutes=float(minutes)), str(zone), who.name, who.phone,
                    who.email, status, price, Jsonb([]), start - timedelta(days=7),
                    start - timedelta(days=7), start - timedelta(days=7))
                return
            except psycopg.errors.ExclusionViolation:
                continue
        raise RuntimeError(f"no staff free for the history {past}")

    async def code_for(self, who: Identity) -> str | None:
        """The latest one-time code sent to the customer's phone or e-mail."""
        rows = await self._rows(
            "SELECT payload->>'code' FROM outbox WHERE kind = 'verification_code' AND "
            "lower(payload->>'to') IN (%s, lower(%s)) ORDER BY created_at DESC LIMIT 1",
            who.phone, who.email)
        return str(rows[0][0]) if rows else None

    async def bookings(self, who: Identity, zone: ZoneInfo) -> list[Booked]:
        """Every appointment of the customer (by phone or e-mail), oldest first."""
        rows = await self._rows(
            "SELECT a.id, a.status, s.name, m.name, a.starts_at, a.series_id IS NOT NULL, "
            "a.seats, a.created_at, coalesce(a.contact_name, c.name, '') FROM appointments a "
            "JOIN services s ON s.id = a.service_id "
            "JOIN staff m ON m.id = a.staff_id LEFT JOIN customers c ON c.id = a.customer_id "
            "WHERE c.phone = %s OR lower(c.email) = lower(%s) OR a.contact_phone = %s "
            "ORDER BY a.created_at, a.starts_at", who.phone, who.email, who.phone)
        return [Booked(r[0], r[1], r[2], r[3], r[4].astimezone(zone).date(),
                       r[4].astimezone(zone).time(), r[5], r[6], r[7], r[8]) for r in rows]

    async def waiting(self, who: Identity) -> int:
        rows = await self._rows(
            "SELECT count(*) FROM waitlist_entries w JOIN customers c ON c.id = w.customer_id "
            "WHERE w.status = 'waiting' AND (c.phone = %s OR lower(c.email) = lower(%s))",
            who.phone, who.email)
        return int(rows[0][0])

    async def release(self, who: Identity) -> None:
        """Cancel what the customer booked, so the next channel's customer with the same wish
        finds the same times free (the bench measures understanding, not a full diary)."""
        await self._rows(
            "UPDATE appointments SET status = 'cancelled' WHERE status IN ('held', 'pending', "
            "'confirmed') AND (contact_phone = %s OR customer_id IN (SELECT id FROM customers "
            "WHERE phone = %s OR lower(email) = lower(%s)))", who.phone, who.phone, who.email)
