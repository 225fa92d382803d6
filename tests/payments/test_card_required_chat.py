"""No-show protection by chat: before the yes the read-back states that the card is saved and
what it may be charged, and that the time is released without one; after it the bot says the
link to add the card is on its way, and the booking waits for it. At the salon no card is
asked or mentioned, and the booking is confirmed."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.gateway.booking_flow import execute, rows
from tests.payments.stripe_desk import deposits_online
from tests.payments.test_chat_deposit import _book_colour, chat  # noqa: F401  (the fixture)
from tests.payments.test_deposit_policy_chat import COLOUR, _read_back

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("chat")]
TERMS = ("We'll save your card to confirm it; you're charged only $25 if you cancel later "
         "than 24 hours before the appointment or $40 if you do not come, nothing now.")


async def _card_required(factory: async_sessionmaker[AsyncSession]) -> None:
    await execute(factory, "UPDATE services SET deposit_kind = 'none', deposit = 0,"
                  " card_required = true WHERE id = :s", s=COLOUR)


async def test_online_the_terms_come_before_yes_and_the_link_after(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await deposits_online(session_factory)
    await _card_required(session_factory)
    said = await _read_back()
    assert TERMS in said and "the time is held for 30 minutes; without a card by then, " \
        "the booking is released" in said, said
    assert said.index(TERMS) < said.index("Shall I book it?")
    booked = await _book_colour("+17185550171")
    assert "we're texting and e-mailing you a link to add it now (nothing is charged now)" \
        in booked, booked
    assert await rows(session_factory, "SELECT status, payment_status FROM appointments") == \
        [("pending", "card_pending")]
    assert await rows(session_factory, "SELECT kind FROM outbox WHERE kind IN "
                      "('pending_payment', 'confirmation')") == [("pending_payment",)]


async def test_at_the_salon_no_card_is_asked(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await _card_required(session_factory)
    said = await _read_back()
    assert "card" not in said, said
    booked = await _book_colour("+17185550172")
    assert "card" not in booked and "You're booked" in booked
    assert await rows(session_factory, "SELECT status, payment_status FROM appointments") == \
        [("confirmed", "not_required")]
