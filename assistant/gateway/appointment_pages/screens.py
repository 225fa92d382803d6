"""The screens of one appointment, as values for the templates: the appointment and where it
stands, the cancel step with its fee, the picker for a new time. Handlers decide which one
to show; these only gather what it says."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from assistant.gateway import pages
from assistant.gateway.api import context
from assistant.gateway.appointment_pages import facts as described
from assistant.gateway.appointment_pages.access import Access, passed_on
from assistant.gateway.appointment_pages.problems import (
    NO_STORE,
    book_again,
    call_us,
    sentence,
)
from assistant.gateway.appointment_pages.standing import Standing, Terms
from assistant.gateway.appointment_pages.times import Picker, picker
from assistant.gateway.free_times import FreeTime, Search
from scheduling import formats
from scheduling.catalog import zone
from scheduling.errors import InvalidRequest

DONE = {"cancelled": ("Your appointment is cancelled.", {"cancelled"}),
        "rescheduled": ("Done: your appointment is now at the time below.", {"upcoming"}),
        "booked": ("Done: your new time is booked.", {"upcoming"}),
        "accepted": ("Thank you: we have noted that the change is fine with you.",
                     {"cancelled", "upcoming"})}
"""What a form's result page says, shown only in the states that result leaves (so a second
submit that lost to its twin lands on the same words, and a hand-typed `done` says nothing)."""


def screen(request: web.Request, template: str, access: Access, seen: Standing,
           status: int = 200, **extra: Any) -> web.Response:
    """A page of `seen`, with what every one of them shows (the business, the facts)."""
    catalog = seen.catalog
    response = pages.render(
        request, f"customer/{template}.html", status, business_name=catalog.business.name,
        facts=described.facts(catalog, seen.appointment), seen=seen, access=access,
        form_action=f"/appointments/{access.action}", ways=call_us(catalog.business), **extra)
    response.headers.update(NO_STORE)
    return response


def moment(seen: Standing, at: datetime | None) -> str:
    """A past moment (a cancellation, an acceptance) in the customer's zone."""
    if at is None:
        return ""
    return formats.day_and_time(at, zone(seen.appointment.customer_time_zone))


def view(request: web.Request, access: Access, seen: Standing, done: str | None = None
         ) -> web.Response:
    """The appointment and where it stands, with what this link may do about it."""
    appointment, catalog = seen.appointment, seen.catalog
    cancellation = appointment.cancellation
    successor = seen.successor
    return screen(
        request, "manage", access, seen, done=said_done(seen, done),
        calendar=described.calendar_links(catalog, appointment),
        cancelled_at=moment(seen, cancellation.at if cancellation else None),
        fee=described.money(catalog, cancellation.fee) if cancellation else "",
        refund=described.money(catalog, cancellation.refund) if cancellation else "",
        accepted_at=moment(seen, seen.accepted_at),
        successor=described.facts(catalog, successor) if successor else None,
        successor_url=passed_on(request, access, successor) if successor else "",
        book_again=book_again(appointment.service_id).href,
        no_show_fee=described.money(catalog, catalog.business.policies.no_show_fee),
    )


def said_done(seen: Standing, done: str | None) -> str:
    words, states = DONE.get(done or "", ("", set()))
    return words if seen.state in states else ""


def cancel_step(request: web.Request, access: Access, seen: Standing, status: int = 200,
                error: str = "", reason: str = "") -> web.Response:
    """The cancel step: the fee or "free" before the customer confirms (or why it cannot)."""
    terms = seen.terms("cancel")
    return screen(request, "cancel", access, seen, status, terms=terms,
                  fee=described.money(seen.catalog, terms.fee),
                  refund=described.money(seen.catalog, terms.refund), error=error,
                  reason=reason)


def search_for(seen: Standing) -> Search:
    """A move keeps its staff member and counts its own time as free; a new booking after
    the owner's cancellation takes anyone (the reason may be that person's absence)."""
    appointment = seen.appointment
    if seen.rebookable:
        return Search(appointment.service_id, None, appointment.customer_time_zone)
    return Search(appointment.service_id, appointment.staff_id,
                  appointment.customer_time_zone, exclude=(appointment.id,))


async def reschedule_step(
    request: web.Request, access: Access, seen: Standing, raw_day: str | None,
    status: int = 200, error: str = "", nearest: tuple[FreeTime, ...] = (),
) -> web.Response:
    """The picker, or why the appointment cannot be moved; a day that cannot be shown is
    said next to the picker of the current week."""
    terms = Terms(True) if seen.rebookable else seen.terms("reschedule")
    chosen = None
    if terms.allowed:
        try:
            chosen = await _pick(request, seen, raw_day)
        except InvalidRequest as bad:
            status, error = 422, sentence(str(bad))
            chosen = await _pick(request, seen, None)
    return screen(request, "reschedule", access, seen, status, terms=terms, picker=chosen,
                  error=error, nearest=nearest,
                  days=[(d, access.url(step="reschedule", day=d.day.isoformat()))
                        for d in (chosen.week.days if chosen else ())],
                  weeks=_weeks(access, chosen))


async def _pick(request: web.Request, seen: Standing, raw_day: str | None) -> Picker:
    async with context.uow(request) as work:
        return await picker(work.appointments, seen.catalog, search_for(seen), raw_day,
                            seen.now)


def _weeks(access: Access, chosen: Picker | None) -> dict[str, str]:
    if chosen is None:
        return {}
    week = chosen.week
    return {label: access.url(step="reschedule", day=first.isoformat())
            for label, first in (("previous", week.previous), ("next", week.next)) if first}
