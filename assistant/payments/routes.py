"""The customer's pay link (`/appointments/pay?token=`: on to the booking's Stripe Checkout)
and Stripe's webhook (`/webhooks/stripe`).

The webhook answers 400 to anything not signed with our secret, 200 to every signed event
(applied once, replays and unknown kinds included) and 503 when it could not be recorded, so
Stripe sends it again; never a 500. A paid deposit that saved the card for fees has the card
recorded first (`fees.keep_card`); a fee paid through its pay link is `scheduling.booking.fees`'s
to record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from typing import NoReturn
from uuid import UUID

from aiohttp import web

from assistant.gateway.api import context
from assistant.gateway.appointment_pages.problems import NO_STORE, Problem, Way, shown
from assistant.gateway.resources import ENGINE, SETTINGS
from assistant.notifications import links
from assistant.payments import PROVIDER
from assistant.payments.card_checkout import card_checkout, card_saved
from assistant.payments.fees import keep_card
from assistant.payments.stripe_api import (
    BadEvent,
    Deposit,
    ProviderBusy,
    ProviderRefused,
    StripeApi,
)
from scheduling.booking import fees, online_payments, payments, saved_cards
from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.fee_store import FeeUnitOfWork, FeeWorkStore
from scheduling.persistence.payment_store import PaymentUnitOfWork, StoreError

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
PAYING_LINKS = frozenset({"pay", "manage", "confirm", "cancel", "reschedule"})
"""Any link to one's own appointment may pay its deposit (the manage page's button uses its
own token)."""


def uow(request: web.Request) -> PaymentUnitOfWork:
    return PaymentUnitOfWork(make_session_factory(request.app[ENGINE]))


def manage_path(request: web.Request, appointment_id: UUID, end: datetime) -> str:
    """The booking's manage page (`/appointments/manage?token=`), for as long as its links
    last."""
    return links.action_url("", links.link_key(request.app[SETTINGS]), appointment_id,
                            "manage", end + links.AFTER_END)


@routes.get("/appointments/pay")
@shown
async def pay(request: web.Request) -> web.StreamResponse:
    """On to the booking's checkout; a booking with nothing to pay online goes to its manage
    page, which says what it owes and how."""
    settings = request.app[SETTINGS]
    token = request.query.get("token", "")
    action = token.split(".")[1] if token.count(".") == 3 else "pay"
    if action not in PAYING_LINKS:
        raise Problem(403, "This link cannot do that", "Use the pay link in your message.")
    appointment_id = links.verify(links.link_key(settings), token, action, context.now())
    async with uow(request) as work:
        found = await work.appointments.get(appointment_id)
    provider = request.app.get(PROVIDER)
    manage = manage_path(request, found.id, found.end)
    if provider is None:
        raise web.HTTPSeeOther(manage)
    try:
        back = settings.gateway_url.rstrip("/") + manage
        with provider_problems(manage, found.id):
            made = await online_payments.checkout(found.id, uow(request), context.now(),
                                                  _maker(provider, back))
    except InvalidRequest:
        raise web.HTTPSeeOther(manage) from None
    to_checkout(made.url)


@contextmanager
def provider_problems(manage: str, appointment_id: UUID) -> Iterator[None]:
    """A busy provider is a page saying to try again (503), a refusal one saying to call
    (502, logged); either leads back to the booking's `manage` page, never a 500."""
    try:
        yield
    except ProviderBusy:
        raise Problem(503, "Payments are busy", "We could not reach the payment service just "
                      "now. Please try the link again in a minute.", (Way(manage, "My booking"),)
                      ) from None
    except ProviderRefused as refused:
        log.error("checkout refused for %s: %s", appointment_id, refused)
        raise Problem(502, "Paying online is not possible just now", "The payment service "
                      "refused this payment. Please call us.", (Way(manage, "My booking"),)
                      ) from None


def to_checkout(url: str) -> NoReturn:
    """On to the provider's page (never cached: it is one customer's checkout)."""
    response = web.HTTPSeeOther(url)
    response.headers.update(NO_STORE)
    raise response


def _maker(provider: StripeApi, manage: str) -> online_payments.NewCheckout:
    """Stripe's page returns the customer to `manage` (an absolute URL) paid or not."""
    async def new(appointment: Appointment, catalog: Catalog, expires: datetime
                  ) -> online_payments.Checkout:
        if payments.awaiting_card(appointment):
            return await card_checkout(provider, manage, appointment, catalog, expires)
        service = catalog.service(appointment.service_id).name
        contact = appointment.contact
        deposit = Deposit(appointment_id=str(appointment.id),
                          description=f"Deposit: {service} at {catalog.business.name}",
                          amount=appointment.payment.amount,
                          currency=catalog.business.policies.currency, success_url=manage,
                          cancel_url=manage, expires_at=expires,
                          email=contact.email if contact else None,
                          consent=fees.consent(catalog, appointment.service_id))
        key = f"checkout-{appointment.id}-{int(expires.timestamp())}"
        return await provider.checkout(deposit, key)
    return new


@routes.post("/webhooks/stripe")
async def webhook(request: web.Request) -> web.Response:
    provider = request.app.get(PROVIDER)
    if provider is None:
        raise web.HTTPNotFound(text="payments are not configured")
    body = await request.read()
    try:
        event = provider.event(body, request.headers.get("Stripe-Signature"))
    except BadEvent as bad:
        log.warning("refused a webhook delivery: %s", bad)
        raise web.HTTPBadRequest(text="not a signed Stripe event") from None
    factory, now = make_session_factory(request.app[ENGINE]), context.now()
    try:
        if fees.fee_kind_of(event) is not None:
            outcome: StrEnum = await fees.settle(event, FeeUnitOfWork(factory), now)
        elif saved_cards.card_event(event):
            outcome = await card_saved(provider, factory, event, now)
        else:
            await keep_card(provider, FeeWorkStore(factory), event, now)
            outcome = await online_payments.settle(event, uow(request), now)
    except ProviderBusy:
        log.warning("stripe event %s: the saved card could not be read; Stripe sends it "
                    "again", event.id)
        raise web.HTTPServiceUnavailable(text="try again later") from None
    except StoreError:
        log.exception("stripe event %s not recorded; Stripe sends it again", event.id)
        raise web.HTTPServiceUnavailable(text="try again later") from None
    log.info("stripe event %s (%s): %s", event.id, event.type, outcome.value)
    return web.json_response({"received": True, "outcome": outcome.value})
