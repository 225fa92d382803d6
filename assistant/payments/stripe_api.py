"""The Stripe edge: the one module that imports `stripe`. Checkout Sessions for deposits and
fees (a deposit's may save the card for fees, with the customer's consent in words), refunds,
fees charged off-session to a saved card, and webhook events checked with the library's
signature verification.

Every call carries an idempotency key, so a retry (the library's own on 5xx and network
errors, or ours later) cannot pay or refund twice. Errors come out as our own two kinds:
`ProviderBusy` (429, 5xx, timeouts: try again later) and `ProviderRefused` (the request itself
is wrong or declined: trying again will not help).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import stripe

from scheduling.booking.fees import SavedCard
from scheduling.booking.online_payments import Checkout, ProviderEvent
from scheduling.booking.saved_cards import CARD_PURPOSE

ZERO_DECIMAL = frozenset({"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf",
                          "ugx", "vnd", "vuv", "xaf", "xof", "xpf"})
PAID_EVENTS = frozenset({"checkout.session.completed",
                         "checkout.session.async_payment_succeeded"})
CARD_SAVED_EVENT = "setup_intent.succeeded"
"""A setup-mode checkout reports the card saved twice: its session completed, and its
SetupIntent succeeded; either one confirms the booking, the other then changes nothing."""
MAX_EVENT_BYTES = 256 * 1024


class ProviderBusy(RuntimeError):
    """Rate limited, failing or unreachable for now: the same request may succeed later."""


class ProviderRefused(RuntimeError):
    """The provider refused the request itself (bad parameters, nothing left to refund)."""


class CardDeclined(ProviderRefused):
    """The saved card was declined, or its bank wants the customer there
    (`authentication_required`): ask the customer to pay instead."""

    def __init__(self, code: str, said: str) -> None:
        super().__init__(said)
        self.code = code


class BadEvent(ValueError):
    """A webhook delivery that is unsigned, wrongly signed, stale or not an event."""


def minor_units(amount: Decimal, currency: str) -> int:
    """Stripe counts money in the currency's smallest unit (cents; yen as they are)."""
    scale = 1 if currency.lower() in ZERO_DECIMAL else 100
    return int((amount * scale).to_integral_value())


def major_units(amount: int, currency: str) -> Decimal:
    scale = 1 if currency.lower() in ZERO_DECIMAL else 100
    return (Decimal(amount) / scale).quantize(Decimal("1") if scale == 1 else Decimal("0.01"))


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckoutPage:
    """What every Checkout Session of ours names: the appointment it is for, the words on
    Stripe's page, the currency, where the customer comes back to, and when the page stops
    working (a deposit's or fee's payment page, or a card's setup page)."""

    appointment_id: str
    description: str
    currency: str
    success_url: str
    cancel_url: str
    expires_at: datetime
    email: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Deposit(CheckoutPage):
    """A payment page: a deposit, or a fee paid by the customer."""

    amount: Decimal
    consent: str | None = None
    """Set: the card is saved for the business's fees (off-session), and these words, shown
    above the pay button, say so."""
    purpose: str = "deposit"


@dataclass(frozen=True, slots=True, kw_only=True)
class CardSetup(CheckoutPage):
    """A checkout in setup mode: saves a card for the booking's fees, charges nothing."""

    consent: str
    """The terms, shown above the save button."""
    name: str | None = None


class StripeApi:
    def __init__(self, secret_key: str, webhook_secret: str, api_base: str | None = None,
                 timeout: float = 10.0, retries: int = 2) -> None:
        bases: Any = {"api": api_base} if api_base else None
        self.http = stripe.AIOHTTPClient(timeout=timeout)
        self.client = stripe.StripeClient(secret_key, base_addresses=bases,
                                          max_network_retries=retries, http_client=self.http)
        self.webhook_secret = webhook_secret

    async def checkout(self, deposit: Deposit, key: str) -> Checkout:
        params = _session(deposit, "payment", deposit.purpose, deposit.consent)
        params["payment_intent_data"] = {"metadata": params["metadata"]}
        params["line_items"] = [{"quantity": 1, "price_data": {
            "currency": deposit.currency.lower(),
            "unit_amount": minor_units(deposit.amount, deposit.currency),
            "product_data": {"name": deposit.description}}}]
        if deposit.email:
            params["customer_email"] = deposit.email
        if deposit.consent:
            params["payment_intent_data"]["setup_future_usage"] = "off_session"
            params["customer_creation"] = "always"
        return await self._opened(params, key)

    async def checkout_card(self, setup: CardSetup, key: str) -> Checkout:
        """A Customer for the card, then a setup-mode Checkout Session saving a card to it
        for use off-session."""
        details: Any = {"metadata": {"appointment_id": setup.appointment_id}}
        details |= {k: v for k, v in (("email", setup.email), ("name", setup.name)) if v}
        customer = await _call(self.client.v1.customers.create_async(
            details, {"idempotency_key": f"{key}-customer"}))
        params = _session(setup, "setup", CARD_PURPOSE, setup.consent)
        params |= {"customer": customer.id, "currency": setup.currency.lower(),
                   "setup_intent_data": {"metadata": params["metadata"],
                                         "description": setup.description}}
        return await self._opened(params, key)

    async def _opened(self, params: Any, key: str) -> Checkout:
        session = await _call(self.client.v1.checkout.sessions.create_async(
            params, {"idempotency_key": key}))
        return Checkout(session.id, str(session.url),
                        datetime.fromtimestamp(session.expires_at, UTC))

    async def setup_card(self, setup_intent: str) -> SavedCard | None:
        """The card a SetupIntent saved (None until it succeeded), read from Stripe rather
        than from the event's copy."""
        found = (await _call(self.client.v1.setup_intents.retrieve_async(setup_intent))
                 ).to_dict()
        method, customer = found.get("payment_method"), found.get("customer")
        if found.get("status") != "succeeded" or not (method and customer):
            return None
        return SavedCard(str(customer), str(method))

    async def refund(self, payment_intent: str, amount: Decimal, currency: str,
                     key: str) -> str:
        """The provider's refund id."""
        params: Any = {"payment_intent": payment_intent,
                       "amount": minor_units(amount, currency)}
        refund = await _call(self.client.v1.refunds.create_async(
            params, {"idempotency_key": key}))
        return str(refund.id)

    async def card_of(self, payment_intent: str) -> SavedCard | None:
        """The card a paid deposit saved for fees (None when it saved none)."""
        paid = (await _call(self.client.v1.payment_intents.retrieve_async(payment_intent))
                ).to_dict()
        method, customer = paid.get("payment_method"), paid.get("customer")
        if not (method and customer and paid.get("setup_future_usage") == "off_session"):
            return None
        return SavedCard(str(customer), str(method))

    async def charge(self, card: SavedCard, amount: Decimal, currency: str, key: str,
                     description: str, appointment_id: str) -> str:
        """A fee charged to the saved card with the customer away (off-session): the
        PaymentIntent's id; CardDeclined when the card is declined or needs the customer."""
        params: Any = {"amount": minor_units(amount, currency), "currency": currency.lower(),
                       "customer": card.customer, "payment_method": card.payment_method,
                       "off_session": True, "confirm": True, "description": description,
                       "metadata": {"appointment_id": appointment_id, "purpose": "fee"}}
        try:
            made = await _call(self.client.v1.payment_intents.create_async(
                params, {"idempotency_key": key}))
        except stripe.CardError as declined:
            raise CardDeclined(str(declined.code or "card_declined"), _said(declined)) from None
        if made.status != "succeeded":
            raise CardDeclined(str(made.status), f"payment {made.status}")
        return str(made.id)

    async def paid_checkout(self, session_id: str) -> ProviderEvent | None:
        """The payment a Checkout Session took, read back from Stripe (as its webhook would
        report it, under an id of its own), or None while it is unpaid."""
        session = (await _call(self.client.v1.checkout.sessions.retrieve_async(session_id))
                   ).to_dict()
        found = _event_of(f"checkout-read-{session_id}", "checkout.session.completed", session)
        return found if found.reference else None

    def event(self, body: bytes, signature: str | None) -> ProviderEvent:
        """The payment an event reports, checked with the library's signature verification;
        BadEvent for anything not signed with our secret or not an event."""
        if len(body) > MAX_EVENT_BYTES:
            raise BadEvent("too large")
        try:
            event = self.client.construct_event(body, signature, self.webhook_secret)
            return _event_of(event.id, event.type, event.data.object.to_dict())
        except (stripe.SignatureVerificationError, ValueError, KeyError, AttributeError,
                TypeError) as error:
            raise BadEvent(type(error).__name__) from None

    async def close(self) -> None:
        await self.http.close_async()  # type: ignore[no-untyped-call]


def _session(page: CheckoutPage, mode: str, purpose: str, consent: str | None) -> Any:
    """The Checkout Session parameters every page of ours sets: mode, the appointment (as the
    reference and in the metadata, with what the money or card is for), the way back, the
    expiry, and the consent words above the button when there are any."""
    metadata = {"appointment_id": page.appointment_id, "purpose": purpose}
    params: Any = {"mode": mode, "client_reference_id": page.appointment_id,
                   "metadata": metadata, "success_url": page.success_url,
                   "cancel_url": page.cancel_url, "expires_at": int(page.expires_at.timestamp())}
    if consent:
        params["custom_text"] = {"submit": {"message": consent[:1200]}}
    return params


def _event_of(event_id: str, kind: str, found: Any) -> ProviderEvent:
    """A payment, or a card saved (a setup-mode session, or its SetupIntent)."""
    if kind == CARD_SAVED_EVENT or found.get("mode") == "setup":
        return _card_of(event_id, kind, found)
    return _payment_of(event_id, kind, found)


def _card_of(event_id: str, kind: str, found: Any) -> ProviderEvent:
    """The SetupIntent to read the card from (`reference`), once the session completed or
    the intent succeeded; the booking from the metadata we set."""
    if kind == CARD_SAVED_EVENT:
        done, setup = found.get("status") == "succeeded", found.get("id")
    else:
        done = kind in PAID_EVENTS and found.get("status") == "complete"
        setup = found.get("setup_intent")
    metadata = found.get("metadata") or {}
    ours = done and metadata.get("purpose") == CARD_PURPOSE and setup
    return ProviderEvent(event_id, kind, _uuid(metadata.get("appointment_id")) if ours else None,
                         str(setup) if ours else None, None, CARD_PURPOSE,
                         found.get("customer") if ours else None)


def _uuid(text: Any) -> UUID | None:
    try:
        return UUID(str(text)) if text else None
    except ValueError:
        return None


def _payment_of(event_id: str, kind: str, session: Any) -> ProviderEvent:
    paid = kind in PAID_EVENTS and session.get("payment_status") == "paid"
    reference = session.get("client_reference_id") if paid else None
    try:
        appointment = UUID(str(reference)) if reference else None
    except ValueError:
        appointment = None
    amount = session.get("amount_total")
    currency = str(session.get("currency") or "usd")
    purpose = str((session.get("metadata") or {}).get("purpose") or "deposit")
    return ProviderEvent(
        event_id, kind, appointment, session.get("payment_intent") if paid else None,
        major_units(int(amount), currency) if paid and amount is not None else None,
        purpose, session.get("customer") if paid else None)


async def _call(pending: Any) -> Any:
    """Our two kinds of error; a declined card (`stripe.CardError`) is left to the caller."""
    try:
        return await pending
    except stripe.CardError:
        raise
    except (stripe.RateLimitError, stripe.APIConnectionError) as busy:
        raise ProviderBusy(_said(busy)) from None
    except stripe.StripeError as error:
        if (error.http_status or 500) >= 500 or error.http_status == 429:
            raise ProviderBusy(_said(error)) from None
        raise ProviderRefused(_said(error)) from None


def _said(error: Any) -> str:
    return f"{type(error).__name__} {error.http_status or ''}: {error.user_message or error}"[
        :300]
