"""Issue 17's proof on the whole running system (`python -m assistant run`: gateway, real Rasa,
action server, dispatcher, refund worker) with Stripe's API pointed at the local fake.

By chat: the read-back states the deposit, what happens unpaid and the cancellation terms
before the customer's yes; the booking waits; the pay link goes out by SMS (the real
dispatcher, read from `delivery_attempts`); following it reaches the fake's checkout; paying
there yields Stripe's signed webhook, delivered to /webhooks/stripe, which confirms the
booking and sends the confirmation; a free cancellation by SMS is refunded through Stripe and
recorded with the refund's id. By phone (Twilio's signed voice webhook): the deposit is
spoken before yes, and the pay link is sent by SMS to the caller.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar
from urllib.parse import urlencode, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from tests.e2e.test_conversations import Assistant, conversation
from tests.fakes.server import serve
from tests.fakes.stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe
from tests.stack import query, truncate_all

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]
TWILIO_TOKEN = "deposit-e2e-twilio-token"
CHAT_PHONE, CALLER = "+12125550188", "+12125550199"
URL = re.compile(r"https?://\S+")
T = TypeVar("T")


class StripeThread:
    """The Stripe fake served from a thread of its own (the running system is another
    process; these tests are synchronous)."""

    def __init__(self) -> None:
        self.fake = FakeStripe()
        self.loop = asyncio.new_event_loop()
        self.stopped = threading.Event()
        self.ready: Future[str] = Future()
        self.thread = threading.Thread(target=self.loop.run_until_complete,
                                       args=(self._serve(),), daemon=True)

    async def _serve(self) -> None:
        async with serve(self.fake.app()) as url:
            self.ready.set_result(url)
            while not self.stopped.is_set():
                await asyncio.sleep(0.05)

    def start(self) -> str:
        self.thread.start()
        return self.ready.result(timeout=10)

    def run(self, call: Callable[[], T]) -> T:
        """`call` on the fake's own loop (its state is only touched there)."""
        async def on_loop() -> T:
            return call()
        return asyncio.run_coroutine_threadsafe(on_loop(), self.loop).result(timeout=10)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)


class Running(Assistant):
    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def twilio(self, path: str, form: dict[str, str]) -> str:
        """Twilio's signed webhook; the words said or texted back."""
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(self.url + path, form)
        status, body = self.post(path, urlencode(form).encode(),
                                 {"X-Twilio-Signature": signature})
        assert status == 200, body
        root = ElementTree.fromstring(body)
        redirect = root.find("Redirect")
        if redirect is not None and redirect.text and "continue" in redirect.text:
            return self.twilio(redirect.text, form)  # a slow turn: Twilio follows it
        return " ".join(e.text or "" for e in root.iter() if e.tag in ("Say", "Message"))


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture(scope="module")
def stripe() -> Iterator[StripeThread]:
    served = StripeThread()
    served.start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def system(database_url: str, stripe: StripeThread,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    running = Running(tmp_path_factory.mktemp("deposit"), DATABASE_URL=database_url,
                      TWILIO_AUTH_TOKEN=TWILIO_TOKEN, STRIPE_SECRET_KEY=SECRET_KEY,
                      STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
                      STRIPE_API_BASE=stripe.ready.result())
    try:
        running.wait_ready()
        assert "Stripe payments on" in running.output(200), running.output(60)
        query(database_url, "INSERT INTO booking_rules (business_id, max_active_per_customer,"
              " require_approval, hold_minutes, claim_window_minutes, no_show_grace_minutes,"
              " deposits_online) SELECT id, 5, false, 5, 120, 15, true FROM businesses"
              " ON CONFLICT (business_id) DO UPDATE SET deposits_online = true"
              " RETURNING business_id")
        yield running
    finally:
        running.finish()
        truncate_all(database_url)


def eventually(read: Callable[[], T], done: Callable[[T], bool], what: str,
               seconds: float = 90) -> T:
    """Poll what the running system's background workers write (the dispatcher every few
    seconds, the refund worker every 15) until it is there; fail naming what never came."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never came: {value!r}")
        time.sleep(0.5)


def sms_to(database_url: str, phone: str, kind: str) -> str:
    """The text of the `kind` SMS the dispatcher sent to `phone`, once sent."""
    sent = eventually(lambda: query(
        database_url, "SELECT d.summary FROM delivery_attempts d JOIN outbox o ON "
        "o.id = d.outbox_id WHERE o.kind = %s AND d.channel = 'sms' AND d.recipient = %s "
        "AND d.status = 'sent'", kind, phone), bool, f"the {kind} SMS to {phone}")
    return str(sent[0][0])


def booking_of(database_url: str, phone: str) -> tuple[Any, ...]:
    [row] = query(database_url, "SELECT a.id, a.status, a.payment_status, a.payment_reference,"
                  " a.channel FROM appointments a JOIN customers c ON c.id = a.customer_id "
                  "WHERE c.phone = %s", phone)
    return row


def to_checkout(system: Running, stripe_base: str, link: str) -> str:
    """Follow the SMS's link as a phone's browser would, up to Stripe's hosted checkout; the
    Checkout Session's id."""
    opener = urllib.request.build_opener(NoRedirects)
    for _ in range(5):
        if link.startswith(stripe_base):
            return urlsplit(link).path.rsplit("/", 1)[1]
        try:
            opener.open(link, timeout=60)
            raise AssertionError(f"{link} did not redirect")
        except urllib.error.HTTPError as answer:
            assert answer.code in (302, 303, 307), (link, answer.code, answer.read())
            link = urljoin(link, answer.headers["Location"])
    raise AssertionError(f"no checkout at the end of {link}")


def pay_and_deliver(system: Running, stripe: StripeThread, session_id: str) -> str:
    """The customer pays at the checkout; Stripe's signed event is delivered to the
    webhook. The outcome the webhook answered."""
    delivery = stripe.run(lambda: stripe.fake.pay(session_id))
    assert delivery is not None
    body, signature = delivery
    status, answer = system.post("/webhooks/stripe", body, {
        "Content-Type": "application/json", "Stripe-Signature": signature})
    assert status == 200, answer
    return answer


def test_a_deposit_booked_by_chat_is_paid_confirmed_cancelled_and_refunded(
    system: Running, stripe: StripeThread, database_url: str,
) -> None:
    sender = "web-deposit-e2e"
    conversation(system, sender, [
        ("I'd like a colour next wednesday at 10am", "Here is what I have"),
        ("the first", "name"), ("Jo Park", "phone"), ("(212) 555-0188", "email"),
    ])
    read_back = conversation(system, sender, [("skip", "To confirm: Colour")])
    for terms in ("It needs a $30 deposit, paid online", "the time is held for 30 minutes",
                  "if it isn't paid by then, the booking is released",
                  "Cancelling is free up to 24 hours before, and a paid deposit is refunded"):
        assert terms in read_back, read_back
    booked = conversation(system, sender, [("yes", "You're booked")])
    assert "link to pay it online now" in booked, booked
    appointment_id, *state = booking_of(database_url, CHAT_PHONE)
    assert state == ["pending", "pending", None, "web"]

    pay_sms = sms_to(database_url, CHAT_PHONE, "pending_payment")
    assert "pay the $30 deposit to keep your Colour" in pay_sms, pay_sms
    link = URL.search(pay_sms)
    assert link, pay_sms
    session_id = to_checkout(system, stripe.ready.result(), link.group(0).rstrip(".,"))
    session = stripe.run(lambda: dict(stripe.fake.sessions[session_id]))
    assert (session["amount_total"], session["client_reference_id"]) == (
        3000, str(appointment_id))

    assert '"outcome": "paid"' in pay_and_deliver(system, stripe, session_id)
    intent = stripe.run(lambda: stripe.fake.sessions[session_id]["payment_intent"])
    assert booking_of(database_url, CHAT_PHONE)[1:] == ("confirmed", "paid", intent, "web")
    confirmation = sms_to(database_url, CHAT_PHONE, "confirmation")
    assert "Colour" in confirmation, confirmation

    conversation(system, f"sms:{CHAT_PHONE}", [
        ("cancel my appointment", "Cancelling now is free"), ("yes", "is cancelled"),
    ])
    assert booking_of(database_url, CHAT_PHONE)[1:3] == ("cancelled", "refunded")
    recorded = eventually(lambda: query(
        database_url, "SELECT provider_id, status, amount FROM payment_refunds WHERE "
        "appointment_id = %s", appointment_id), lambda rows: bool(rows) and rows[0][1] in (
            "succeeded", "failed"), "the refund")
    refunds = stripe.run(lambda: list(stripe.fake.refunds.values()))
    assert [(r["payment_intent"], r["amount"]) for r in refunds] == [(intent, 3000)]
    assert [(provider_id, status) for provider_id, status, _ in recorded] == [
        (refunds[0]["id"], "succeeded")]


def test_a_deposit_booked_by_phone_is_stated_before_yes_and_the_link_texted(
    system: Running, database_url: str,
) -> None:
    call = {"From": CALLER, "CallSid": "CAdeposite2e0001"}
    assert "Shear Delight" in system.twilio("/twilio/voice", call)
    said, heard = "I'd like a colour next friday at 11am", []
    answers = [("you're booked", None), ("to confirm", "yes"), ("which one", "the first"),
               ("here is what i have", "the first"), ("e-mail", "skip"), ("email", "skip"),
               ("phone", CALLER), ("name", "Lee Moss")]
    for _ in range(12):
        reply = system.twilio("/twilio/voice/gather", {**call, "SpeechResult": said})
        heard.append(reply)
        cue = next(((c, s) for c, s in answers if c in reply.lower()), None)
        assert cue is not None, heard
        if cue[1] is None:
            break
        said = cue[1]
    read_back = next(r for r in heard if "to confirm" in r.lower())
    for terms in ("30 dollars deposit, paid online", "held for 30 minutes", "released",
                  "Cancelling is free up to 24 hours before"):
        assert terms in read_back, read_back
    assert "booked" in heard[-1].lower(), heard
    assert booking_of(database_url, CALLER)[1:] == ("pending", "pending", None, "voice")
    pay_sms = sms_to(database_url, CALLER, "pending_payment")
    assert "pay the $30 deposit to keep your Colour" in pay_sms and URL.search(pay_sms), pay_sms
