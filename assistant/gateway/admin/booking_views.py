"""New bookings at the front desk: a walk-in or a caller, a recurring series, a group; the same
engine and rules as every channel.

    /admin/bookings/new      GET the form (`?staff_id=&start=<ISO local>&location_id=` from the
                             calendar); POST redraws it (free times, customer search) or books,
                             or for a repeating booking shows every occurrence first
    /admin/bookings/series   POST: book the occurrences kept in that preview, in one go
    /admin/bookings/done     GET: what a form's key booked (a reload books nothing again)

A booking goes through `customers.book_for` (a series through `series.book_series`), channel
ADMIN: hours, overlaps, buffers, the daily maximum, seats, the per-customer maximum and the
blocklist all hold; the owner may waive only the minimum notice. The free times shown are
`free_times.free_day`, the one availability path. A staff account books only for itself.
"""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import booking_form as bf
from assistant.gateway.admin import booking_series_page as series_page
from assistant.gateway.admin import roles
from assistant.gateway.admin.booking_desk import (
    Booking,
    checked,
    form_page,
    problem_of,
    search_of,
    uow,
)
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.session import AdminSession
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.free_times import worded
from scheduling import formats
from scheduling.booking import payments
from scheduling.booking.commands import BookAppointment
from scheduling.booking.model import Appointment, Channel, Contact
from scheduling.desk import desk_booking
from scheduling.desk.series import MAX_OCCURRENCES
from scheduling.errors import DomainError, SlotUnavailable

routes = web.RouteTableDef()


@routes.get("/admin/bookings/new")
@admin_page
async def new(request: web.Request, admin: AdminSession) -> web.Response:
    return await form_page(request, admin, bf.typed(request.query), from_link=True)


@routes.post("/admin/bookings/new")
@admin_page
async def submit(request: web.Request, admin: AdminSession) -> web.Response:
    """Only the "book" button books; the others draw the form again with what was typed."""
    posted = await request.post()
    form = bf.typed(posted)
    if posted.get("step") != "book":
        return await form_page(request, admin, form)
    booking = await checked(request, admin, form)
    if isinstance(booking, web.Response):
        return booking
    if booking.repeat is not None:
        return await series_page.preview_page(request, admin, form, booking)
    return await book_one(request, admin, form, booking)


async def book_one(request: web.Request, admin: AdminSession, form: dict[str, str],
                   booking: Booking) -> web.Response:
    command = BookAppointment(booking.slot(), None, f"desk:{form['key']}", channel=Channel.ADMIN,
                              notes=form["notes"], participants=booking.participants,
                              contact=booking.contact, waive_notice=booking.waive)
    try:
        await desk_booking.book(command, booking.proof, uow(request), context.now())
    except SlotUnavailable as error:
        async with uow(request) as work:  # lost to this form's own double submit?
            twin = await work.appointments.by_key(booking.catalog.business.id,
                                                  command.idempotency_key)
        if twin is None:
            nearest = worded(error.alternatives, booking.catalog, search_of(booking.chosen),
                             context.now())
            return await form_page(request, admin, form, 409, notice=str(error).capitalize()
                                   + ". The nearest free times are listed first.",
                                   nearest=nearest)
    except DomainError as error:
        return await form_page(request, admin, form, 422, problems=problem_of(error))
    raise web.HTTPSeeOther("/admin/bookings/done?" + urlencode({"key": form["key"]}))


@routes.post("/admin/bookings/series")
@admin_page
async def book_series(request: web.Request, admin: AdminSession) -> web.Response:
    """Book the occurrences kept in the preview, all or none."""
    posted = await request.post()
    form = bf.typed(posted)
    booking = await checked(request, admin, form)
    if isinstance(booking, web.Response):
        return booking
    if booking.repeat is None:
        return await book_one(request, admin, form, booking)
    return await series_page.book(request, admin, form, booking, posted)


@routes.get("/admin/bookings/done")
@admin_page
async def done(request: web.Request, admin: AdminSession) -> web.Response:
    """What the form with this key booked: one appointment, or every occurrence of a series."""
    key = request.query.get("key", "")
    if not bf.is_key(key):
        raise web.HTTPNotFound(text="no such booking")
    catalog = await context.catalog(request)
    booked = await _booked(request, catalog.business.id, key)
    booked = [a for a in booked if roles.may_see(admin, a.staff_id)]
    if not booked:
        raise web.HTTPNotFound(text="no such booking")
    zone = catalog.location(booked[0].location_id).zone
    return page(request, admin, "booking_done.html", catalog=catalog, booked=booked,
                times=Times(zone), told=_told(booked, catalog.business.policies.currency),
                again=_again(booked[0]))


async def _booked(request: web.Request, business_id: UUID, key: str) -> list[Appointment]:
    keys = [f"desk:{key}"] + [f"desk:{key}:{n}" for n in range(1, MAX_OCCURRENCES + 1)]
    async with uow(request) as work:
        found = [await work.appointments.by_key(business_id, k) for k in keys[:2]]
        if found[1] is not None:
            found += [await work.appointments.by_key(business_id, k) for k in keys[2:]]
    return [a for a in found if a is not None]


def _told(booked: list[Appointment], currency: str) -> str:
    """How the customer hears of it: each appointment's confirmation goes where its contact
    is (one per occurrence of a series, as for any booking); one waiting for its deposit
    online gets the pay link there instead (one waiting for a card, the link to add it), and a
    deposit owed at the salon is said."""
    contact = booked[0].contact or Contact()
    ways = " and ".join(way for way, given in (("text", contact.phone),
                                               ("e-mail", contact.email)) if given)
    if any(payments.awaiting_card(a) for a in booked):
        return (f"A link to add a card is on its way by {ways}; the booking is confirmed once "
                "it is saved, and released if it is not saved in time." if ways else
                "No phone or e-mail was given, so no link to add a card can be sent: the time "
                "is released when the payment window ends.")
    waiting = [a for a in booked if payments.awaiting_online(a)]
    if waiting:
        deposit = formats.money(payments.owed(waiting[0]), currency)
        if not ways:
            return (f"No phone or e-mail was given, so no link to pay the {deposit} deposit "
                    "can be sent: mark it paid on the appointment when they pay, or the time "
                    "is released when the payment window ends.")
        return (f"A link to pay the {deposit} deposit online is on its way by {ways}; the "
                "booking is confirmed once it is paid, and released if it is not paid in time.")
    what = "A confirmation is" if len(booked) == 1 else "A confirmation of each is"
    told = f"{what} on its way by {ways}." if ways else \
        "No phone or e-mail was given, so no confirmation is sent."
    owed = [a for a in booked if payments.at_salon(a)]
    if owed:
        deposit = formats.money(payments.owed(owed[0]), currency)
        told += (f" The {deposit} deposit is owed here: mark it paid on the appointment when "
                 "the customer pays.")
    return told


def _again(appointment: Appointment) -> str:
    """The form again for the same service and staff member, for the next customer."""
    return "/admin/bookings/new?" + urlencode({
        "service_id": str(appointment.service_id), "staff_id": str(appointment.staff_id)})


