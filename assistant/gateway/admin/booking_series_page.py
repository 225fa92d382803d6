"""The series preview and its booking: every occurrence of "every N weeks, K times" with the
ones that cannot be had marked and their nearest free times offered; the owner keeps, moves or
skips each, then all the kept ones are booked in one transaction (`series.book_series`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode

from aiohttp import web

from assistant.gateway.admin.booking_desk import Booking, hidden, uow
from assistant.gateway.admin.guard import page
from assistant.gateway.admin.session import AdminSession
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.booking_page.choose import start_of
from scheduling.desk import series
from scheduling.errors import DomainError, InvalidRequest, SlotUnavailable

SKIP = "skip"


async def preview_page(request: web.Request, admin: AdminSession, form: dict[str, str],
                       booking: Booking, status: int = 200, notice: str | None = None
                       ) -> web.Response:
    """Each occurrence as a choice: its own time (when free) or one of the nearest free
    times that day, or skip it."""
    repeat = booking.repeat
    if repeat is None:
        raise web.HTTPBadRequest(text="this booking does not repeat")
    seats = max(1, len(booking.participants))
    plan = await series.preview(uow(request), booking.slot(), repeat, seats, context.now(),
                                booking.waive)
    async with uow(request) as work:
        rules = await work.appointments.rules(booking.catalog.business.id)
    times = Times(booking.chosen.zone)
    rows = [(o, _options(o, times)) for o in plan]
    return page(request, admin, "booking_series.html", status=status, booking=booking,
                rows=rows, hidden=hidden(form), notice=notice, times=times,
                limit=rules.max_active_per_customer, repeat=repeat,
                free=sum(o.free for o in plan))


def _options(occurrence: series.Occurrence, times: Times) -> list[tuple[str, str, bool]]:
    """(value, label, chosen): a free time is kept unless skipped; a taken one is skipped
    unless one of its alternatives is picked."""
    if occurrence.free:
        return [(occurrence.start.isoformat(), "Keep", True), (SKIP, "Skip", False)]
    return [(SKIP, "Skip", True)] + [
        (slot.start.isoformat(), times.when(slot.start), False)
        for slot in occurrence.alternatives]


def kept(posted: Mapping[str, object], count: int) -> list[datetime]:
    """The times chosen in the preview, in order; InvalidRequest for one that is not a time."""
    starts = []
    for number in range(1, count + 1):
        chosen = posted.get(f"at_{number}", SKIP)
        if chosen != SKIP:
            starts.append(start_of(chosen if isinstance(chosen, str) else ""))
    return starts


async def book(request: web.Request, admin: AdminSession, form: dict[str, str],
               booking: Booking, posted: Mapping[str, object]) -> web.Response:
    repeat = booking.repeat
    if repeat is None:
        raise web.HTTPBadRequest(text="this booking does not repeat")
    key = f"desk:{form['key']}"
    try:
        starts = kept(posted, repeat.count)
        command = series.BookSeries(
            booking.slot(), tuple(starts), repeat, booking.contact, booking.proof, key,
            form["notes"], booking.participants, booking.waive)
        await series.book_series(command, uow(request), context.now())
    except SlotUnavailable as error:
        if not await _booked_by_twin(request, booking, key):
            return await preview_page(request, admin, form, booking, 409,
                                      f"Nothing was booked: {error}. Here is the series as "
                                      "it stands now.")
    except InvalidRequest as error:
        message = ("Keep at least one occurrence." if error.field == "starts"
                   else f"Nothing was booked: {error}.")
        return await preview_page(request, admin, form, booking, 422, message)
    except DomainError as error:
        return await preview_page(request, admin, form, booking, 422,
                                  f"Nothing was booked: {error}.")
    raise web.HTTPSeeOther("/admin/bookings/done?" + urlencode({"key": form["key"]}))


async def _booked_by_twin(request: web.Request, booking: Booking, key: str) -> bool:
    """Whether this form's own double submit booked the series a moment ago."""
    async with uow(request) as work:
        return await work.appointments.by_key(booking.catalog.business.id,
                                              f"{key}:1") is not None
