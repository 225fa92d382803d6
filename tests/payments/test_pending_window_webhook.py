"""A webhook that never arrives does not release a paid booking: before the release job,
each booking past its window has its checkout read back from Stripe (the real library against
the fake); paid, it is confirmed as the webhook would confirm it, and the webhook coming after
all changes nothing. Unpaid, or Stripe busy: released as before."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.payments import PROVIDER
from assistant.payments.pending_window import settle_paid_checkouts
from scheduling.booking import attendance
from scheduling.persistence.booking_uow import BookingUnitOfWork
from tests.gateway.booking_flow import rows
from tests.payments.stripe_desk import Desk, book_deposit, deliver, to_checkout

pytestmark = pytest.mark.db


async def _after_window(desk: Desk, skip: int = 0) -> tuple[object, object]:
    """A deposit booked and its checkout opened; (its id, a moment past its window)."""
    appointment_id, went = await book_deposit(desk, skip=skip)
    await to_checkout(desk, went)
    [(created,)] = await rows(desk.factory, "SELECT created_at FROM appointments WHERE id = :a",
                              a=appointment_id)
    return appointment_id, created + timedelta(minutes=31)


async def _state(desk: Desk, appointment_id: object) -> tuple[object, ...]:
    [row] = await rows(desk.factory, "SELECT status, payment_status, payment_reference FROM "
                       "appointments WHERE id = :a", a=appointment_id)
    return tuple(row)


async def test_paid_but_the_webhook_lost_the_booking_is_confirmed_not_released(
    desk: Desk,
) -> None:
    appointment_id, later = await _after_window(desk)
    [session_id] = desk.stripe.sessions
    delivery = desk.stripe.pay(session_id)  # paid; the webhook is lost on the way
    assert delivery is not None
    provider = desk.client.app[PROVIDER]
    assert await settle_paid_checkouts(desk.factory, provider, later) == [appointment_id]
    assert (await attendance.expire_unpaid(BookingUnitOfWork(desk.factory), later)).expired == ()
    intent = desk.stripe.sessions[session_id]["payment_intent"]
    assert await _state(desk, appointment_id) == ("confirmed", "paid", intent)
    [(confirmations,)] = await rows(desk.factory, "SELECT count(*) FROM outbox WHERE kind = "
                                    "'confirmation' AND appointment_id = :a", a=appointment_id)
    assert confirmations == 1
    status, answer = await deliver(desk, *delivery)  # the webhook comes after all
    assert (status, answer["outcome"]) == (200, "already_paid")
    assert await settle_paid_checkouts(desk.factory, provider, later) == []
    [(refunds,)] = await rows(desk.factory, "SELECT count(*) FROM outbox WHERE kind = 'refund'")
    assert refunds == 0


async def test_unpaid_or_stripe_busy_the_booking_is_released_and_told(desk: Desk) -> None:
    provider = desk.client.app[PROVIDER]
    unpaid, later = await _after_window(desk)
    assert await settle_paid_checkouts(desk.factory, provider, later) == []
    swept = await attendance.expire_unpaid(BookingUnitOfWork(desk.factory), later)
    assert swept.expired == (unpaid,)

    busy, later = await _after_window(desk, skip=1)
    [session_id] = [s for s, found in desk.stripe.sessions.items()
                    if found["client_reference_id"] == str(busy)]
    assert desk.stripe.pay(session_id) is not None  # paid, but Stripe cannot be read now
    desk.stripe.ledger.fail_next(503, 503, 503)  # more than the library's two retries
    assert await settle_paid_checkouts(desk.factory, provider, later) == []
    swept = await attendance.expire_unpaid(BookingUnitOfWork(desk.factory), later)
    assert swept.expired == (busy,)  # released and told; the webhook's money goes back
    [(reason,)] = await rows(desk.factory, "SELECT cancel_reason FROM appointments WHERE "
                             "id = :a", a=busy)
    assert reason == attendance.PAYMENT_NOT_RECEIVED
