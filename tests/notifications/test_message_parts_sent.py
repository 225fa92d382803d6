"""The parts of messages the owner saved reach the customer's confirmation as sent, through
the dispatcher, the vendor fake and the database; the owner's notice carries none of them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.notifications.dispatcher import Dispatcher
from scheduling.booking import services
from scheduling.desk.setup.values import MessageParts
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.setup_repository import SetupRepository
from tests.booking.booking_builders import NOW, Salon, ny
from tests.notifications.conftest import Fakes

pytestmark = pytest.mark.db

PARTS = MessageParts(signature="Warm regards, the salon", what_to_bring="A hair tie.",
                     parking_notes="Park behind the bakery.")


async def test_the_confirmation_sent_carries_the_business_words(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session, session.begin():
        await SetupRepository(session).set_message_parts(salon.catalog.business.id, PARTS)
    await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow, NOW)
    assert await make_dispatcher().run_once() == 2
    sent = {b["personalizations"][0]["to"][0]["email"]: str(b["content"])
            for b in fakes.sendgrid.ledger.delivered.values()}
    to_customer, to_owner = sent["customer1@example.com"], sent["owner@salon.example"]
    for words in ("What to bring: A hair tie.", "Parking: Park behind the bakery.",
                  "Warm regards, the salon"):
        assert words in to_customer
        assert words not in to_owner
    assert "Finding us" not in to_customer
    sms = " ".join(str(b) for b in fakes.twilio.ledger.delivered.values())
    assert "hair tie" not in sms
