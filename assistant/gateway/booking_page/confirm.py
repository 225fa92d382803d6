"""Step 6 and the end: confirm, then the booked page with the link to manage the booking.

Nothing the browser sends is trusted at confirm: the time is placed again by the booking use
case (a lost race answers with the nearest free times), the price is read again from the
catalog (a change since the customer saw it is shown and asked about before booking), and
the customer is the profile the one-time code proved (`customers.book_for` with that proof,
so the per-contact caps apply). The draft's key makes the booking idempotent: a double
submit books once and shows the same booked page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web

from assistant.gateway import ratelimit
from assistant.gateway.api import context
from assistant.gateway.api.appointment_routes import customer_token
from assistant.gateway.booking_page import deposit_policy
from assistant.gateway.booking_page.draft import BadDraft, Draft, seal, unseal
from assistant.gateway.booking_page.view import (
    embedded,
    facts,
    field,
    link,
    money,
    page,
    prices,
    render,
)
from assistant.gateway.free_times import Search, worded
from assistant.gateway.metrics import METRICS
from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from assistant.payments import PROVIDER
from assistant.payments.mode import takes_online
from scheduling.booking import payments, saved_cards
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.model import Appointment, Channel, PaymentStatus
from scheduling.catalog import Catalog, Location
from scheduling.desk import customers
from scheduling.errors import SlotUnavailable

TOKEN_LIFETIME = timedelta(days=30)
"""How long after the appointment ends its manage link keeps working (as the API's)."""


@page
async def review(request: web.Request) -> web.StreamResponse:
    """Step 6: everything about the booking, with the price as it is now."""
    draft = _proved(request, request.query.get("state", ""))
    catalog = await context.catalog(request)
    online = await takes_online(request.app, catalog.business.id)
    return await _confirm_page(request, catalog, draft, online=online)


@page
async def book(request: web.Request) -> web.StreamResponse:
    """Step 6's form: book for the proved customer, or say what stands in the way."""
    await ratelimit.check(request, "api", ratelimit.client_ip(request))
    draft = _proved(request, field(await request.post(), "state"))
    catalog = await context.catalog(request)
    service = catalog.service(draft.service_id)
    if draft.price_changed(service, await _owed(request, catalog, draft)):
        online = await takes_online(request.app, catalog.business.id)
        return await _confirm_page(request, catalog, draft, status=409, online=online)
    command = BookAppointment(
        SlotChoice(catalog.business.id, service.id, draft.start, draft.staff_id,
                   draft.location_id), None,
        _key(draft), channel=Channel.WEB, customer_time_zone=draft.time_zone,
        contact=draft.contact)
    try:
        result = await customers.book_for(command, customers.Proof(customer_id=draft.customer_id),
                                          context.uow(request), context.now())
    except SlotUnavailable as error:
        twin = await _booked_already(request, catalog, draft)
        if twin is not None:
            raise web.HTTPSeeOther(after_booking(request, twin)) from None
        request.app[METRICS].conflicts.inc(channel="web")
        return _taken(request, catalog, draft, error)
    raise web.HTTPSeeOther(after_booking(request, result.appointment))


def _key(draft: Draft) -> str:
    return f"book:{draft.key}"


async def _booked_already(request: web.Request, catalog: Catalog,
                          draft: Draft) -> Appointment | None:
    """The booking this draft made, when the slot was lost to this draft's own twin: two
    submits at once both pass the key check before either commits, and the database then
    refuses the second as an overlap rather than as the same key."""
    async with context.uow(request) as work:
        return await work.appointments.by_key(catalog.business.id, _key(draft))


def after_booking(request: web.Request, booked: Appointment) -> str:
    """Where a new booking goes next: its booked page, or, waiting for its deposit online,
    the pay link (on to Stripe's checkout, which comes back to the manage page). Framed in a
    shop's site, the booked page opens the checkout in a tab of its own instead (Stripe's
    page cannot be framed)."""
    token = customer_token(request, booked.id, booked.end + TOKEN_LIFETIME)
    online = payments.awaiting_online_step(booked) and request.app.get(PROVIDER) is not None
    if online and not embedded(request):
        return f"/appointments/pay?{urlencode({'token': token})}"
    return link(request, "/book/booked", token=token)


@page
async def booked(request: web.Request) -> web.StreamResponse:
    """The end: what was booked, whether a deposit is due, and the link to manage it."""
    token = request.query.get("token", "")
    key = links.link_key(request.app[SETTINGS])
    appointment_id = links.verify(key, token, "manage", context.now())
    async with context.uow(request) as work:
        found = await work.appointments.get(appointment_id)
    catalog = await context.catalog(request)
    service = catalog.service(found.service_id)
    due = found.payment.required and found.payment.status is PaymentStatus.PENDING
    rows = facts(catalog, service, catalog.staff_member(found.staff_id), found.start,
                 found.customer_time_zone, found.address, catalog.location(found.location_id))
    deposit = found.payment.amount if due else Decimal(0)
    rows += prices(catalog, found.price, deposit)
    return render(request, "booked.html", catalog, appointment=found, facts=rows,
                  deposit=deposit, at_salon=payments.at_salon(found),
                  card=payments.awaiting_card(found),
                  pay=f"/appointments/pay?token={token}",
                  manage=f"/appointments/manage?token={token}")


def _deposit_words(catalog: Catalog, deposit: Decimal) -> str:
    return f", with a {money(catalog, deposit)} deposit" if deposit else ", with no deposit"


def _holder(draft: Draft) -> UUID:
    if draft.customer_id is None:  # `_proved` lets no such draft through
        raise BadDraft("this booking has not been checked with a code yet")
    return draft.customer_id


def _proved(request: web.Request, sealed: str) -> Draft:
    """The draft, when its contact was proved with the code; BadDraft otherwise."""
    draft = unseal(request.app[SETTINGS], sealed)
    if not draft.verified or draft.customer_id is None:
        raise BadDraft("this booking has not been checked with a code yet")
    return draft


async def _owed(request: web.Request, catalog: Catalog, draft: Draft) -> Decimal:
    """The deposit booking will ask of the customer the code proved."""
    return await deposit_policy.owed(request, catalog, catalog.service(draft.service_id),
                                     _holder(draft))


async def _confirm_page(request: web.Request, catalog: Catalog, draft: Draft,
                        status: int = 200, online: bool = False) -> web.Response:
    """The confirm step, with the deposit this customer owes; a price or deposit that changed
    since the customer saw it is shown and the draft updated, so the next confirm books at
    what the customer saw."""
    service = catalog.service(draft.service_id)
    deposit = await _owed(request, catalog, draft)
    notice = None
    if draft.deposit is None and draft.price == service.price:
        draft = draft.priced(service, deposit)  # the first look at this customer's deposit
    elif draft.price_changed(service, deposit):
        notice = (f"The price changed since you chose this time: it is now "
                  f"{prices(catalog, service.price, deposit)[0][1]}"
                  f"{_deposit_words(catalog, deposit)}. "
                  "Please check the details and confirm again.")
        draft = draft.priced(service, deposit)
    staff = catalog.staff_member(draft.staff_id) if draft.staff_id else None
    rows = facts(catalog, service, staff, draft.start, draft.time_zone,
                 location=_location(catalog, draft))
    asks_card = online and service.card_required and not draft.deposit
    return render(request, "confirm.html", catalog, status, draft=draft, notice=notice,
                  online=online, card_terms=saved_cards.terms(catalog, service)
                  if asks_card else "",
                  facts=rows + prices(catalog, draft.price, draft.deposit),
                  state=seal(request.app[SETTINGS], draft))


def _taken(request: web.Request, catalog: Catalog, draft: Draft,
           error: SlotUnavailable) -> web.Response:
    """The time went to someone else: the nearest free times, each one step from booking."""
    search = Search(draft.service_id, draft.staff_id, draft.time_zone,
                    location_id=draft.location_id)
    nearest = worded(error.alternatives, catalog, search, context.now())
    settings = request.app[SETTINGS]
    choices = [(t.when, link(request, "/book/confirm",
                             state=seal(settings, replace(draft, start=t.start))))
               for t in nearest]
    return render(request, "taken.html", catalog, 409, draft=draft, alternatives=choices,
                  again=link(request, f"/book/{draft.service_id}/times",
                             staff=str(draft.staff_id or "any"), tz=draft.time_zone,
                             location=str(draft.location_id) if draft.location_id else None))


def _location(catalog: Catalog, draft: Draft) -> Location | None:
    return catalog.location(draft.location_id) if draft.location_id else None
