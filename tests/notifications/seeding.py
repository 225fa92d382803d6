"""Many due messages at once, for the race, crash and throughput checks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.messages import describe
from scheduling.booking.model import Appointment, Channel, Status
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.outbox import OutboxRow
from tests.booking.booking_builders import NOW, Salon, ny, save_salon
from tests.notifications.conftest import mailable_salon


async def seed_salon(factory: async_sessionmaker[AsyncSession]) -> Salon:
    """The salon, its customers' phones verified: this load is the business's own customers',
    not texts to numbers nobody proved (those are capped, `assistant.notifications.sms_limits`)."""
    salon = mailable_salon()
    await save_salon(factory, salon)
    async with factory() as session:
        await session.execute(update(CustomerRow).where(CustomerRow.business_id == salon.id)
                              .values(phone_verified_at=NOW))
        await session.commit()
    return salon


def confirmation_payload(salon: Salon, customer: int) -> dict[str, Any]:
    """A confirmation's payload without an appointment row (lineage falls back to the id)."""
    location = salon.catalog.business.locations[0]
    service, staff = salon.service("Cut"), salon.staff("Ana")
    start = ny(3, 12, 10)
    appointment = Appointment(
        uuid.uuid4(), salon.id, salon.customers[customer].id, service.id, staff.id,
        location.id, start, start + service.duration, service.buffer_before,
        service.buffer_after, "America/New_York", Status.CONFIRMED, Channel.WEB, start, start)
    return describe(appointment, salon.catalog)


async def seed_messages(factory: async_sessionmaker[AsyncSession], salon: Salon, count: int,
                        due_at: datetime) -> list[uuid.UUID]:
    """`count` confirmations due at `due_at`, each to be sent by e-mail and SMS."""
    ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        {"id": i, "kind": "confirmation", "due_at": due_at, "status": "pending", "attempts": 0,
         "created_at": due_at, "appointment_id": None, "dedupe_key": f"seed:{i}",
         "payload": confirmation_payload(salon, n % len(salon.customers))}
        for n, i in enumerate(ids)
    ]
    async with factory() as session:
        await session.execute(insert(OutboxRow), rows)
        await session.commit()
    return ids
