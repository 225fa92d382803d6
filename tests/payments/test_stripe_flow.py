"""End to end with Stripe on (the real `stripe` library against the local fake): a deposit
booked through /book goes to Stripe's checkout, the pay link is sent, the customer pays, the
signed webhook confirms the booking in one transaction with its confirmation, and a replayed,
out-of-order, unsigned, forged, stale, malformed or oversized delivery changes nothing and is
never a 500. A declined card leaves the booking waiting until its window ends, and the
customer is told why it was released."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from assistant.notifications.runtime import DISPATCHER
from assistant.payments import REFUNDS
from scheduling.booking import attendance
from scheduling.persistence.booking_uow import BookingUnitOfWork
from tests.fakes.stripe import DECLINED_CARD, FakeStripe, signed
from tests.gateway.booking_flow import rows
from tests.payments.stripe_desk import Desk, book_deposit, deliver, to_checkout

pytestmark = pytest.mark.db


async def _state(desk: Desk, appointment_id: object) -> tuple[str, str, str | None]:
    [row] = await rows(desk.factory, "SELECT status, payment_status, payment_reference FROM "
                       "appointments WHERE id = :a", a=appointment_id)
    return tuple(row)  # type: ignore[return-value]


async def _outbox(desk: Desk, appointment_id: object) -> dict[str, str]:
    found = await rows(desk.factory, "SELECT dedupe_key, status FROM outbox WHERE "
                       "appointment_id = :a", a=appointment_id)
    return {key.split(":")[0] + ":" + key.split(":")[-1]: status for key, status in found}


async def test_booked_paid_by_checkout_and_confirmed_by_the_signed_webhook(desk: Desk) -> None:
    appointment_id, went = await book_deposit(desk)
    assert went.startswith("/appointments/pay?token=")
    assert await _state(desk, appointment_id) == ("pending", "pending", None)
    queued = await _outbox(desk, appointment_id)
    assert queued["pending_payment:pending"] == "pending" and "confirmation:pending" not in queued

    await desk.client.app[DISPATCHER].run_once()  # the pay link goes out by SMS
    [(summary,)] = await rows(desk.factory, "SELECT d.summary FROM delivery_attempts d JOIN "
                              "outbox o ON o.id = d.outbox_id WHERE o.kind = 'pending_payment'"
                              " AND d.channel = 'sms'")
    assert "pay the $30 deposit to keep your Colour" in summary and "/a/" in summary

    session_id = await to_checkout(desk, went)
    assert await to_checkout(desk, went) == session_id  # the same checkout, not a second
    session = desk.stripe.sessions[session_id]
    assert session["amount_total"] == 3000 and session["currency"] == "usd"
    assert session["client_reference_id"] == str(appointment_id)

    delivery = desk.stripe.pay(session_id)
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "paid")
    reference = desk.stripe.sessions[session_id]["payment_intent"]
    assert await _state(desk, appointment_id) == ("confirmed", "paid", reference)
    assert await rows(desk.factory, "SELECT outcome, appointment_id FROM payment_events") == [
        ("paid", appointment_id)]
    queued = await _outbox(desk, appointment_id)
    assert queued["confirmation:confirmed"] == "pending"
    assert queued["pending_payment:pending"] == "sent"  # sent before: stays as it was

    status, answer = await deliver(desk, *delivery)  # Stripe delivers it again
    assert (status, answer["outcome"]) == (200, "duplicate")
    [(confirmations,)] = await rows(desk.factory, "SELECT count(*) FROM outbox WHERE "
                                    "kind = 'confirmation' AND appointment_id = :a",
                                    a=appointment_id)
    assert confirmations == 1
    expired = FakeStripe.event("checkout.session.expired", session | {"status": "expired"})
    status, answer = await deliver(desk, *signed(expired))  # late and out of order
    assert (status, answer["outcome"]) == (200, "ignored")
    assert await _state(desk, appointment_id) == ("confirmed", "paid", reference)


async def test_deliveries_that_are_not_stripes_change_nothing(desk: Desk) -> None:
    appointment_id, went = await book_deposit(desk)
    session_id = await to_checkout(desk, went)
    body, good = signed(FakeStripe.event("checkout.session.completed",
                                         desk.stripe.sessions[session_id]
                                         | {"payment_status": "paid",
                                            "payment_intent": "pi_forged"}))
    stale = signed(body, at=int(time.time()) - 3600)
    cases = [(body, None), (body, ""), (body, good.replace("v1=", "v1=0")),
             (body, signed(body, secret="whsec_someone_else")[1]), stale,
             (body[:-1], good), signed(b"not json"), signed(b"\xff\xfe" * 10),
             signed({"no": "event"}), signed(b"[1, 2]")]
    for delivery in cases:
        status, _ = await deliver(desk, *delivery)
        assert status == 400, delivery
    huge = b"{" + b" " * (70 * 1024) + b"}"
    assert (await deliver(desk, huge, good))[0] == 413
    assert await _state(desk, appointment_id) == ("pending", "pending", None)
    [(events,)] = await rows(desk.factory, "SELECT count(*) FROM payment_events")
    assert events == 0


async def test_a_declined_card_leaves_it_waiting_until_released_and_told_why(
    desk: Desk,
) -> None:
    appointment_id, went = await book_deposit(desk)
    session_id = await to_checkout(desk, went)
    assert desk.stripe.pay(session_id, DECLINED_CARD) is None
    assert await _state(desk, appointment_id) == ("pending", "pending", None)
    [(created,)] = await rows(desk.factory, "SELECT created_at FROM appointments WHERE id = :a",
                              a=appointment_id)
    later = created + timedelta(minutes=31)
    swept = await attendance.expire_unpaid(BookingUnitOfWork(desk.factory), later)
    assert swept.expired == (appointment_id,)
    dispatcher = desk.client.app[DISPATCHER]
    dispatcher.clock = lambda: later
    await dispatcher.run_once()
    said = await rows(desk.factory, "SELECT d.channel, d.summary FROM delivery_attempts d JOIN "
                      "outbox o ON o.id = d.outbox_id WHERE o.kind = 'cancellation'")
    assert [channel for channel, _ in said] == ["sms"]  # booked with a phone alone
    assert all("payment not received" in summary for _, summary in said), said

    delivery = desk.stripe.pay(session_id)  # paid in another tab after all: too late
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "refunding")
    assert await _state(desk, appointment_id) == ("cancelled", "pending", None)
    worker = desk.client.app[REFUNDS]
    assert await worker.run_once() == 1
    [refund] = desk.stripe.refunds.values()
    assert refund["amount"] == 3000
    [(provider_id, state)] = await rows(desk.factory, "SELECT provider_id, status FROM "
                                        "payment_refunds WHERE appointment_id = :a",
                                        a=appointment_id)
    assert (provider_id, state) == (refund["id"], "succeeded")


async def test_a_busy_stripe_is_a_page_that_says_so_never_a_500(desk: Desk) -> None:
    _, went = await book_deposit(desk)
    desk.stripe.ledger.fail_next(429)
    busy = await desk.client.get(went, allow_redirects=False)
    assert busy.status == 503 and "Payments are busy" in await busy.text()
    desk.stripe.ledger.fail_next(500, 503, 500)  # more than the library's two retries
    assert (await desk.client.get(went, allow_redirects=False)).status == 503
    desk.stripe.ledger.fail_next(500)  # one failure: the library's retry gets through
    assert len(await to_checkout(desk, went)) > 10
    assert desk.stripe.sessions  # exactly the one checkout, made once
    assert len(desk.stripe.sessions) == 1


async def test_the_same_event_delivered_twice_at_once_is_applied_once(desk: Desk) -> None:
    appointment_id, went = await book_deposit(desk)
    delivery = desk.stripe.pay(await to_checkout(desk, went))
    assert delivery is not None
    answers = await asyncio.gather(deliver(desk, *delivery), deliver(desk, *delivery))
    assert sorted(answer["outcome"] for _, answer in answers) == ["duplicate", "paid"]
    [(confirmations,)] = await rows(desk.factory, "SELECT count(*) FROM outbox WHERE "
                                    "kind = 'confirmation' AND appointment_id = :a",
                                    a=appointment_id)
    [(audited,)] = await rows(desk.factory, "SELECT count(*) FROM booking_events WHERE "
                              "subject_id = :a AND reason LIKE 'deposit paid%'",
                              a=appointment_id)
    assert (confirmations, audited) == (1, 1)
