"""Payments at the front desk: what an appointment owes and has paid (its deposit, and a
late-cancel or no-show fee charged, declined, asked for or paid), and marking a deposit paid in
person (cash or card at the desk). The appointment detail page shows them through
`admin/_payments.html`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE
from assistant.payments import PROVIDER
from scheduling.booking import fees, payments
from scheduling.booking.model import Appointment
from scheduling.booking.payments import MarkPaid, Outcome, PaidIn
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest, NotFound
from scheduling.formats import money
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.fee_store import FeeUnitOfWork, fees_of
from scheduling.persistence.payment_store import PaymentUnitOfWork

routes = web.RouteTableDef()
FEE_WORDS = {fees.FeeKind.NO_SHOW: "No-show fee", fees.FeeKind.LATE_CANCEL: "Late cancel fee"}
FEE_STATES = {fees.FeeStatus.CHARGED: "charged to the saved card",
              fees.FeeStatus.RETRYING: "being charged (the payment service was busy)",
              fees.FeeStatus.DECLINED: "the saved card was declined; pay link sent",
              fees.FeeStatus.REQUESTED: "no card saved; pay link sent",
              fees.FeeStatus.PAID: "paid through the pay link",
              fees.FeeStatus.FAILED: "could not be charged"}
DONE = {Outcome.PAID: "Deposit marked paid.",
        Outcome.ALREADY_PAID: "The deposit was already paid: nothing changed."}


@routes.post("/admin/appointments/{appointment_id}/paid")
@owner_page
async def mark_paid(request: web.Request, admin: session.AdminSession) -> web.StreamResponse:
    """The owner only (a staff account gets 403). Without `confirmed=yes` it shows what will
    be recorded and asks; with it, records the deposit paid once (a second POST changes
    nothing and says so)."""
    found, paid_in, confirmed = await _paid_at_desk(request)
    appointment_id = found.id
    if not confirmed:
        catalog = await context.catalog(request)
        return page(request, admin, "payment_confirm.html", a=found, paid_in=paid_in,
                    currency=catalog.business.policies.currency, owed=payments.owed(found))
    cmd = MarkPaid(appointment_id, paid_in, by=admin.email)
    try:
        result = await payments.mark_paid(cmd, context.uow(request), context.now())
    except InvalidRequest as refused:
        return _back(appointment_id, f"Not marked paid: {refused}")
    return _back(appointment_id, DONE[result.outcome])


@routes.get("/admin/payments")
@owner_page
async def deposits(request: web.Request, admin: session.AdminSession) -> web.Response:
    """How deposits are paid: at the salon, or online with Stripe (only with its keys)."""
    business = await context.business_id(request)
    async with context.uow(request) as uow:
        rules = await uow.appointments.rules(business)
    return page(request, admin, "payments.html", online=rules.deposits_online,
                stripe=request.app.get(PROVIDER) is not None, notice=request.query.get("notice"))


@routes.post("/admin/payments")
@owner_page
async def choose(request: web.Request, admin: session.AdminSession) -> web.StreamResponse:
    """Online needs Stripe's keys; without them a deposit could never be paid, so it is
    refused (409) rather than left waiting for a payment nobody can make."""
    way = (await request.post()).get("deposits")
    if way not in ("online", "salon"):
        raise web.HTTPUnprocessableEntity(text="deposits: choose online or salon")
    if way == "online" and request.app.get(PROVIDER) is None:
        raise web.HTTPConflict(text="online deposits need STRIPE_SECRET_KEY and "
                                    "STRIPE_WEBHOOK_SECRET set; deposits stay at the salon")
    business = await context.business_id(request)
    async with PaymentUnitOfWork(make_session_factory(request.app[ENGINE])) as uow:
        await uow.payments.set_deposits_online(business, way == "online")
        await uow.commit()
    said = "online, before the booking is confirmed" if way == "online" else "at the salon"
    raise web.HTTPSeeOther("/admin/payments?" + urlencode({"notice": f"Deposits: {said}."}))


@routes.post("/admin/appointments/{appointment_id}/fee-paid")
@owner_page
async def fee_paid(request: web.Request, admin: session.AdminSession) -> web.StreamResponse:
    """A late-cancel or no-show fee paid at the desk, the owner only: without `confirmed=yes`
    it asks first; with it, records the fee paid once (again: nothing changes, and it says
    so)."""
    found, paid_in, confirmed = await _paid_at_desk(request)
    appointment_id = found.id
    if not confirmed:
        catalog = await context.catalog(request)
        owed = fees.due(found, catalog)
        return page(request, admin, "fee_confirm.html", a=found, paid_in=paid_in,
                    what=FEE_WORDS[owed[0]] if owed else None,
                    amount=money(owed[1], catalog.business.policies.currency) if owed else "")
    uow = FeeUnitOfWork(make_session_factory(request.app[ENGINE]))
    try:
        done = await fees.mark_paid(appointment_id, paid_in.value, admin.email, uow,
                                    context.now())
    except InvalidRequest as refused:
        return _back(appointment_id, f"Not marked paid: {refused}")
    return _back(appointment_id, "Fee marked paid." if done
                 else "The fee was already paid: nothing changed.")


@dataclass(frozen=True, slots=True)
class FeeLine:
    what: str
    amount: str
    state: str
    payable: bool
    """Owed and not being charged online: the owner may mark it paid at the desk."""


async def fee_lines(request: web.Request, appointment: Appointment, catalog: Catalog
                    ) -> list[FeeLine]:
    """Each fee the appointment owes or paid and where it stands; a fee nobody charged online
    (at the salon) reads as owed."""
    async with make_session_factory(request.app[ENGINE])() as session:
        found = await fees_of(session, appointment.id)
    currency = catalog.business.policies.currency
    lines = [FeeLine(FEE_WORDS[f.kind], money(f.amount, currency), _state(f),
                     f.status in fees.PAYABLE) for f in found]
    due = fees.due(appointment, catalog)
    if not lines and due is not None:
        async with context.uow(request) as uow:
            online = (await uow.appointments.rules(appointment.business_id)).deposits_online
        lines.append(FeeLine(FEE_WORDS[due[0]], money(due[1], currency),
                             "being charged online" if online
                             else "owed, to be paid at the salon", not online))
    return lines


def _state(fee: fees.Fee) -> str:
    if fee.status is fees.FeeStatus.PAID and (fee.provider_id or "").startswith("in person"):
        return "paid at the salon" + str(fee.provider_id).removeprefix("in person")
    return FEE_STATES[fee.status] + (f" ({fee.provider_id})" if fee.provider_id else "")


async def _paid_at_desk(request: web.Request) -> tuple[Appointment, PaidIn, bool]:
    """The appointment a desk payment is for, how it was paid, and whether the owner has
    confirmed it (404 for an unknown appointment, 422 for an unknown way of paying)."""
    appointment_id = _appointment_id(request)
    form = await request.post()
    paid_in = _paid_in(form.get("paid_in"))
    return (await _appointment(request, appointment_id), paid_in,
            form.get("confirmed") == "yes")


def _appointment_id(request: web.Request) -> UUID:
    """A malformed id is a 404 like an unknown one."""
    try:
        return UUID(request.match_info["appointment_id"])
    except ValueError:
        raise web.HTTPNotFound(text="no such appointment") from None


def _paid_in(value: object) -> PaidIn:
    """Cash or card at the desk; "online" is the provider's to record, never the desk's."""
    if value not in (PaidIn.CASH.value, PaidIn.CARD.value):
        raise web.HTTPUnprocessableEntity(text="paid_in: choose cash or card")
    return PaidIn(str(value))


async def _appointment(request: web.Request, appointment_id: UUID) -> Appointment:
    try:
        async with context.uow(request) as uow:
            return await uow.appointments.get(appointment_id)
    except NotFound:
        raise web.HTTPNotFound(text="no such appointment") from None


def _back(appointment_id: UUID, notice: str) -> web.StreamResponse:
    raise web.HTTPSeeOther(f"/admin/appointments/{appointment_id}?"
                           + urlencode({"notice": notice}))
