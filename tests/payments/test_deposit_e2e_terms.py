"""Before the customer's yes, the chat's read-back states the deposit and its terms: paid
online (the link by text, how long the time is held, released unpaid) or at the salon, and
what cancelling costs. At the salon nothing is ever released for non-payment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.booking_form import ActionAskBookingConfirmed
from actions.runtime import now
from scheduling.booking import attendance
from scheduling.demo import demo_id
from scheduling.persistence.booking_uow import BookingUnitOfWork
from tests.actions.conftest import tracker
from tests.actions.test_booking import DOMAIN
from tests.gateway.booking_flow import execute, rows
from tests.payments.stripe_desk import BUSINESS, deposits_online
from tests.payments.test_chat_deposit import _book_colour, chat  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("chat")]
ANA = str(demo_id("staff/ana"))


async def _read_back(service: str) -> str:
    slots = {"service": str(demo_id(f"service/{service}")), "customer_name": "Jo Lee",
             "slot_choice": {"start": "2030-01-08T15:00:00-05:00", "staff_id": ANA}}
    dispatcher = CollectingDispatcher()
    await ActionAskBookingConfirmed().run(dispatcher, tracker("", slots=slots), DOMAIN)
    return str(dispatcher.messages[0]["text"])


async def test_online_the_read_back_states_the_deposit_the_window_and_the_terms(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await deposits_online(session_factory)
    await execute(session_factory, "UPDATE booking_rules SET payment_window_minutes = 45"
                  " WHERE business_id = :b", b=BUSINESS)
    said = await _read_back("Colour")
    assert "It needs a $30 deposit, paid online: we'll send you a link to pay it" in said
    assert "the time is held for 45 minutes; if it isn't paid by then, the booking is " \
           "released and we'll tell you." in said
    assert "Cancelling is free up to 24 hours before, and a paid deposit is refunded" in said
    assert said.index("deposit") < said.index("Shall I book it?")


async def test_at_the_salon_the_read_back_says_where_it_is_paid_and_nothing_is_released(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    said = await _read_back("Colour")
    assert "It needs a $30 deposit, paid at the salon when you come in." in said
    assert "online" not in said and "released" not in said
    assert "Cancelling is free up to 24 hours before" in said
    await _book_colour("+17185550162")
    later = now() + timedelta(days=3)
    assert (await attendance.expire_unpaid(BookingUnitOfWork(session_factory),
                                           later)).expired == ()
    assert await rows(session_factory, "SELECT status, payment_status FROM appointments") == [
        ("confirmed", "pending")]


async def test_no_deposit_no_terms() -> None:
    said = await _read_back("Women's cut")
    assert "deposit" not in said and "Cancelling" not in said


async def test_at_the_salon_with_approval_no_pay_link_is_promised_or_sent(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Pending for the owner's approval, not for a payment: the deposit is still paid at the
    salon, so no link is promised or queued, and nothing is released."""
    await execute(session_factory, "INSERT INTO booking_rules (business_id,"
                  " max_active_per_customer, require_approval, hold_minutes,"
                  " claim_window_minutes, no_show_grace_minutes) VALUES (:b, 5, true, 5, 120,"
                  " 15)", b=BUSINESS)
    said = await _book_colour("+17185550163")
    assert "The $30 deposit is paid at the salon when you come in" in said
    assert "link" not in said and "released" not in said
    kinds = await rows(session_factory, "SELECT kind FROM outbox WHERE appointment_id ="
                       " (SELECT id FROM appointments)")
    assert ("pending_payment",) not in kinds and ("confirmation",) in kinds
    later = now() + timedelta(days=3)
    assert (await attendance.expire_unpaid(BookingUnitOfWork(session_factory),
                                           later)).expired == ()
