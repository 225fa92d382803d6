"""Personal data of the filled customer (tests/fill.py: Fillia Everyrow) in every place the
system may keep it, beyond what `fill` writes: pending and sent messages naming her, a delivery
to her phone, an alert, an audit entry, an SMS opt-out, a rate-limit bucket, her chat by text,
a web chat that gave her e-mail, the desk's note on an appointment; and the scan that looks
for her name, phone and e-mail in every text column of every table."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import insert, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence.booking_tables import AppointmentRow, BookingEventRow
from scheduling.persistence.limit_tables import RateLimitRow
from scheduling.persistence.notification_tables import (
    DeliveryAttemptRow,
    NotificationAlertRow,
    SmsOptOutRow,
)
from scheduling.persistence.outbox import OutboxRow
from tests.fill import Filled, fill_id

NAME, PHONE, EMAIL = "Fillia Everyrow", "+15550009001", "fillia@example.com"
TEXT_TYPES = ("text", "character varying", "jsonb", "json", "ARRAY")


async def add_personal_rows(factory: async_sessionmaker[AsyncSession], filled: Filled,
                            now: datetime) -> dict[str, UUID]:
    upcoming = filled.appointment_ids["confirmed"]
    ids = {"pending": uuid4(), "calendar": uuid4(), "sent": uuid4()}
    payload = {"customer_id": str(filled.customer_id), "name": NAME, "phone": PHONE,
               "email": EMAIL.upper(), "appointment_id": str(upcoming)}
    async with factory() as session:
        for key, kind, status in (("pending", "reminder", "pending"),
                                  ("calendar", "calendar_event", "pending"),
                                  ("sent", "confirmation", "sent")):
            await session.execute(insert(OutboxRow).values(
                id=ids[key], kind=kind, payload=payload, due_at=now + timedelta(hours=1),
                status=status, attempts=0, created_at=now, appointment_id=upcoming,
                dedupe_key=f"customer-test:{key}", last_error=f"bounced for {EMAIL}"))
        await session.execute(insert(DeliveryAttemptRow).values(
            outbox_id=ids["sent"], channel="sms", provider="twilio", recipient=PHONE,
            idempotency_key="customer-test", status="sent", summary=f"Hi {NAME}, see you",
            at=now))
        await session.execute(insert(NotificationAlertRow).values(
            business_id=filled.business_id, appointment_id=upcoming, outbox_id=ids["pending"],
            kind="confirmation_failed", message=f"Could not reach {NAME} at {PHONE}",
            created_at=now))
        await session.execute(insert(BookingEventRow).values(
            subject="appointment", subject_id=upcoming, at=now, actor="customer",
            from_status=None, to_status="confirmed", reason=f"booked by {NAME}",
            data={"contact": EMAIL}))
        await session.execute(insert(SmsOptOutRow).values(phone=PHONE, opted_out_at=now))
        await session.execute(insert(RateLimitRow).values(key=f"contact-day:{PHONE}",
                                                          full_at=now))
        await _conversations(session, now)
        await _desk_note(session, upcoming, now)
        await _group_guest(session, filled)
        await session.commit()
    return ids


async def _conversations(session: AsyncSession, now: datetime) -> None:
    await session.execute(text(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES "
        "(:sms, 'user', :t, :said), (:sms, 'bot', :t, :reply), ('web-7', 'user', :t, :mail)"),
        {"sms": f"sms:{PHONE}", "t": now.timestamp(),
         "said": '{"text": "hi it is Fillia Everyrow"}', "reply": '{"text": "Hello Fillia"}',
         "mail": '{"text": "my e-mail is fillia@example.com"}'})


async def _group_guest(session: AsyncSession, filled: Filled) -> None:
    """Someone else's past booking that names her as one of its participants."""
    row = (await session.execute(select(AppointmentRow).where(
        AppointmentRow.id == filled.appointment_ids["completed"]))).scalar_one()
    values = {c.key: getattr(row, c.key) for c in inspect(row).mapper.column_attrs}
    session.expunge(row)
    await session.execute(insert(AppointmentRow).values(values | {
        "id": uuid4(), "customer_id": fill_id("customer/blocked"), "idempotency_key": None,
        "contact_name": "Blocked Bob", "contact_phone": None, "contact_email": None,
        "participants": [{"name": "Blocked Bob", "customer_id": None},
                         {"name": NAME, "customer_id": str(filled.customer_id)}]}))


async def _desk_note(session: AsyncSession, appointment: UUID, now: datetime) -> None:
    """The appointment desk's note (migration 0016), when that table exists."""
    if await session.scalar(text("SELECT to_regclass('appointment_desk_notes') IS NOT NULL")):
        await session.execute(text(
            "INSERT INTO appointment_desk_notes (appointment_id, body, updated_by, updated_at) "
            "VALUES (:a, :b, 'owner@example.com', :t) ON CONFLICT DO NOTHING"),
            {"a": appointment, "b": f"{NAME} prefers the window seat", "t": now})


async def traces(factory: async_sessionmaker[AsyncSession],
                 values: tuple[str, ...] = (NAME, PHONE, EMAIL)) -> list[str]:
    """"table.column" of every text, JSON or array column in the database that holds one of
    `values` (any case)."""
    found = []
    async with factory() as session:
        columns = (await session.execute(text(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(:types)"),
            {"types": list(TEXT_TYPES)})).all()
        for table, column, _ in columns:
            for value in values:
                hit = await session.scalar(text(
                    f'SELECT EXISTS (SELECT FROM "{table}" WHERE "{column}"::text ILIKE :v)'),
                    {"v": f"%{value}%"})
                if hit:
                    found.append(f"{table}.{column}: {value}")
    return found
