"""The chat's answer to a booked deposit says what happens next: paid at the salon (the
booking is confirmed), or a link on its way to pay online (the booking waits for it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.booking import ActionBook
from actions.offers import ActionAskSlotChoice
from actions.runtime import runtime
from scheduling.demo import demo_id, seed_demo_if_empty
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import DOMAIN
from tests.gateway.booking_flow import rows
from tests.payments.stripe_desk import deposits_online

pytestmark = pytest.mark.db
COLOUR = str(demo_id("service/Colour"))


@pytest.fixture
async def chat(database_url: str, session_factory: async_sessionmaker[AsyncSession],
               clean_tables: None) -> AsyncIterator[None]:
    await seed_demo_if_empty(session_factory)
    runtime.configure(database_url)
    yield
    await runtime.dispose()


async def _book_colour(phone: str) -> str:
    slots: dict[str, Any] = {"service": COLOUR, "staff": "any", "when": "earliest"}
    events = await ActionAskSlotChoice().run(CollectingDispatcher(), tracker("", slots=slots),
                                             DOMAIN)
    done = {**slots, "slot_choice": slots_of(events)["suggestions"][0],
            "customer_name": "Jo Lee", "phone": phone, "email": "skip",
            "booking_confirmed": True}
    dispatcher = CollectingDispatcher()
    await ActionBook().run(dispatcher, tracker("yes", "affirm", done, sender=f"web-{phone}"),
                           DOMAIN)
    return " ".join(m.get("text") or "" for m in dispatcher.messages)


async def test_at_the_salon_the_chat_says_where_the_deposit_is_paid(
    chat: None, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    said = await _book_colour("+17185550160")
    assert "You're booked" in said
    assert "The $30 deposit is paid at the salon when you come in" in said
    assert "we'll send the details" not in said
    assert await rows(session_factory, "SELECT status FROM appointments") == [("confirmed",)]


async def test_online_the_chat_says_the_link_is_coming_and_what_happens_unpaid(
    chat: None, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await deposits_online(session_factory)
    said = await _book_colour("+17185550161")
    assert "we're texting and e-mailing you a link to pay it online now" in said
    assert "unpaid, the time is released" in said
    assert await rows(session_factory, "SELECT status FROM appointments") == [("pending",)]
