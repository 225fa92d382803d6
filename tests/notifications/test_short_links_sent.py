"""The dispatcher issues the short link an SMS carries: the confirmation and the reminders of one
appointment share one code, which lives until 30 days after the appointment ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.notifications.dispatcher import Dispatcher
from scheduling.booking import services
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.short_link_tables import ShortLinkRow
from tests.booking.booking_builders import NOW, Salon, ny
from tests.notifications.conftest import BASE_URL, Clock, Fakes

pytestmark = pytest.mark.db


def texts(fakes: Fakes) -> list[str]:
    return [str(m["body"]) for m in fakes.twilio.ledger.delivered.values()]


async def test_confirmation_and_reminder_texts_carry_one_short_link(
    salon: Salon, make_dispatcher: Callable[..., Dispatcher], fakes: Fakes, clock: Clock,
    session_factory: async_sessionmaker[AsyncSession], uow: BookingUnitOfWork,
) -> None:
    booking = salon.booking("Cut", ny(3, 12, 10), customer=1)
    booked = (await services.book(booking, uow, NOW)).appointment
    dispatcher = make_dispatcher()
    await dispatcher.run_once()
    clock.now = ny(3, 11, 10, 1)  # the 24-hour reminder is due
    await dispatcher.run_once()
    confirmation, reminder = texts(fakes)
    async with session_factory() as session:
        [row] = await session.scalars(select(ShortLinkRow))
    link = f"{BASE_URL}/a/{row.code}"
    assert confirmation.endswith(f"Change or cancel: {link}")
    assert reminder.startswith("Reminder from") and reminder.endswith(link)
    assert (row.subject_id, row.action) == (booked.id, "manage")
    assert row.expires_at == booked.end + timedelta(days=30)
    assert len(confirmation) <= 160 and len(reminder) <= 160
