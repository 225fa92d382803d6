"""Issue 17's last proof, "a no-show with a saved card: the fee is charged", on the whole running
system (`python -m assistant run`: gateway, real Rasa, action server, dispatcher, fee worker)
with Stripe's API pointed at the local fake, for a men's cut that asks no deposit but a card
saved to confirm (no-show protection).

By chat, the read-back states the card terms before the yes; the booking waits for the card;
the SMS's link (the real dispatcher) leads to the fake's setup-mode checkout; saving the card
there yields Stripe's signed webhook, which confirms the booking, and the confirmation goes
out; the `setup_intent.succeeded` Stripe sends beside it changes nothing. The owner marks the
booking a no-show at the desk; the fee worker charges the $40 fee to the saved card
off-session, recorded with Stripe's payment id.
"""

from __future__ import annotations

import asyncio
import re
import urllib.request
from urllib.parse import urlencode

import pytest

from scheduling.persistence.database import make_engine, make_session_factory
from tests.e2e.test_conversations import conversation
from tests.e2e.test_deposit_e2e import (  # noqa: F401  (the fixtures)
    URL,
    Running,
    StripeThread,
    booking_of,
    eventually,
    pay_and_deliver,
    sms_to,
    stripe,
    system,
    to_checkout,
)
from tests.gateway.admin_login import login_as
from tests.stack import query

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]
PHONE = "+12125550166"
TERMS = ("We'll save your card to confirm it; you're charged only $25 if you cancel later "
         "than 24 hours before the appointment or $40 if you do not come, nothing now.")


def _owner_cookie(database_url: str) -> str:
    async def signed_in() -> dict[str, str]:
        engine = make_engine(database_url, pool_size=1, max_overflow=0)
        try:
            return await login_as(make_session_factory(engine), "owner@example.com")
        finally:
            await engine.dispose()
    return "; ".join(f"{k}={v}" for k, v in asyncio.run(signed_in()).items())


def _no_show_at_the_desk(running: Running, database_url: str, appointment_id: object) -> None:
    cookie, path = _owner_cookie(database_url), f"/admin/appointments/{appointment_id}/no-show"
    with urllib.request.urlopen(urllib.request.Request(
            running.url + path, headers={"Cookie": cookie}), timeout=60) as page:
        form = page.read().decode()
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found is not None and "Mark no-show" in form, form[-800:]
    status, body = running.post(path, urlencode({"csrf": found.group(1), "confirmed": "yes"})
                               .encode(), {"Cookie": cookie})
    assert status in (200, 303), body[-800:]


def test_a_card_saved_by_chat_confirms_and_a_no_show_charges_the_fee(
    system: Running, stripe: StripeThread, database_url: str,  # noqa: F811
) -> None:
    query(database_url, "UPDATE services SET card_required = true, deposit_kind = 'none', "
          "deposit = 0 WHERE name = 'Men''s cut' RETURNING id")
    sender = "web-card-e2e"
    conversation(system, sender, [
        ("I'd like a men's cut next wednesday at 10am", "Here is what I have"),
        ("the first", "name"), ("Jo Card", "phone"), ("(212) 555-0166", "email"),
    ])
    read_back = conversation(system, sender, [("skip", "To confirm: Men's cut")])
    assert TERMS in read_back and "without a card by then, the booking is released" in \
        read_back, read_back
    booked = conversation(system, sender, [("yes", "You're booked")])
    assert "link to add it now (nothing is charged now)" in booked, booked
    appointment_id, *state = booking_of(database_url, PHONE)
    assert state == ["pending", "card_pending", None, "web"]

    link_sms = sms_to(database_url, PHONE, "pending_payment")
    assert "add a card to confirm your Men's cut" in link_sms, link_sms
    link = URL.search(link_sms)
    assert link, link_sms
    session_id = to_checkout(system, stripe.ready.result(), link.group(0).rstrip(".,"))
    session = stripe.run(lambda: dict(stripe.fake.sessions[session_id]))
    assert (session["mode"], session["client_reference_id"]) == ("setup", str(appointment_id))

    assert '"outcome": "card_saved"' in pay_and_deliver(system, stripe, session_id)
    assert booking_of(database_url, PHONE)[1:] == ("confirmed", "card_saved", None, "web")
    assert "Men's cut" in sms_to(database_url, PHONE, "confirmation")
    body, signature = stripe.run(lambda: stripe.fake.setup_succeeded(session_id))
    status, answer = system.post("/webhooks/stripe", body, {
        "Content-Type": "application/json", "Stripe-Signature": signature})
    assert status == 200 and '"outcome": "card_already_saved"' in answer, answer

    query(database_url, "UPDATE appointments SET starts_at = now() - interval '2 hours', "
          "ends_at = now() - interval '1 hour', blocked_start = now() - interval '2 hours', "
          "blocked_end = now() - interval '1 hour' WHERE id = %s RETURNING id", appointment_id)
    _no_show_at_the_desk(system, database_url, appointment_id)
    [(kind, amount, fee_status, provider_id)] = eventually(lambda: query(
        database_url, "SELECT kind, amount, status, provider_id FROM payment_fees WHERE "
        "appointment_id = %s", appointment_id), lambda rows: bool(rows) and rows[0][2] in (
            "charged", "declined", "requested", "failed"), "the fee's charge")
    setup = stripe.run(lambda: dict(stripe.fake.setups[
        stripe.fake.sessions[session_id]["setup_intent"]]))
    fees = stripe.run(lambda: [i for i in stripe.fake.intents.values()
                               if i["metadata"].get("purpose") == "fee"])
    assert [(i["amount"], i["status"], i["payment_method"]) for i in fees] == [
        (4000, "succeeded", setup["payment_method"])]
    assert (kind, amount, fee_status, provider_id) == ("no_show", 40, "charged", fees[0]["id"])
