"""The business-wide settings screens: the profile (name, zone, contact, currency, the
cancellation and no-show terms, reminder lead times), booking rules, the business's own parts
of messages, and the blocklist. Each form calls its setup use case; wrong input comes back
(422) with the message beside its field."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin import setup_form as forms
from assistant.gateway.admin.catalog_forms import Reader, lead_times_text
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.api import context
from scheduling.booking.policies import BookingRules
from scheduling.catalog import E164, BusinessPolicies, CancellationPolicy, Catalog, Contact
from scheduling.desk.setup import business, rules, services
from scheduling.desk.setup.values import Block, MessageParts
from scheduling.errors import DomainError, InvalidRequest, NotFound

routes = web.RouteTableDef()
MINUTES = ("hold_ttl", "claim_window", "no_show_grace", "payment_window")
COUNTS = ("max_active_per_customer", "max_per_contact_day", "max_per_contact_week",
          "max_live_holds_per_customer")
PARTS = tuple(f.name for f in fields(MessageParts))


def _done(notice: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther("/admin/catalog?notice=" + quote(notice))


def _show(request: web.Request, admin: session.AdminSession, name: str, typed: Any,
          problems: dict[str, str], status: int = 200, **extra: Any) -> web.Response:
    values = forms.typed_values(typed)
    return page(request, admin, f"catalog_{name}.html", status=status, problems=problems,
                value=lambda field: (values.get(field) or [""])[0], zones=forms.zones(),
                **extra)


def _refused(error: DomainError, read: Reader, fallback: str) -> None:
    field = error.field if isinstance(error, InvalidRequest) and error.field else fallback
    read.problems[field] = str(error).removeprefix(f"{field}: ")


@routes.get("/admin/catalog/business")
@owner_page
async def profile(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    offsets = await services.reminders_of(catalog.business.id, catalog.business.id,
                                          context.uow(request))
    return _show(request, admin, "business", _profile_fields(catalog, offsets), {})


def _profile_fields(catalog: Catalog, offsets: tuple[timedelta, ...]) -> dict[str, str]:
    about, terms = catalog.business, catalog.business.policies
    return {"name": about.name, "time_zone": about.time_zone,
            "phone": about.contact.phone or "", "email": about.contact.email or "",
            "website": about.contact.website or "", "currency": terms.currency,
            "free_cancellation_hours": str(terms.cancellation.free_cancellation_hours),
            "late_cancel_fee": str(terms.cancellation.late_cancel_fee),
            "no_show_fee": str(terms.no_show_fee),
            "reminder_hours": lead_times_text(offsets)}


@routes.post("/admin/catalog/business")
@owner_page
async def save_profile(request: web.Request, admin: session.AdminSession) -> web.Response:
    """The profile, then the reminder lead times: two use cases, each its own transaction."""
    form = await request.post()
    read = Reader(form)
    command = _profile_of(read, await context.business_id(request))
    offsets = read.lead_times("reminder_hours")
    if not read.problems:
        try:
            await business.edit_business(command, context.uow(request), context.now())
            await services.set_reminders(services.SetReminders(
                command.business_id, command.business_id, offsets), context.uow(request))
        except DomainError as error:
            _refused(error, read, "name")
    if read.problems:
        return _show(request, admin, "business", form, read.problems, 422)
    raise _done(f"Saved {command.name}.")


def _profile_of(read: Reader, business_id: UUID) -> business.EditBusiness:
    phone = read.text("phone", "phone") or None
    if phone is not None and not E164.match(phone):
        read.problems["phone"] = "Write the phone with its country code, like +15551234567."
    contact = Contact(phone, read.text("email", "e-mail") or None,
                      read.text("website", "website") or None)
    cancellation = CancellationPolicy(
        read.whole("free_cancellation_hours", "free cancellation hours", 0, 24 * 60),
        Decimal(read.amount("late_cancel_fee", "late cancellation fee")))
    terms = BusinessPolicies(cancellation, forms.currency(read.form, "currency", read.problems),
                             Decimal(read.amount("no_show_fee", "no-show fee")))
    return business.EditBusiness(
        business_id, read.text("name", "business name", required=True),
        forms.zone_name(read.form, "time_zone", read.problems), contact, terms)


@routes.get("/admin/catalog/rules")
@owner_page
async def booking_rules(request: web.Request, admin: session.AdminSession) -> web.Response:
    found = await rules.rules_of(await context.business_id(request), context.uow(request))
    typed: dict[str, Any] = {name: str(getattr(found, name)) for name in COUNTS}
    typed |= {name: str(int(getattr(found, name).total_seconds() // 60)) for name in MINUTES}
    typed["require_approval"] = "on" if found.require_approval else ""
    return _show(request, admin, "rules", typed, {})


@routes.post("/admin/catalog/rules")
@owner_page
async def save_rules(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    read = Reader(form)
    counts: dict[str, Any] = {n: read.whole(n, n.replace("_", " "), 1, 1000) for n in COUNTS}
    spans: dict[str, Any] = {n: read.minutes(n, n.replace("_", " "), 60 * 24 * 30)
                             for n in MINUTES}
    if not read.problems:
        try:
            chosen = BookingRules(require_approval=form.get("require_approval") == "on",
                                  **counts, **spans)
            await rules.set_rules(await context.business_id(request), chosen,
                                  context.uow(request))
        except DomainError as error:
            _refused(error, read, COUNTS[0])
    if read.problems:
        return _show(request, admin, "rules", form, read.problems, 422)
    raise _done("Saved the booking rules.")


@routes.get("/admin/catalog/messages")
@owner_page
async def message_parts(request: web.Request, admin: session.AdminSession) -> web.Response:
    found = await rules.message_parts_of(await context.business_id(request),
                                         context.uow(request))
    return _show(request, admin, "messages", {n: getattr(found, n) for n in PARTS}, {})


@routes.post("/admin/catalog/messages")
@owner_page
async def save_message_parts(request: web.Request, admin: session.AdminSession
                             ) -> web.Response:
    form = await request.post()
    read = Reader(form)
    typed = {name: str(form.get(name, "")).strip() for name in PARTS}
    if not read.problems:
        try:
            await rules.set_message_parts(await context.business_id(request),
                                          MessageParts(**typed), context.uow(request))
        except DomainError as error:
            _refused(error, read, PARTS[0])
    if read.problems:
        return _show(request, admin, "messages", form, read.problems, 422)
    raise _done("Saved the parts of messages.")


@routes.get("/admin/catalog/blocklist")
@owner_page
async def blocklist(request: web.Request, admin: session.AdminSession) -> web.Response:
    return await _blocklist(request, admin, {}, {})


async def _blocklist(request: web.Request, admin: session.AdminSession, typed: Any,
                     problems: dict[str, str], status: int = 200) -> web.Response:
    found = await rules.blocked(await context.business_id(request), context.uow(request))
    return _show(request, admin, "blocklist", typed, problems, status, blocks=found)


@routes.post("/admin/catalog/blocklist")
@owner_page
async def block(request: web.Request, admin: session.AdminSession) -> web.Response:
    """By phone: the number customers book with, so the owner can type it from a message."""
    form = await request.post()
    read = Reader(form)
    phone, reason = read.text("phone", "phone", required=True), read.text("reason", "reason")
    if not read.problems:
        await _block(request, read, phone, reason)
    if read.problems:
        return await _blocklist(request, admin, form, read.problems, 422)
    raise web.HTTPSeeOther("/admin/catalog/blocklist")


async def _block(request: web.Request, read: Reader, phone: str, reason: str) -> None:
    business_id = await context.business_id(request)
    try:
        async with context.uow(request) as work:
            customer = await work.catalog.customer_by_phone(business_id, phone)
        await rules.block(rules.BlockCustomer(business_id, Block(customer.id, reason)),
                          context.uow(request))
    except NotFound:
        read.problems["phone"] = "No customer has booked with this phone number."


@routes.post("/admin/catalog/blocklist/{customer_id}/unblock")
@owner_page
async def unblock(request: web.Request, admin: session.AdminSession) -> web.Response:
    try:
        customer_id = UUID(request.match_info["customer_id"])
        await rules.unblock(await context.business_id(request), customer_id,
                            context.uow(request))
    except (ValueError, NotFound):
        raise web.HTTPNotFound(text="no such blocked customer") from None
    raise web.HTTPSeeOther("/admin/catalog/blocklist")
