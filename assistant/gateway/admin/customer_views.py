"""Customers at the front desk: the list, one customer's history, notes and preferences, the
blocklist toggle, export and erasure of personal data.

A staff account sees the customers who have had an appointment with them, and of each only
those appointments; they may keep the notes and preferences (they serve the customer). Block,
export and erase are the owner's (`customer_actions`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import customer_actions as actions
from assistant.gateway.admin import roles, session
from assistant.gateway.admin.customer_access import done, notice_of, reads, uow, visible
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.booking_page.contact import phone_number
from scheduling import formats
from scheduling.catalog import Catalog, CustomerPreferences, TimeOfDay
from scheduling.desk import customer_records as records
from scheduling.desk.customer_values import CustomerProfile, CustomerQuery
from scheduling.errors import DomainError, InvalidRequest
from scheduling.patterns import WEEKDAY_NAMES, AppointmentRecord, AppointmentStatus, PatternModel

routes = web.RouteTableDef()
QUERY_CHARS = 200
PHONE_LIKE = re.compile(r"[\d\s().+\-]+")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?")
LEARNED = {"completed": AppointmentStatus.COMPLETED, "pending": AppointmentStatus.BOOKED,
           "confirmed": AppointmentStatus.BOOKED}


def search_of(text: str, catalog: Catalog, staff_id: UUID | None, page_no: int
              ) -> CustomerQuery:
    """A phone typed any way ("(212) 555-0142", "212.555.0142", "+1 212 555 0142") is read
    as the booking form reads it; a part of a number (4 digits or more) matches by digits;
    anything else is a part of a name or an e-mail."""
    business_id = catalog.business.id
    if text and PHONE_LIKE.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        return CustomerQuery(business_id, "", phone_number(text, catalog),
                             digits if len(digits) >= 4 else "", staff_id, page_no)
    return CustomerQuery(business_id, text, None, "", staff_id, page_no)


def _page_number(request: web.Request) -> int:
    raw = request.query.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise web.HTTPBadRequest(text="page must be a whole number from 1 to 10000")
    return int(raw)


@routes.get("/admin/customers")
@admin_page
async def listing(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    text = request.query.get("q", "").strip()[:QUERY_CHARS]
    query = search_of(text, catalog, roles.staff_scope(admin), _page_number(request))
    found = await reads(request).search(query, context.now())
    return page(request, admin, "customers.html", found=found, q=text,
                times=Times(catalog.business.zone))


@routes.get("/admin/customers/{customer_id}")
@admin_page
async def detail(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog, found = await visible(request, admin)
    return show(request, admin, catalog, found, {}, notice=notice_of(request.query))


def show(request: web.Request, admin: session.AdminSession, catalog: Catalog,
         found: CustomerProfile, problems: dict[str, str], status: int = 200,
         notice: str = "") -> web.Response:
    times = Times(catalog.business.zone)
    learned = learned_from(found, catalog.business.time_zone)
    staff = {s.id: s.name for s in (*catalog.staff, *catalog.archived.staff)}
    favourite = learned.favourite_staff() if learned else None
    usual = [f"{WEEKDAY_NAMES[h.weekday]}s at {times.hour(h.hour)}"
             for h in (learned.top_hours() if learned else [])]
    currency = catalog.business.policies.currency
    return page(request, admin, "customer.html", status=status, customer=found, staff=staff,
                current_staff=catalog.staff, times=times, problems=problems, usual=usual,
                favourite=staff.get(favourite) if favourite else None, weekdays=WEEKDAY_NAMES,
                parts=list(TimeOfDay), notice=notice,
                money=lambda amount: formats.money(amount, currency))


def learned_from(found: CustomerProfile, zone: str) -> PatternModel | None:
    """What their visits say (as the suggestions learn it): usual hours, on the business's
    clock as every admin page shows times, and usual staff member."""
    kept = [AppointmentRecord(v.start, zone, LEARNED[v.status], v.staff_id)
            for v in found.visits if v.status in LEARNED]
    return PatternModel().learn(kept) if kept else None


@routes.post("/admin/customers/{customer_id}/notes")
@admin_page
async def save_notes(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog, found = await visible(request, admin)
    form = await request.post()
    notes, was = str(form.get("notes", "")), form.get("was")
    command = records.SaveNotes(catalog.business.id, found.id, notes.replace("\r\n", "\n"),
                                None if was is None else str(was).replace("\r\n", "\n"))
    try:
        await records.save_notes(command, uow(request), context.now())
    except DomainError as error:
        return show(request, admin, catalog, replace(found, notes=notes),
                    {"notes": _message(error)}, 422)
    raise done(found.id, "notes")


@routes.post("/admin/customers/{customer_id}/preferences")
@admin_page
async def save_preferences(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog, found = await visible(request, admin)
    form = await request.post()
    problems: dict[str, str] = {}
    chosen = preferences_of(form, problems)
    channels = replace(found.notifications, sms="sms" in form, email="email" in form)
    if not problems:
        try:
            await records.save_preferences(records.SavePreferences(
                catalog.business.id, found.id, chosen, channels), uow(request))
        except DomainError as error:
            problems[_field(error, "staff_ids")] = _message(error)
    if problems:
        return show(request, admin, catalog, found, problems, 422)
    raise done(found.id, "preferences")


def preferences_of(form: Any, problems: dict[str, str]) -> CustomerPreferences:
    """The facts the owner may set; what is not one of the offered choices is refused."""
    try:
        staff_ids = frozenset(UUID(v) for v in form.getall("staff_ids", []))
    except ValueError:
        problems["staff_ids"], staff_ids = "Choose staff from the list.", frozenset()
    days = form.getall("weekdays", [])
    if not all(d in {str(i) for i in range(7)} for d in days):
        problems["weekdays"], days = "Choose days from the list.", []
    parts = form.getall("times_of_day", [])
    if not all(p in {t.value for t in TimeOfDay} for p in parts):
        problems["times_of_day"], parts = "Choose times of day from the list.", []
    language = str(form.get("language", "")).strip()
    if language and not LANGUAGE.fullmatch(language):
        problems["language"] = "Write a language code, like en or es."
    return CustomerPreferences(frozenset(int(d) for d in days),
                               frozenset(TimeOfDay(p) for p in parts), staff_ids,
                               language or None)


def _field(error: DomainError, fallback: str) -> str:
    return error.field if isinstance(error, InvalidRequest) and error.field else fallback


def _message(error: DomainError) -> str:
    text = str(error)
    return text.split(": ", 1)[1] if ": " in text else text


routes.get("/admin/customers/{customer_id}/block")(actions.confirm_block)
routes.post("/admin/customers/{customer_id}/block")(actions.block)
routes.get("/admin/customers/{customer_id}/export")(actions.export)
routes.get("/admin/customers/{customer_id}/erase")(actions.confirm_erase)
routes.post("/admin/customers/{customer_id}/erase")(actions.erase)
