"""Fees really charged (issue 17), end to end with Stripe on (the real `stripe` library
against the local fake): a deposit paid through the checkout saves the card for fees (the
customer told so above the pay button); the owner marks the booking a no-show at the desk (the
admin form) and the fee worker charges what the deposit does not cover to the saved card,
off-session, once (one PaymentIntent with the fee's idempotency key, recorded with its id); a
second worker run or a replayed webhook changes nothing. A card declined off-session, or one
whose bank wants the customer (`authentication_required`), sends the customer a pay link,
which is followed and paid; a late cancellation of a booking with no card saved asks for its
fee the same way. A busy Stripe is tried again later with the same key. A fee paid twice (at
the desk, then through a checkout opened before) is refunded."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import pytest

from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from assistant.notifications.runtime import DISPATCHER
from assistant.payments import FEES, REFUNDS
from assistant.payments.fees import FeeWorker
from assistant.payments.stripe_api import StripeApi
from scheduling.booking import changes
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor
from scheduling.persistence.booking_uow import BookingUnitOfWork
from tests.fakes.stripe import (
    DECLINES_LATER,
    GOOD_CARD,
    SECRET_KEY,
    WANTS_CUSTOMER,
    WEBHOOK_SECRET,
    signed,
)
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import execute, rows, to_confirm
from tests.payments.stripe_desk import Desk, book_deposit, deliver, to_checkout

pytestmark = pytest.mark.db
OWNER = "owner@example.com"


async def _paid_deposit(desk: Desk, card: str) -> UUID:
    appointment_id, went = await book_deposit(desk)
    session_id = await to_checkout(desk, went)
    session = desk.stripe.sessions[session_id]
    assert session["setup_future_usage"] == "off_session"
    assert session["customer_creation"] == "always"
    assert "may charge it $25 if you cancel later than 24 hours before the appointment or " \
           "$40 if you do not come" in session["consent_text"]
    delivery = desk.stripe.pay(session_id, card)
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "paid")
    [(customer, method)] = await rows(desk.factory, "SELECT provider_customer, payment_method "
                                      "FROM saved_cards WHERE appointment_id = :a",
                                      a=appointment_id)
    assert (customer, method) == (session["customer"],
                                  desk.stripe.intents[session["payment_intent"]]
                                  ["payment_method"])
    return appointment_id


async def _started(desk: Desk, appointment_id: UUID, hours: float) -> None:
    """The appointment moved to start `hours` from now (negative: it has begun)."""
    await execute(desk.factory, "UPDATE appointments SET starts_at = now() + make_interval("
                  "secs => :s), ends_at = now() + make_interval(secs => :s + 3600), "
                  "blocked_start = now() + make_interval(secs => :s), blocked_end = now() + "
                  "make_interval(secs => :s + 3600) WHERE id = :a", s=hours * 3600,
                  a=appointment_id)


async def _no_show_at_the_desk(desk: Desk, appointment_id: UUID) -> dict[str, str]:
    owner = await login_as(desk.factory, OWNER)
    asked = await desk.client.get(f"/admin/appointments/{appointment_id}/no-show",
                                  cookies=owner)
    page = await asked.text()
    assert asked.status == 200 and "Mark no-show" in page, page[-500:]
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    done = await desk.client.post(f"/admin/appointments/{appointment_id}/no-show",
                                  data={"csrf": found.group(1), "confirmed": "yes"},
                                  cookies=owner, allow_redirects=False)
    assert done.status == 303, await done.text()
    return owner


async def _fee(desk: Desk, appointment_id: UUID) -> tuple[Any, ...]:
    [row] = await rows(desk.factory, "SELECT kind, amount, status, provider_id, attempts FROM "
                       "payment_fees WHERE appointment_id = :a", a=appointment_id)
    return tuple(row)


def _fee_intents(desk: Desk) -> list[dict[str, Any]]:
    return [i for i in desk.stripe.intents.values() if i["metadata"].get("purpose") == "fee"]


async def _detail(desk: Desk, appointment_id: UUID, owner: dict[str, str]) -> str:
    answer = await desk.client.get(f"/admin/appointments/{appointment_id}", cookies=owner)
    assert answer.status == 200
    return await answer.text()


async def test_a_no_show_is_charged_to_the_saved_card_once(desk: Desk) -> None:
    appointment_id = await _paid_deposit(desk, GOOD_CARD)
    await _started(desk, appointment_id, -2)
    owner = await _no_show_at_the_desk(desk, appointment_id)
    [(outbox_id, payload)] = await rows(desk.factory, "SELECT id, payload FROM outbox WHERE "
                                        "kind = 'fee_charge' AND appointment_id = :a",
                                        a=appointment_id)
    assert (payload["fee_kind"], payload["fee"]) == ("no_show", "10.00")  # $40 less the $30

    worker = desk.client.app[FEES]
    assert await worker.run_once() == 1
    [intent] = _fee_intents(desk)
    assert (intent["amount"], intent["status"], intent["customer"]) == (
        1000, "succeeded", desk.stripe.methods[intent["payment_method"]]["customer"])
    assert desk.stripe.ledger.requests[f"fee-{outbox_id}"] == 1
    assert await _fee(desk, appointment_id) == ("no_show", 10, "charged", intent["id"], 1)

    assert await worker.run_once() == 0  # done: a second run charges nothing
    [(deposit_event,)] = await rows(desk.factory, "SELECT event_id FROM payment_events")
    session = next(iter(desk.stripe.sessions.values()))
    replay = desk.stripe.event("checkout.session.completed", session) | {"id": deposit_event}
    status, answer = await deliver(desk, *signed(replay))
    assert (status, answer["outcome"]) == (200, "duplicate")
    assert len(_fee_intents(desk)) == 1
    assert await rows(desk.factory, "SELECT count(*) FROM outbox WHERE kind = 'fee_due'") == \
        [(0,)]
    page = await _detail(desk, appointment_id, owner)
    assert "No-show fee" in page and "charged to the saved card" in page and intent["id"] in page


@pytest.mark.parametrize("card", [DECLINES_LATER, WANTS_CUSTOMER])
async def test_a_declined_card_gets_a_pay_link_that_is_followed_and_paid(
    desk: Desk, card: str,
) -> None:
    appointment_id = await _paid_deposit(desk, card)
    await _started(desk, appointment_id, -2)
    owner = await _no_show_at_the_desk(desk, appointment_id)
    assert await desk.client.app[FEES].run_once() == 1
    [intent] = _fee_intents(desk)
    assert intent["status"] == "requires_payment_method"
    kind, amount, status, provider_id, _ = await _fee(desk, appointment_id)
    assert (kind, amount, status, provider_id) == ("no_show", 10, "declined", None)
    page = await _detail(desk, appointment_id, owner)
    assert "the saved card was declined; pay link sent" in page

    await _pay_the_link(desk, appointment_id, "fee:no_show", 1000)
    page = await _detail(desk, appointment_id, owner)
    assert "paid through the pay link" in page


async def _pay_the_link(desk: Desk, appointment_id: UUID, purpose: str, cents: int
                        ) -> list[tuple[str, str]]:
    """The dispatcher sends the pay link (SMS and e-mail when there is one); its short link
    opens Stripe's checkout for the fee; paid, the webhook records the fee paid, once."""
    await desk.client.app[DISPATCHER].run_once()
    sent = await rows(desk.factory, "SELECT d.channel, d.summary FROM delivery_attempts d "
                      "JOIN outbox o ON o.id = d.outbox_id WHERE o.kind = 'fee_due' AND "
                      "o.appointment_id = :a AND d.status = 'sent'", a=appointment_id)
    [sms] = [summary for channel, summary in sent if channel == "sms"]
    assert "fee for" in sms and "is due" in sms, sms
    link = re.search(r"https?://\S+/a/\w+", sms)
    assert link is not None, sms
    short = await desk.client.get(urlsplit(link.group(0)).path, allow_redirects=False)
    assert short.status == 303 and short.headers["Location"].startswith("/appointments/fee?")
    session_id = await to_checkout(desk, short.headers["Location"])
    assert await to_checkout(desk, short.headers["Location"]) == session_id  # the same one
    session = desk.stripe.sessions[session_id]
    assert (session["metadata"]["purpose"], session["amount_total"]) == (purpose, cents)
    assert session["setup_future_usage"] is None  # a fee's checkout saves no card
    delivery = desk.stripe.pay(session_id)
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "fee_paid")
    assert (await deliver(desk, *delivery))[1]["outcome"] == "duplicate"
    [(status, provider_id)] = await rows(desk.factory, "SELECT status, provider_id FROM "
                                         "payment_fees WHERE appointment_id = :a",
                                         a=appointment_id)
    assert (status, provider_id) == ("paid", session["payment_intent"])
    paid = await desk.client.get(short.headers["Location"], allow_redirects=False)
    assert paid.headers["Location"].startswith("/appointments/manage?")  # nothing left owed
    return sent


async def test_a_late_cancellation_without_a_card_asks_for_its_fee(desk: Desk) -> None:
    confirm, _ = await to_confirm(desk.client, desk.factory, phone="+12125550144",
                                  email="dana@example.com", service="womens-cut", staff="any")
    form, button = confirm.page.form_with("Confirm booking")
    method, url, body = form.submit(button)
    assert (await desk.client.request(method, url, data=body)).status == 200
    [(appointment_id,)] = await rows(desk.factory, "SELECT id FROM appointments ORDER BY "
                                     "created_at DESC LIMIT 1")
    await _started(desk, appointment_id, 3)  # inside the 24 hours: a late cancel
    cancel = CancelAppointment(appointment_id, Actor.CUSTOMER, "cannot come")
    result = await changes.cancel(cancel, BookingUnitOfWork(desk.factory), datetime.now(UTC))
    assert result.fee == 25 and result.refund == 0
    assert await desk.client.app[FEES].run_once() == 1
    assert _fee_intents(desk) == []  # no card: nothing charged, the customer is asked
    assert (await _fee(desk, appointment_id))[:3] == ("late_cancel", 25, "requested")
    sent = await _pay_the_link(desk, appointment_id, "fee:late_cancel", 2500)
    [mail] = [summary for channel, summary in sent if channel == "email"]
    assert "Late cancellation fee of $25" in mail, mail


async def test_a_busy_stripe_is_tried_again_with_the_same_key(desk: Desk) -> None:
    """429, a timeout and a 503, each tried again after its backoff; charged once."""
    appointment_id = await _paid_deposit(desk, GOOD_CARD)
    await _started(desk, appointment_id, -2)
    await _no_show_at_the_desk(desk, appointment_id)
    worker = desk.client.app[FEES]
    desk.stripe.ledger.fail_next(429)  # the library does not retry a 429 itself
    assert await worker.run_once() == 1
    assert (await _fee(desk, appointment_id))[2:] == ("retrying", None, 1)
    assert await worker.run_once() == 0  # backing off
    hasty = StripeApi(SECRET_KEY, WEBHOOK_SECRET, desk.stripe_url, timeout=0.3, retries=0)
    try:  # no answer within the timeout, then a 503: each tried again later
        desk.stripe.ledger.hang_seconds = 1.0
        desk.stripe.ledger.fail_next("timeout", 503)
        for minutes in (5, 10):
            later = datetime.now(UTC) + timedelta(minutes=minutes)
            assert await FeeWorker(desk.factory, hasty, clock=lambda at=later: at
                                   ).run_once() == 1
    finally:
        await hasty.close()
    assert (await _fee(desk, appointment_id))[2:] == ("retrying", None, 3)
    worker.clock = lambda: datetime.now(UTC) + timedelta(minutes=30)
    assert await worker.run_once() == 1
    [intent] = _fee_intents(desk)
    assert (await _fee(desk, appointment_id))[2:] == ("charged", intent["id"], 4)
    [(outbox_id,)] = await rows(desk.factory, "SELECT id FROM outbox WHERE kind = 'fee_charge'")
    assert desk.stripe.ledger.requests[f"fee-{outbox_id}"] == 1


async def test_a_fee_paid_at_the_desk_and_then_by_link_is_refunded(desk: Desk) -> None:
    """The customer opened the pay link, then paid at the desk, then paid the open checkout
    too: the second payment goes back through the refund worker."""
    appointment_id = await _paid_deposit(desk, DECLINES_LATER)
    await _started(desk, appointment_id, -2)
    owner = await _no_show_at_the_desk(desk, appointment_id)
    assert await desk.client.app[FEES].run_once() == 1
    await desk.client.app[DISPATCHER].run_once()
    token = links_token(await rows(desk.factory, "SELECT payload FROM outbox WHERE kind = "
                                   "'fee_due'"), desk)
    session_id = await to_checkout(desk, f"/appointments/fee?token={token}")
    page = await _detail(desk, appointment_id, owner)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None and "Mark fee paid" in page
    paid = await desk.client.post(f"/admin/appointments/{appointment_id}/fee-paid",
                                  cookies=owner, allow_redirects=False,
                                  data={"csrf": found.group(1), "paid_in": "cash",
                                        "confirmed": "yes"})
    assert paid.status == 303
    delivery = desk.stripe.pay(session_id)
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "fee_refunding")
    assert await desk.client.app[REFUNDS].run_once() == 1
    [refund] = desk.stripe.refunds.values()
    assert (refund["amount"], refund["payment_intent"]) == (
        1000, desk.stripe.sessions[session_id]["payment_intent"])
    assert (await _fee(desk, appointment_id))[2:4] == ("paid", "in person (cash)")


def links_token(found: list[Any], desk: Desk) -> str:
    """The signed "fee" token a fee_due message's link carries."""
    [(payload,)] = found
    key = links.link_key(desk.client.app[SETTINGS])
    expires = datetime.fromisoformat(payload["end"]) + links.AFTER_END
    return links.sign(key, UUID(payload["appointment_id"]), "fee", expires)


async def test_a_moved_booking_keeps_the_card_its_deposit_saved(desk: Desk) -> None:
    old = await _paid_deposit(desk, GOOD_CARD)
    [(start,)] = await rows(desk.factory, "SELECT starts_at FROM appointments WHERE id = :a",
                            a=old)
    moved = await changes.reschedule(RescheduleAppointment(old, start + timedelta(days=7),
                                                           Actor.OWNER),
                                     BookingUnitOfWork(desk.factory), datetime.now(UTC))
    await _started(desk, moved.new.id, -2)
    await _no_show_at_the_desk(desk, moved.new.id)
    assert await desk.client.app[FEES].run_once() == 1
    [intent] = _fee_intents(desk)
    assert intent["status"] == "succeeded" and intent["amount"] == 1000
    assert (await _fee(desk, moved.new.id))[2:4] == ("charged", intent["id"])
