"""Appointments at the front desk: the list (who each is for, search by name, phone, e-mail
or reference, filters, paging), one appointment's page (customer, contact, history, the
desk's note, payment, messages and their delivery, audit trail), check-in and the note, and
the one POST route every change of an appointment goes through (`appointment_actions` holds
the confirmed changes). A staff account sees and changes only its own appointments."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import appointment_actions, payment_views, roles, session
from assistant.gateway.admin.appointment_desk import (
    appointment_id,
    back,
    load,
    money,
    reads,
    refusal,
    typed,
)
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.api.params import HISTORY
from assistant.gateway.booking_page.contact import phone_number
from assistant.gateway.errors import ApiError
from assistant.gateway.resources import ENGINE
from scheduling.booking.model import BOOKED, Status
from scheduling.catalog import Catalog
from scheduling.desk import desk_appointments as desk
from scheduling.errors import DomainError, InvalidRequest, NotFound
from scheduling.persistence.appointment_reads import Found, Search
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.desk_notes import NOTE_LIMIT, DeskNotes, NoteChanged

own = web.RouteTableDef()
SEARCH_LIMIT = 100
PAGE_SIZE = 50


@own.get("/admin/appointments")
@admin_page
async def appointments(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Searching looks through every date unless one is given; otherwise the list starts
    yesterday."""
    catalog = await context.catalog(request)
    q, zone = request.query, catalog.business.zone
    searched = _search(q.get("q", ""), catalog)
    default = None if searched.text else datetime.now(zone) - timedelta(days=1)
    filters = Found(catalog.business.id, _day(q.get("from"), zone, "from") or default,
                    _day(q.get("until"), zone, "until"), _statuses(q), _staff(q, admin),
                    search=searched)
    try:
        found = await reads(request).listing(filters, PAGE_SIZE, q.get("cursor") or None)
    except InvalidRequest as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    return page(request, admin, "appointments.html", catalog=catalog, times=Times(zone),
                page=found, query=q, statuses=list(Status), notice=q.get("notice"),
                staff={m.id: m.name for m in catalog.staff if roles.may_see(admin, m.id)},
                services={s.id: s.name for s in catalog.services}, searched=searched.text)


def _search(typed_text: str, catalog: Catalog) -> Search:
    """What was typed, trimmed to a sane length (NUL bytes dropped: PostgreSQL refuses them)
    and read as a phone the way the booking form reads one."""
    text = typed_text.replace("\x00", "").strip()[:SEARCH_LIMIT]
    return Search(text, phone_number(text, catalog) if text else None)


def _statuses(q: web.MultiDictProxy[str]) -> tuple[Status, ...]:
    return tuple(Status(s) for s in q.getall("status", []) if s in Status.__members__.values())


def _staff(q: web.MultiDictProxy[str], admin: session.AdminSession) -> tuple[UUID, ...]:
    """The staff filter; a staff account's own member whatever was asked."""
    scope = roles.staff_scope(admin)
    if scope is not None:
        return (scope,)
    return tuple(UUID(s) for s in q.getall("staff_id", []) if _is_uuid(s))


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _day(value: str | None, zone: tzinfo, field: str) -> datetime | None:
    """Midnight of a YYYY-MM-DD day in the business's zone, within the listing's window (a
    year-9999 day overflows once moved to UTC); anything else is a 400 naming the field."""
    if not value:
        return None
    try:
        day = datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time(0), zone)
        return HISTORY.check(day, field, context.now())
    except ValueError:
        raise web.HTTPBadRequest(text=f"{field}: not a day like 2026-12-01") from None
    except ApiError as error:
        raise web.HTTPBadRequest(text=str(error)) from None


@own.get("/admin/appointments/{appointment_id}")
@admin_page
async def detail(request: web.Request, admin: session.AdminSession) -> web.Response:
    return await _detail(request, admin, request.query.get("notice"))


async def _detail(request: web.Request, admin: session.AdminSession, notice: str | None,
                  status: int = 200, draft: str | None = None) -> web.Response:
    try:
        record = await reads(request).record(appointment_id(request))
    except NotFound:
        raise web.HTTPNotFound(text="no such appointment") from None
    a = record.appointment
    roles.require_staff(admin, a.staff_id)
    catalog, now = await context.catalog(request), context.now()
    return page(request, admin, "appointment.html", status=status, record=record, a=a,
                catalog=catalog, times=Times(catalog.location(a.location_id).zone),
                notice=notice, draft=draft, note_limit=NOTE_LIMIT, money=money(catalog),
                check_in=desk.check_in_open(a, now), booked=a.status in BOOKED,
                fees=await payment_views.fee_lines(request, a, catalog),
                may_mark=desk.may_mark(a, now), may_no_show=desk.may_mark_no_show(a, now),
                services={s.id: s.name for s in (*catalog.services, *catalog.archived.services)},
                staff={m.id: m.name for m in (*catalog.staff, *catalog.archived.staff)})


@own.post("/admin/appointments/{appointment_id}/"
          "{action:check-in|cancel|reschedule|complete|no-show|note}")
@admin_page
async def act(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Every change of an appointment; an unknown or malformed id, or another staff
    member's appointment, is a 404 before anything else."""
    action = request.match_info["action"]
    if action == "note":
        return await _note(request, admin)
    if action != "check-in":
        return await appointment_actions.act(request, admin, action)
    appointment = await load(request, admin)
    try:
        await desk.check_in(appointment.id, context.uow(request), context.now())
    except DomainError as error:
        raise back(appointment.id, refusal(error)) from None
    raise back(appointment.id, "Checked in.")


async def _note(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Saved over the note the form was opened with; a note changed meanwhile comes back
    (409) with the text just typed, so nothing is lost."""
    appointment = await load(request, admin)
    form = await request.post()
    body, was = (typed(form, name, NOTE_LIMIT).replace("\r\n", "\n") for name in ("note", "was"))
    notes = DeskNotes(make_session_factory(request.app[ENGINE]))
    try:
        await notes.save(appointment.id, appointment.status.value, body, was, admin.email,
                         context.now())
    except NoteChanged as error:
        return await _detail(request, admin, f"Not saved: {error}.", 409, body)
    raise back(appointment.id, "Note saved.")


routes = [*own, *appointment_actions.routes]
"""What the admin app registers: these routes and the confirmed changes'."""
