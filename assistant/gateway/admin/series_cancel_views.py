"""Cancel this and the rest of a recurring series, from one occurrence's page: a confirmation
that lists every occurrence it will cancel (from this one on, still booked) with the fee or
refund of each, as the single cancel states them, and a reason the customer reads; the post
cancels each through `series_cancel.cancel_each` and the page that answers lists them.

A staff account sees, and cancels, only the occurrences with its own staff member; the rest
of the series stays booked. The list is read again when the post arrives, so a repeated post
finds nothing left and does nothing more.
"""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.admin import roles, session
from assistant.gateway.admin.appointment_desk import back, load, money, refusal, typed
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE
from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog
from scheduling.desk import desk_appointments as desk
from scheduling.desk import series_cancel
from scheduling.errors import DomainError
from scheduling.persistence.series_cancel_reads import rest_of_series

routes = web.RouteTableDef()
PATH = "/admin/appointments/{appointment_id}/cancel-series"


@routes.get(PATH)
@admin_page
async def confirm(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Each occurrence to cancel with its terms, and the form (reason, button) that does it."""
    appointment = await load(request, admin)
    catalog, now = await context.catalog(request), context.now()
    rest = await _rest(request, admin, appointment)
    terms = [(o, desk.cancel_terms(o, catalog, now)) for o in rest]
    return page(request, admin, "series_cancel_confirm.html", a=appointment, rows=terms,
                notice=request.query.get("notice"), **_shown(catalog, appointment))


@routes.post(PATH)
@admin_page
async def cancel(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Cancels what is still booked now; a post not from the confirmation page (no
    `confirmed`) is sent to it first, a missing reason back to it with the form."""
    appointment = await load(request, admin)
    form = await request.post()
    if form.get("confirmed") != "yes":
        raise web.HTTPSeeOther(f"/admin/appointments/{appointment.id}/cancel-series")
    rest = {o.id: o for o in await _rest(request, admin, appointment)}
    try:
        done = await series_cancel.cancel_each(rest, typed(form, "reason"), admin.email,
                                               context.uow(request), context.now())
    except DomainError as error:
        raise back(appointment.id, refusal(error), "/cancel-series") from None
    catalog = await context.catalog(request)
    return page(request, admin, "series_cancel_done.html", a=appointment, done=done,
                skipped=[rest[i] for i in done.skipped], **_shown(catalog, appointment))


async def _rest(request: web.Request, admin: session.AdminSession, appointment: Appointment
                ) -> tuple[Appointment, ...]:
    """The rest of the series this account may see (`roles.may_see`)."""
    found = await rest_of_series(request.app[ENGINE], appointment)
    return tuple(o for o in found if roles.may_see(admin, o.staff_id))


def _shown(catalog: Catalog, appointment: Appointment) -> dict[str, object]:
    """Names of the services and staff (archived ones too), the clock and money to write."""
    return {"services": {s.id: s.name for s in (*catalog.services, *catalog.archived.services)},
            "staff": {m.id: m.name for m in (*catalog.staff, *catalog.archived.staff)},
            "times": Times(catalog.location(appointment.location_id).zone),
            "money": money(catalog)}
