"""The desk's changes to one appointment, each behind a confirmation page (a GET that shows
what will happen, whose form posts the change), each one use case: cancel for the customer
(`changes.cancel`, a reason, the fee and refund stated first), reschedule for the customer
(`changes.reschedule` at a time picked from the staff member's free times, found by
`free_times`, the availability path every channel uses), mark completed or no-show
(`desk_appointments`). The customer is told through the outbox by the use cases."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from aiohttp import web

from assistant.gateway import free_times
from assistant.gateway.admin import session
from assistant.gateway.admin.appointment_desk import back, load, money, refusal, typed
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from scheduling.booking import changes
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import BOOKED, Actor, Appointment
from scheduling.catalog import Catalog
from scheduling.desk import desk_appointments as desk
from scheduling.errors import DomainError, InvalidRequest, SlotUnavailable

routes = web.RouteTableDef()
MARKS = {"complete": ("Mark completed", "completed"), "no-show": ("Mark no-show", "a no-show")}


@routes.get("/admin/appointments/{appointment_id}/{action:cancel|complete|no-show}")
@admin_page
async def confirm(request: web.Request, admin: session.AdminSession) -> web.Response:
    """What the change will do, and the button that does it."""
    appointment = await load(request, admin)
    catalog = await context.catalog(request)
    action, now = request.match_info["action"], context.now()
    allowed = (appointment.status in BOOKED if action == "cancel"
               else desk.may_mark(appointment, now) if action == "complete"
               else desk.may_mark_no_show(appointment, now))
    terms = desk.cancel_terms(appointment, catalog, now) if action == "cancel" else None
    return page(request, admin, "appointment_confirm.html", a=appointment, action=action,
                allowed=allowed, terms=terms, mark=MARKS.get(action),
                **_names(catalog, appointment))


async def act(request: web.Request, admin: session.AdminSession, action: str) -> web.Response:
    """The posted change (from `appointment_views.act`); a post that did not come from the
    confirmation page (no `confirmed`) is sent to it first."""
    appointment = await load(request, admin)
    form = await request.post()
    if form.get("confirmed") != "yes":
        raise web.HTTPSeeOther(f"/admin/appointments/{appointment.id}/{action}")
    try:
        shown, notice = await _do(request, admin, appointment, action, form)
    except SlotUnavailable:
        raise back(appointment.id, "That time was just taken: pick another. The appointment "
                   "is still at its old time.", "/reschedule") from None
    except DomainError as error:
        raise back(appointment.id, refusal(error)) from None
    raise back(shown, notice)


async def _do(request: web.Request, admin: session.AdminSession, appointment: Appointment,
              action: str, form: object) -> tuple[UUID, str]:
    """The change made; the appointment to show next (a move's new one) and what to say."""
    uow, now = context.uow(request), context.now()
    if action == "cancel":
        reason = typed(form, "reason")
        if not reason:
            raise InvalidRequest("give the reason the customer will read", field="reason")
        done = await changes.cancel(CancelAppointment(appointment.id, Actor.OWNER, reason,
                                                      account=admin.email), uow, now)
        refund = f" A refund of {done.refund} is queued." if done.refund > 0 else ""
        return appointment.id, f"Cancelled; the customer is told and offered new times.{refund}"
    if action == "reschedule":
        moved = await changes.reschedule(await _move(request, admin, appointment, form), uow,
                                         now)
        return moved.new.id, "Moved; the customer is told the new time."
    if action == "complete":
        await desk.mark_completed(appointment.id, admin.email, uow, now)
        return appointment.id, "Marked completed."
    await desk.mark_no_show(appointment.id, admin.email, uow, now)
    return appointment.id, "Marked as a no-show; the customer's message is queued."


@routes.get("/admin/appointments/{appointment_id}/reschedule")
@admin_page
async def reschedule(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Pick a day, see the staff member's free times on it; a time picked (`start`) is
    shown for confirmation. A day outside the bookable range is a 422 saying which are."""
    appointment = await load(request, admin)
    catalog, now = await context.catalog(request), context.now()
    search = _search(appointment)
    shown = free_times.display_zone(catalog, search)
    problem, day, status = None, None, 200
    start = _start(request.query.get("start"), catalog, appointment, now)
    try:
        wanted = _date(request.query.get("date")) or _first_day(appointment, shown, now)
        async with context.uow(request) as work:
            day = await free_times.free_day(work.appointments, catalog, search, wanted, now)
    except InvalidRequest as error:
        problem, status = str(error), 422
    return page(request, admin, "appointment_reschedule.html", status=status, a=appointment,
                day=day, problem=problem, start=start, allowed=appointment.status in BOOKED,
                zone=str(shown), notice=request.query.get("notice"),
                picked=request.query.get("date") or (day.day.isoformat() if day else ""),
                **_names(catalog, appointment))


async def _move(request: web.Request, admin: session.AdminSession, appointment: Appointment,
                form: object) -> RescheduleAppointment:
    catalog, now = await context.catalog(request), context.now()
    start = _start(typed(form, "start", 40), catalog, appointment, now)
    if start is None:
        raise InvalidRequest("pick a new time", field="start")
    reason = typed(form, "reason") or "moved by the front desk"
    return RescheduleAppointment(appointment.id, start, Actor.OWNER, appointment.staff_id,
                                 reason=reason, account=admin.email)


def _search(appointment: Appointment) -> free_times.Search:
    """The same service with the same staff member at the same location, the appointment's
    own time counting as free."""
    return free_times.Search(appointment.service_id, appointment.staff_id,
                             exclude=(appointment.id,), location_id=appointment.location_id)


def _start(value: str | None, catalog: Catalog, appointment: Appointment, now: datetime
           ) -> datetime | None:
    """A picked start (ISO, with its offset) on a bookable day; 422 for anything else, so a
    year-9999 time never reaches the placement's arithmetic."""
    if not value:
        return None
    try:
        start = datetime.fromisoformat(value)
        if start.tzinfo is None:
            raise ValueError(value)
        shown = free_times.display_zone(catalog, _search(appointment))
        free_times.check_day(catalog, _search(appointment), start.astimezone(shown).date(), now)
    except (ValueError, OverflowError, InvalidRequest):
        raise web.HTTPUnprocessableEntity(text="start: not a time that can be booked") from None
    return start


def _date(value: str | None) -> date | None:
    """A YYYY-MM-DD day (Python would also read "20261201" or a week date)."""
    if not value:
        return None
    try:
        if len(value) != len("2026-12-01"):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest("date: not a day like 2026-12-01", field="date") from None


def _first_day(appointment: Appointment, shown: ZoneInfo, now: datetime) -> date:
    """The appointment's own day when it is still ahead, else today."""
    return max(appointment.start, now).astimezone(shown).date()


def _names(catalog: Catalog, appointment: Appointment) -> dict[str, object]:
    return {"service": catalog.service(appointment.service_id).name,
            "staff": catalog.staff_member(appointment.staff_id).name,
            "times": Times(catalog.location(appointment.location_id).zone),
            "catalog": catalog, "money": money(catalog)}

