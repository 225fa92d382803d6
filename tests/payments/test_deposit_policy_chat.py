"""The chat under a deposit rule for some customers: the read-back before "yes" states the
deposit this customer owes when the conversation proved who they are (none for a returning
customer under a first-time rule), says whom it is asked of when it did not, and the booking
asks what was stated."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.booking_form import ActionAskBookingConfirmed
from scheduling.demo import demo_id
from tests.actions.conftest import tracker
from tests.actions.test_booking import DOMAIN
from tests.gateway.booking_flow import execute, rows
from tests.payments.test_chat_deposit import _book_colour, chat  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("chat")]
ANA = str(demo_id("staff/ana"))
COLOUR = demo_id("service/Colour")


async def _rule(factory: async_sessionmaker[AsyncSession], kind: str, value: str,
                who: str) -> None:
    await execute(factory, "UPDATE services SET deposit_kind = :k, deposit = :v,"
                  " deposit_for = :w WHERE id = :s", k=kind, v=value, w=who, s=COLOUR)


async def _read_back(customer_id: str | None = None) -> str:
    slots: dict[str, Any] = {
        "service": str(COLOUR), "customer_name": "Jo Lee", "customer_id": customer_id,
        "slot_choice": {"start": "2030-01-08T15:00:00-05:00", "staff_id": ANA}}
    dispatcher = CollectingDispatcher()
    await ActionAskBookingConfirmed().run(dispatcher, tracker("", slots=slots), DOMAIN)
    return str(dispatcher.messages[0]["text"])


async def _customer_who(factory: async_sessionmaker[AsyncSession], phone: str,
                        status: str) -> str:
    """A customer of the salon whose one appointment ended as `status`."""
    await _book_colour(phone)
    found = await rows(factory, "SELECT id FROM customers WHERE phone = :p", p=phone)
    await execute(factory, "UPDATE appointments SET status = :s WHERE customer_id = :c",
                  s=status, c=found[0][0])
    return str(found[0][0])


async def test_a_first_time_rule_in_the_read_back(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    returning = await _customer_who(session_factory, "+17185550171", "completed")
    missed = await _customer_who(session_factory, "+17185550172", "no_show")
    await _rule(session_factory, "percent", "25", "first_time")
    assert "It needs a $30 deposit from first-time customers, paid at the salon" in \
        await _read_back()
    said = await _read_back(returning)
    assert "deposit" not in said and "Shall I book it?" in said
    assert "It needs a $30 deposit, paid at the salon" in await _read_back(missed)


async def test_a_rule_for_past_no_shows_in_the_read_back_and_the_booking(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    missed = await _customer_who(session_factory, "+17185550173", "no_show")
    await _rule(session_factory, "fixed", "40.00", "missed")
    assert "It needs a $40 deposit, paid at the salon" in await _read_back(missed)
    assert "It needs a $40 deposit from customers with a past no-show or late " \
           "cancellation" in await _read_back()
    newcomer = await _customer_who(session_factory, "+17185550174", "cancelled")
    assert "deposit" not in await _read_back(newcomer)
    said = await _book_colour("+17185550175")  # never booked: nothing asked
    assert "You're booked" in said and "deposit" not in said
    said = await _book_colour("+17185550173")  # the one who did not come
    assert "The $40 deposit is paid at the salon when you come in" in said
    assert await rows(session_factory, "SELECT c.phone, a.payment_required, a.payment_amount"
                      " FROM appointments a JOIN customers c ON c.id = a.customer_id"
                      " WHERE a.status = 'confirmed' ORDER BY c.phone") == [
        ("+17185550173", True, 40), ("+17185550175", False, 0)]

