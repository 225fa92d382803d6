"""A reminder at a release (issue 20), through the real dispatcher to the SendGrid and Twilio
fakes: asked for twice, queued once, due at the instant next week's slots open (Sunday 14 March
2027 at 18:00 EDT, the day the clocks go forward), not sent a second before, sent once at it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.notifications.dispatcher import Dispatcher
from scheduling.errors import InvalidRequest
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.release_store import ReleaseStore
from scheduling.releases import Period, ReleaseRule
from scheduling.releases_reminders import remind_at_release
from tests.booking.booking_builders import NOW, Salon
from tests.notifications.conftest import Clock, Fakes

pytestmark = pytest.mark.db
OPENS = datetime(2027, 3, 14, 22, 0, tzinfo=UTC)


async def test_a_release_reminder_is_sent_once_at_the_opening(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    cut = salon.service("Cut").id
    with pytest.raises(InvalidRequest):  # no release ahead: nothing to remind of
        await remind_at_release(uow, salon.id, cut, salon.customers[1].id, NOW)
    async with session_factory() as session:
        await ReleaseStore(session).add_rule(ReleaseRule(
            uuid4(), salon.id, Period.WEEK, time(18), weekday=6, lead=1, service_id=cut), NOW)
        await session.commit()
    for _ in range(2):
        due = await remind_at_release(uow, salon.id, cut, salon.customers[1].id, NOW)
        assert due == OPENS
    async with session_factory() as session:
        rows = list(await session.scalars(select(OutboxRow).where(
            OutboxRow.kind == "release_reminder")))
    assert [(r.due_at, r.status) for r in rows] == [(OPENS, "pending")]

    dispatcher = make_dispatcher()
    clock.now = OPENS - timedelta(seconds=1)
    await dispatcher.run_once()
    assert not fakes.sendgrid.ledger.delivered and not fakes.twilio.ledger.delivered
    clock.now = OPENS
    assert await dispatcher.run_once() == 1
    clock.advance(timedelta(hours=1))
    assert await dispatcher.run_once() == 0
    [sms] = fakes.twilio.ledger.delivered.values()
    assert "next week's slots for Cut are open for booking now" in str(sms["body"])
    [mail] = fakes.sendgrid.ledger.delivered.values()
    assert "customer1@example.com" in str(mail["personalizations"])
