"""The customer's pay link for a late-cancel or no-show fee (`/appointments/fee?token=`, sent
by the `fee_due` message): on to a Stripe Checkout for the fee. A fee already paid or charged,
or none owed, goes to the booking's manage page; without Stripe, so does everything."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from assistant.gateway.api import context
from assistant.gateway.appointment_pages.problems import shown
from assistant.gateway.resources import ENGINE, SETTINGS
from assistant.notifications import links
from assistant.payments import PROVIDER
from assistant.payments.fees import WORDS
from assistant.payments.routes import manage_path, provider_problems, to_checkout
from assistant.payments.stripe_api import Deposit
from scheduling.booking.fees import FEE_PURPOSE
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.fee_store import FeeUnitOfWork

routes = web.RouteTableDef()
CHECKOUT_LASTS = timedelta(hours=23)
"""Under Stripe's 24-hour ceiling; the link makes a new checkout when it has expired."""


@routes.get("/appointments/fee")
@shown
async def pay_fee(request: web.Request) -> web.StreamResponse:
    settings, now = request.app[SETTINGS], context.now()
    appointment_id = links.verify(links.link_key(settings), request.query.get("token", ""),
                                  "fee", now)
    async with FeeUnitOfWork(make_session_factory(request.app[ENGINE])) as work:
        found = await work.appointments.get(appointment_id)
        fee = await work.fees.owed(appointment_id)
        catalog = await work.catalog.get(found.business_id)
    manage = manage_path(request, found.id, found.end)
    provider = request.app.get(PROVIDER)
    if fee is None or provider is None:
        raise web.HTTPSeeOther(manage)
    hour = now.replace(minute=0, second=0, microsecond=0)
    expires = hour + CHECKOUT_LASTS
    back = settings.gateway_url.rstrip("/") + manage
    service = catalog.service(found.service_id).name
    charge = Deposit(appointment_id=str(found.id),
                     description=f"{WORDS[fee.kind]}: {service} at {catalog.business.name}",
                     amount=fee.amount, currency=catalog.business.policies.currency,
                     success_url=back, cancel_url=back, expires_at=expires,
                     email=found.contact.email if found.contact else None,
                     purpose=f"{FEE_PURPOSE}{fee.kind.value}")
    with provider_problems(manage, found.id):  # one checkout per hour: the key names it
        made = await provider.checkout(charge, f"fee-checkout-{fee.id}-{int(hour.timestamp())}")
    to_checkout(made.url)
