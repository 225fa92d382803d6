"""A booking taken at the front desk or by phone gets the pay link by SMS when the business
takes deposits online, as the chat and the booking page do: the desk form says so before
booking and the done page after; the gateway's own dispatcher texts the link (through the
Twilio fake), and the test follows it from the text to Stripe's checkout (the fake), pays,
and the signed webhook confirms the booking. At the salon the form and the done page say the
deposit is owed at the desk, and no pay link is queued."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ActionBook
from actions.offers import ActionAskSlotChoice
from actions.runtime import runtime
from assistant.notifications.runtime import DISPATCHER
from scheduling.demo import demo_id
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import DOMAIN
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import rows
from tests.gateway.test_admin_bookings import NEW, a_weekday
from tests.gateway.test_admin_bookings import Desk as Form
from tests.payments.stripe_desk import Desk, deliver, deposits_online, to_checkout

pytestmark = pytest.mark.db
COLOUR, ANA = demo_id("service/Colour"), demo_id("staff/ana")


async def _form(desk: Desk) -> Form:
    return Form(desk.client, await login_as(desk.factory, "owner@example.com"))


async def _book_at_desk(form: Form, phone: str) -> tuple[str, str]:
    """Colour with Ana for a new customer: (the form's page before booking, the done page)."""
    query = f"?service_id={COLOUR}&staff_id={ANA}"
    status, before = await form.open(query)
    assert status == 200, before[-1500:]
    base = await form.fields(query)
    day = a_weekday()
    free = await form.times(base, service_id=str(COLOUR), staff_id=str(ANA), day=day)
    assert free, "Ana has free times on a weekday"
    status, _, went = await form.post(NEW, {
        **base, "service_id": str(COLOUR), "staff_id": str(ANA), "day": day, "start": free[0],
        "customer_id": "new", "name": "Dee Desk", "phone": phone, "step": "book"})
    assert status == 303 and went, "booked"
    done = await form.client.get(went, cookies=form.cookies)
    return before, await done.text()


async def _texted_pay_link(desk: Desk, appointment_id: Any,
                           says: str = "pay the $30 deposit") -> str:
    """Send what is due with the gateway's dispatcher; the pay link the SMS carries (saying
    `says`), as the path it leads to once its short link is opened."""
    await desk.client.app[DISPATCHER].run_once()
    [(summary, to)] = await rows(desk.factory, "SELECT d.summary, d.recipient FROM "
                                 "delivery_attempts d JOIN outbox o ON o.id = d.outbox_id WHERE "
                                 "o.kind = 'pending_payment' AND d.channel = 'sms' AND "
                                 "o.appointment_id = :a", a=appointment_id)
    assert says in summary, summary
    short = re.search(r"https?://\S+(/a/[\w-]+)", summary)
    assert short is not None, summary
    opened = await desk.client.get(short.group(1), allow_redirects=False)
    assert opened.status in (302, 303), await opened.text()
    target = urlsplit(opened.headers["Location"])
    assert target.path == "/appointments/pay"
    return f"{target.path}?{target.query}"


async def _paid_and_confirmed(desk: Desk, appointment_id: Any, pay_link: str) -> None:
    session_id = await to_checkout(desk, pay_link)
    assert desk.stripe.sessions[session_id]["client_reference_id"] == str(appointment_id)
    delivery = desk.stripe.pay(session_id)
    assert delivery is not None
    status, answer = await deliver(desk, *delivery)
    assert (status, answer["outcome"]) == (200, "paid")
    [(state, paid)] = await rows(desk.factory, "SELECT status, payment_status FROM "
                                 "appointments WHERE id = :a", a=appointment_id)
    assert (state, paid) == ("confirmed", "paid")


async def test_a_desk_booking_gets_the_pay_link_by_text_and_pays_it(desk: Desk) -> None:
    before, done = await _book_at_desk(await _form(desk), "(212) 555-0177")
    assert "takes a deposit, paid online: the customer gets a link by text" in before
    assert "A link to pay the $30 deposit online is on its way by text" in done
    [(appointment_id, channel, state)] = await rows(
        desk.factory, "SELECT id, channel, status FROM appointments WHERE contact_name = "
        "'Dee Desk'")
    assert (channel, state) == ("admin", "pending")
    pay_link = await _texted_pay_link(desk, appointment_id)
    await _paid_and_confirmed(desk, appointment_id, pay_link)


async def test_at_the_salon_the_desk_says_the_deposit_is_owed_here(desk: Desk) -> None:
    await deposits_online(desk.factory, online=False)
    before, done = await _book_at_desk(await _form(desk), "(212) 555-0178")
    assert "takes a deposit, owed here at the desk" in before
    assert "A confirmation is on its way by text. The $30 deposit is owed here" in done
    [(appointment_id, state)] = await rows(desk.factory, "SELECT id, status FROM appointments"
                                           " WHERE contact_name = 'Dee Desk'")
    assert state == "confirmed"
    assert await rows(desk.factory, "SELECT id FROM outbox WHERE kind = 'pending_payment' "
                      "AND appointment_id = :a", a=appointment_id) == []


@pytest.fixture
async def actions(desk: Desk, database_url: str) -> AsyncIterator[None]:
    """The action server's runtime on the gateway's database (a call's booking is the book
    action's, on the voice channel)."""
    runtime.configure(database_url)
    yield
    await runtime.dispose()


async def test_a_phone_booking_gets_the_pay_link_by_text_and_pays_it(
    desk: Desk, actions: None,
) -> None:
    caller = "+17185550163"
    slots: dict[str, Any] = {"service": str(COLOUR), "staff": "any", "when": "earliest"}
    sender = f"voice:{caller}"
    events = await ActionAskSlotChoice().run(CollectingDispatcher(),
                                             tracker("", slots=slots, sender=sender), DOMAIN)
    done = {**slots, "slot_choice": slots_of(events)["suggestions"][0],
            "customer_name": "Cal Voice", "phone": caller, "email": "skip",
            "booking_confirmed": True}
    dispatcher = CollectingDispatcher()
    await ActionBook().run(dispatcher, tracker("yes", "affirm", done, sender=sender), DOMAIN)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "a link to pay it online now" in said, said
    [(appointment_id, channel, state)] = await rows(
        desk.factory, "SELECT id, channel, status FROM appointments WHERE contact_name = "
        "'Cal Voice'")
    assert (channel, state) == ("voice", "pending")
    pay_link = await _texted_pay_link(desk, UUID(str(appointment_id)))
    await _paid_and_confirmed(desk, appointment_id, pay_link)
