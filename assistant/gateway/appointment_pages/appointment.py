"""`/appointments/{manage,cancel,reschedule,confirm}?token=…`: one appointment's page.

GET shows a step (`step=view|cancel|reschedule|calendar`; each link lands on its own: a
cancel link on the cancel step); POST to the same path, the token in a hidden field, does
what the form says and redirects to the result (POST-redirect-GET). A second submit of the
same form finds the work done and redirects to the same result: cancelled is cancelled, a
move already made points to its new appointment, a new booking replays its key.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from aiohttp import web

from assistant.gateway.api import context
from assistant.gateway.appointment_pages import screens
from assistant.gateway.appointment_pages.access import Access, passed_on, verified
from assistant.gateway.appointment_pages.facts import calendar_file
from assistant.gateway.appointment_pages.inputs import Form, field, read_reason, read_start
from assistant.gateway.appointment_pages.problems import (
    NO_STORE,
    Problem,
    Way,
    sentence,
    shown,
)
from assistant.gateway.appointment_pages.standing import Standing, rebooking_key, standing
from assistant.gateway.free_times import worded
from assistant.gateway.resources import ENGINE
from scheduling.booking import changes, services
from scheduling.booking.commands import (
    BookAppointment,
    CancelAppointment,
    RescheduleAppointment,
    SlotChoice,
)
from scheduling.booking.model import Actor, Appointment, Channel, IllegalTransition
from scheduling.errors import InvalidRequest, PolicyViolation, SlotUnavailable
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.delivery_reads import delivery_reads

ACTIONS = ("manage", "cancel", "reschedule", "confirm")
LANDING = {"manage": "view", "confirm": "view", "cancel": "cancel", "reschedule": "reschedule"}
VERBS = ("cancel", "reschedule", "accept")


async def _opened(request: web.Request, token: str | None) -> tuple[Access, Standing]:
    now = context.now()
    access = verified(request, request.match_info["action"], token, now)
    return access, await standing(context.uow(request), access.subject, now)


@shown
async def show(request: web.Request) -> web.StreamResponse:
    access, seen = await _opened(request, request.query.get("token"))
    step = request.query.get("step") or LANDING[access.action]
    if step in ("cancel", "reschedule"):
        access.require(step)
    if step == "cancel" and seen.state == "upcoming":
        return screens.cancel_step(request, access, seen)
    if step == "reschedule" and (seen.state == "upcoming" or seen.rebookable):
        return await screens.reschedule_step(request, access, seen, request.query.get("day"))
    if step == "calendar" and seen.state in ("upcoming", "now"):
        return await _calendar(request, seen)
    if step not in ("view", "cancel", "reschedule", "calendar"):
        raise Problem(404, "There is no such page", "Open the link from your message again.",
                      ())
    return screens.view(request, access, seen, request.query.get("done"))


async def _calendar(request: web.Request, seen: Standing) -> web.Response:
    async with delivery_reads(make_session_factory(request.app[ENGINE])) as reads:
        chain = await reads.lineage(seen.appointment.id)
    body = calendar_file(seen.catalog, seen.appointment, chain, seen.now)
    return web.Response(body=body, content_type="text/calendar", headers={
        "Content-Disposition": 'attachment; filename="appointment.ics"', **NO_STORE})


@shown
async def act(request: web.Request) -> web.StreamResponse:
    form: Form = await request.post()
    access, seen = await _opened(request, field(form, "token"))
    verb = field(form, "do") or ""
    if verb not in VERBS:
        raise Problem(400, "That form was not complete", "Please use the buttons on the page.",
                      (Way(access.url(), "See the appointment"),))
    access.require(verb)
    if verb == "cancel":
        return await _cancel(request, access, seen, form)
    if verb == "reschedule":
        return await _reschedule(request, access, seen, form)
    await changes.accept_change(seen.appointment.id, context.uow(request), seen.now)
    raise web.HTTPSeeOther(access.url(step="view", done="accepted"))


async def _cancel(request: web.Request, access: Access, seen: Standing, form: Form
                  ) -> web.StreamResponse:
    done = access.url(step="view", done="cancelled")
    if seen.state == "cancelled":
        raise web.HTTPSeeOther(done)
    terms = seen.terms("cancel")
    if not terms.allowed:
        return screens.cancel_step(request, access, seen, 403)
    try:
        reason = read_reason(form)
    except InvalidRequest as bad:
        return screens.cancel_step(request, access, seen, 422, sentence(str(bad)))
    if field(form, "fee") != str(terms.fee):
        return screens.cancel_step(request, access, seen, 409, "The fee has changed since "
                                   "the page was opened: please read it again.", reason)
    command = CancelAppointment(seen.appointment.id, Actor.CUSTOMER, reason)
    with suppress(IllegalTransition):  # cancelled (or moved) meanwhile: the page says which
        await changes.cancel(command, context.uow(request), seen.now)
    raise web.HTTPSeeOther(done)


async def _reschedule(request: web.Request, access: Access, seen: Standing, form: Form
                      ) -> web.StreamResponse:
    """Move the appointment, or book a new time after the owner's cancellation; a time lost
    to someone quicker shows the nearest free ones."""
    day = field(form, "day")
    if seen.successor is not None:
        raise web.HTTPSeeOther(passed_on(request, access, seen.successor, done=_done(seen)))
    try:
        start = read_start(field(form, "start"), seen.now)
        new = await (_rebook(request, seen, start) if seen.rebookable
                     else _move(request, seen, start))
    except IllegalTransition:  # moved meanwhile, by a twin of this submit: its result
        raise web.HTTPSeeOther(await _result(request, access)) from None
    except SlotUnavailable as lost:
        nearest = worded(lost.alternatives, seen.catalog, screens.search_for(seen), seen.now)
        return await screens.reschedule_step(request, access, seen, day, 409,
                                             "Sorry, that time was just taken. The nearest "
                                             "free times are below.", nearest)
    except (InvalidRequest, PolicyViolation) as refused:
        status = 403 if isinstance(refused, PolicyViolation) else 422
        return await screens.reschedule_step(request, access, seen, day, status,
                                             sentence(str(refused)))
    raise web.HTTPSeeOther(passed_on(request, access, new, done=_done(seen)))


async def _result(request: web.Request, access: Access) -> str:
    """Where the appointment went, read again after a change made in between."""
    now = await standing(context.uow(request), access.subject, context.now())
    if now.successor is None:
        return access.url(step="view")
    return passed_on(request, access, now.successor, done=_done(now))


def _done(seen: Standing) -> str:
    """What the result page says: a move, or a new booking in place of a cancelled one."""
    return "rescheduled" if seen.state in ("upcoming", "moved") else "booked"


async def _move(request: web.Request, seen: Standing, start: datetime) -> Appointment:
    command = RescheduleAppointment(seen.appointment.id, start, Actor.CUSTOMER)
    return (await changes.reschedule(command, context.uow(request), seen.now)).new


async def _rebook(request: web.Request, seen: Standing, start: datetime) -> Appointment:
    """The same service at `start` with anyone, for the same customer and contact, once."""
    old = seen.appointment
    command = BookAppointment(SlotChoice(old.business_id, old.service_id, start),
                              old.customer_id, rebooking_key(old.id), Channel.WEB,
                              old.customer_time_zone, contact=old.contact)
    return (await services.book(command, context.uow(request), seen.now)).appointment
