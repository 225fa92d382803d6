"""The front desk's messages go out: one-time codes to the claimed address, handoffs to the
business."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.notifications.dispatcher import Dispatcher
from scheduling.desk import verification
from scheduling.desk.handoff import request_person
from scheduling.errors import PolicyViolation
from scheduling.persistence.desk_uow import DeskUnitOfWork
from tests.booking.booking_builders import NOW, Salon
from tests.notifications.conftest import Clock, Fakes

pytestmark = pytest.mark.db


async def test_a_one_time_code_reaches_the_claimed_phone_and_email_and_verifies(
    salon: Salon, make_dispatcher: Callable[..., Dispatcher], fakes: Fakes, clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    customer = salon.customers[0]
    assert customer.phone and customer.email
    await verification.issue_code(DeskUnitOfWork(session_factory), customer.id, customer.phone,
                                  NOW)
    assert await make_dispatcher().run_once() == 1
    [sms] = fakes.twilio.ledger.delivered.values()
    assert sms["to"] == customer.phone and "Salon Lumière" in sms["body"]
    code = re.search(r"code is (\d{6})", sms["body"]).group(1)  # type: ignore[union-attr]
    assert fakes.sendgrid.ledger.delivered == {}  # by SMS only, as asked

    later = NOW + timedelta(minutes=1)
    await verification.issue_code(DeskUnitOfWork(session_factory), customer.id, customer.email,
                                  later)
    clock.advance(timedelta(minutes=1))
    assert await make_dispatcher().run_once() == 1
    [email] = fakes.sendgrid.ledger.delivered.values()
    assert email["personalizations"][0]["to"][0]["email"] == customer.email
    newer = re.search(r"code: (\d{6})", email["subject"]).group(1)  # type: ignore[union-attr]
    assert await verification.check_code(DeskUnitOfWork(session_factory), customer.id, newer,
                                         later)
    for stale in (code, newer):  # the SMS code was superseded; the e-mail one works once
        with pytest.raises(PolicyViolation):
            await verification.check_code(DeskUnitOfWork(session_factory), customer.id, stale,
                                          later)


async def test_a_handoff_request_reaches_the_business(
    salon: Salon, make_dispatcher: Callable[..., Dispatcher], fakes: Fakes,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await request_person(DeskUnitOfWork(session_factory), salon.id, "sms:+15557654321", "sms",
                         "can I talk to someone about a wedding booking", NOW)
    assert await make_dispatcher().run_once() == 1
    [email] = fakes.sendgrid.ledger.delivered.values()
    assert email["personalizations"][0]["to"][0]["email"] == "owner@salon.example"
    assert "asked for a person" in email["subject"]
    assert "wedding booking" in email["content"][0]["value"]
    assert fakes.twilio.ledger.delivered == {}
