"""The deposit in the messages, rendered as the dispatcher renders them: a confirmation at
the salon says the amount is paid there (e-mail and SMS), the owner's notice says it too,
the pay-link message carries the amount and the signed pay link, and a booking released for
non-payment says why in its SMS."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from assistant.notifications import links
from assistant.notifications.render import Renderer
from tests.booking.booking_builders import NOW, ny
from tests.notifications.conftest import BASE_URL, SECRET
from tests.notifications.messages import audience, payload

RENDERER = Renderer(SECRET, BASE_URL)
AT_SALON = {"deposit": "30.00", "deposit_status": "pending", "status": "confirmed"}


def test_a_deposit_at_the_salon_is_said_to_customer_and_owner() -> None:
    told = RENDERER.render("confirmation", payload(ny(3, 15, 10), **AT_SALON), audience(), NOW)
    assert "A deposit of $30 is to be paid at the salon when you come in" in told.text
    assert told.sms is not None and "Deposit $30 to pay at the salon." in told.sms
    owner = RENDERER.render("owner_notice", payload(ny(3, 15, 10), event="booked", **AT_SALON),
                            audience(), NOW)
    assert "The $30 deposit is to be paid at the salon; mark it paid" in owner.text
    paid = RENDERER.render("confirmation", payload(ny(3, 15, 10), deposit="30.00",
                                                   deposit_status="paid"), audience(), NOW)
    assert "deposit" not in paid.text.lower() and "deposit" not in (paid.sms or "").lower()


def test_the_pay_link_message_carries_the_amount_and_a_signed_pay_link() -> None:
    waiting = payload(ny(3, 15, 10), status="pending", amount="30.00", deposit="30.00",
                      deposit_status="pending")
    message = RENDERER.render("pending_payment", waiting, audience(), NOW)
    assert message.subject.startswith("Pay your $30 deposit to keep your booking")
    assert message.sms is not None and "pay the $30 deposit to keep your Cut" in message.sms
    [pay] = [word for word in message.text.split() if "/appointments/pay?" in word]
    token = parse_qs(urlparse(pay).query)["token"][0]
    assert str(links.verify(SECRET, token, "pay", NOW)) == waiting["appointment_id"]
    owner = RENDERER.render("owner_notice", waiting | {"event": "booked"}, audience(), NOW)
    assert "It waits for its $30 deposit, paid online" in owner.text


def test_a_booking_released_unpaid_says_why_in_its_sms() -> None:
    released = payload(ny(3, 15, 10), status="cancelled", by="system",
                       reason="payment not received")
    message = RENDERER.render("cancellation", released, audience(), NOW)
    assert message.sms is not None and "(payment not received)" in message.sms
    assert "reason: payment not received" in message.text
