"""No-show protection (issue 17) with Stripe on (the real `stripe` library against the local
fake): a men's cut that asks for a card to confirm, no deposit. Booked through /book, the
confirm step states the terms before the customer says yes; the booking waits pending and the
confirm goes on to a setup-mode Checkout (a Stripe Customer, nothing charged, the terms above
the button); the signed webhook saves the card and confirms the booking with its confirmation,
once (replayed, or told again by `setup_intent.succeeded`, or the two out of order: nothing
changes twice). A no-show marked at the desk then charges the $40 fee to the saved card,
off-session, recorded with Stripe's id. Unsaved by the window's end the booking is released
and the customer told why; without online payments no card is asked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from assistant.payments import FEES, PROVIDER
from assistant.payments.pending_window import settle_paid_checkouts
from scheduling.booking import attendance
from scheduling.persistence.booking_uow import BookingUnitOfWork
from tests.fakes.stripe import GOOD_CARD
from tests.gateway.booking_flow import execute, rows, to_confirm
from tests.payments.stripe_desk import (
    BUSINESS,
    Desk,
    book_deposit,
    deliver,
    deposits_online,
    to_checkout,
)
from tests.payments.test_fees_saved_card import _fee, _no_show_at_the_desk, _started
from tests.payments.test_pay_links_desk_voice import COLOUR, _book_at_desk, _form, _texted_pay_link

pytestmark = pytest.mark.db
TERMS = ("We'll save your card to confirm it; you're charged only $25 if you cancel later "
         "than 24 hours before the appointment or $40 if you do not come, nothing now.")


async def _card_required(desk: Desk) -> None:
    await execute(desk.factory, "UPDATE services SET card_required = true WHERE business_id ="
                  " :b AND name = 'Men''s cut'", b=BUSINESS)


async def _book(desk: Desk) -> tuple[UUID, str]:
    """A men's cut booked through /book: (its id, where confirming sent the browser)."""
    await _card_required(desk)
    return await book_deposit(desk, service="mens-cut", says=TERMS)


async def _state(desk: Desk, appointment_id: UUID) -> tuple[Any, ...]:
    [row] = await rows(desk.factory, "SELECT status, payment_status, payment_required FROM "
                       "appointments WHERE id = :a", a=appointment_id)
    return tuple(row)


async def _kinds(desk: Desk, appointment_id: UUID) -> dict[str, str]:
    found = await rows(desk.factory, "SELECT kind, status FROM outbox WHERE appointment_id = :a",
                       a=appointment_id)
    return {kind: status for kind, status in found}


async def test_the_card_saved_confirms_once_and_a_no_show_charges_it(desk: Desk) -> None:
    appointment_id, went = await _book(desk)
    assert went.startswith("/appointments/pay?token=")
    assert await _state(desk, appointment_id) == ("pending", "card_pending", False)
    kinds = await _kinds(desk, appointment_id)
    assert "pending_payment" in kinds and "confirmation" not in kinds

    session_id = await to_checkout(desk, went)
    session = desk.stripe.sessions[session_id]
    assert (session["mode"], session["amount_total"]) == ("setup", None)
    assert session["customer"] in desk.stripe.customers
    assert "may charge it $25 if you cancel later than 24 hours before the appointment or $40 " \
           "if you do not come" in session["consent_text"]
    assert await to_checkout(desk, went) == session_id  # the live checkout, not a second one

    delivery = desk.stripe.pay(session_id, GOOD_CARD)
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "card_saved")
    assert await _state(desk, appointment_id) == ("confirmed", "card_saved", False)
    setup = desk.stripe.setups[session["setup_intent"]]
    assert await rows(desk.factory, "SELECT provider_customer, payment_method FROM saved_cards "
                      "WHERE appointment_id = :a", a=appointment_id) == [
        (session["customer"], setup["payment_method"])]
    kinds = await _kinds(desk, appointment_id)
    assert kinds["pending_payment"] == "cancelled" and kinds["confirmation"] == "pending"

    status, answer = await deliver(desk, *delivery)  # the same event again
    assert (status, answer["outcome"]) == (200, "duplicate")
    status, answer = await deliver(desk, *desk.stripe.setup_succeeded(session_id))
    assert (status, answer["outcome"]) == (200, "card_already_saved")
    assert await rows(desk.factory, "SELECT count(*) FROM outbox WHERE appointment_id = :a AND "
                      "kind = 'confirmation'", a=appointment_id) == [(1,)]

    await _started(desk, appointment_id, -2)
    await _no_show_at_the_desk(desk, appointment_id)
    assert await desk.client.app[FEES].run_once() == 1
    [intent] = [i for i in desk.stripe.intents.values() if i["metadata"].get("purpose") == "fee"]
    assert (intent["amount"], intent["status"], intent["payment_method"]) == (
        4000, "succeeded", setup["payment_method"])
    assert await _fee(desk, appointment_id) == ("no_show", 40, "charged", intent["id"], 1)


async def test_the_setup_intent_first_then_the_session_confirms_once(desk: Desk) -> None:
    appointment_id, went = await _book(desk)
    session_id = await to_checkout(desk, went)
    completed = desk.stripe.pay(session_id, GOOD_CARD)
    assert completed is not None
    status, answer = await deliver(desk, *desk.stripe.setup_succeeded(session_id))
    assert (status, answer["outcome"]) == (200, "card_saved")
    status, answer = await deliver(desk, *completed)
    assert (status, answer["outcome"]) == (200, "card_already_saved")
    assert await _state(desk, appointment_id) == ("confirmed", "card_saved", False)
    assert await rows(desk.factory, "SELECT count(*) FROM saved_cards WHERE appointment_id = :a",
                      a=appointment_id) == [(1,)]


async def test_a_desk_booking_states_the_terms_and_texts_the_link_to_add_the_card(
        desk: Desk) -> None:
    await execute(desk.factory, "UPDATE services SET deposit_kind = 'none', deposit = 0,"
                  " card_required = true WHERE id = :s", s=COLOUR)
    before, done = await _book_at_desk(await _form(desk), "(212) 555-0178")
    assert TERMS.replace("'", "&#39;") in before, before[-3000:]
    assert "A link to add a card is on its way by text" in done
    [(appointment_id,)] = await rows(desk.factory, "SELECT id FROM appointments WHERE "
                                     "contact_name = 'Dee Desk'")
    pay_link = await _texted_pay_link(desk, appointment_id, "add a card to confirm your Colour")
    delivery = desk.stripe.pay(await to_checkout(desk, pay_link))
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "card_saved")
    assert await _state(desk, appointment_id) == ("confirmed", "card_saved", False)


async def test_no_card_by_the_window_end_releases_it_and_says_why(desk: Desk) -> None:
    appointment_id, went = await _book(desk)
    await to_checkout(desk, went)  # opened, never completed
    await execute(desk.factory, "UPDATE appointments SET created_at = created_at - interval "
                  "'31 minutes' WHERE id = :a", a=appointment_id)
    [(now,)] = await rows(desk.factory, "SELECT now()")
    swept = await attendance.expire_unpaid(BookingUnitOfWork(desk.factory), now)
    assert swept.expired == (appointment_id,)
    assert (await _state(desk, appointment_id))[0] == "cancelled"
    [(payload,)] = await rows(desk.factory, "SELECT payload FROM outbox WHERE appointment_id = :a"
                              " AND kind = 'cancellation'", a=appointment_id)
    assert payload["reason"] == "no card was saved to confirm it"

    late = desk.stripe.pay(next(iter(desk.stripe.sessions)), GOOD_CARD)
    assert late is not None
    status, answer = await deliver(desk, *late)
    assert (status, answer["outcome"]) == (200, "card_too_late")
    assert await rows(desk.factory, "SELECT count(*) FROM saved_cards") == [(0,)]


async def test_a_card_saved_but_its_webhook_lost_is_read_back_before_the_release(
        desk: Desk) -> None:
    appointment_id, went = await _book(desk)
    session_id = await to_checkout(desk, went)
    delivery = desk.stripe.pay(session_id, GOOD_CARD)  # saved; the webhook is lost on the way
    assert delivery is not None
    [(created,)] = await rows(desk.factory, "SELECT created_at FROM appointments WHERE id = :a",
                              a=appointment_id)
    later = created + timedelta(minutes=31)
    provider = desk.client.app[PROVIDER]
    assert await settle_paid_checkouts(desk.factory, provider, later) == [appointment_id]
    assert (await attendance.expire_unpaid(BookingUnitOfWork(desk.factory), later)).expired == ()
    assert await _state(desk, appointment_id) == ("confirmed", "card_saved", False)
    status, answer = await deliver(desk, *delivery)  # the webhook comes after all
    assert (status, answer["outcome"]) == (200, "card_already_saved")
    assert await settle_paid_checkouts(desk.factory, provider, later) == []


async def test_paying_at_the_salon_asks_no_card(desk: Desk) -> None:
    await deposits_online(desk.factory, online=False)
    await _card_required(desk)
    confirm, _ = await to_confirm(desk.client, desk.factory, service="mens-cut", staff="any")
    assert "save your card" not in confirm.words
    form, button = confirm.page.form_with("Confirm booking")
    method, url, body = form.submit(button)
    answer = await desk.client.request(method, url, data=body, allow_redirects=False)
    assert answer.headers["Location"].startswith("/book/booked")
    [(appointment_id,)] = await rows(desk.factory, "SELECT id FROM appointments"
                                     " ORDER BY created_at DESC LIMIT 1")
    assert await _state(desk, appointment_id) == ("confirmed", "not_required", False)
