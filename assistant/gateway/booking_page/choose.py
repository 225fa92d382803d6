"""The first three steps, read-only pages: a service, a staff member or anyone (after the
location, when more than one gives the service), and a time from a week of free ones
(`free_times`: the one availability path, Google busy time included), on the location's clock
unless the customer's browser tells theirs.

Each step is a GET form whose buttons name the choice, so a step is a plain link that can be
reloaded, bookmarked or opened by keyboard, and works without JavaScript.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from aiohttp import web

from assistant.gateway import ratelimit
from assistant.gateway.api import context
from assistant.gateway.booking_page.view import (
    choosable_staff,
    link,
    location_of,
    page,
    render,
    service_named,
    slug,
    staff_named,
    zone_hint,
)
from assistant.gateway.free_times import Search, display_zone, free_week
from scheduling.catalog import Catalog, Service, Staff
from scheduling.errors import InvalidRequest
from scheduling.locations import serving


@page
async def services(request: web.Request) -> web.StreamResponse:
    """Step 1; `?service=` (the step's own form) goes on to that service's page."""
    catalog = await context.catalog(request)
    chosen = request.query.get("service")
    if chosen is None:
        return render(request, "services.html", catalog, slug=slug, missing=False)
    service = service_named(catalog, chosen)
    raise web.HTTPSeeOther(link(request, f"/book/{slug(service.name)}"))


@page
async def staff(request: web.Request) -> web.StreamResponse:
    """Step 2: where, when more than one location gives the service; then anyone, or one of
    the people who give it there."""
    catalog = await context.catalog(request)
    service = service_named(catalog, request.match_info["service"])
    location = location_of(catalog, service, request.query.get("location"))
    places = serving(catalog, service) if location is None else ()
    return render(request, "staff.html", catalog, service=service,
                  path=f"/book/{slug(service.name)}", places=places, location=location,
                  several=len(serving(catalog, service)) > 1,
                  staff=choosable_staff(catalog, service, location))


@page
async def times(request: web.Request) -> web.StreamResponse:
    """Step 3: a week of free times; `week` (a date) pages through the bookable range."""
    await ratelimit.check(request, "api", ratelimit.client_ip(request))
    catalog = await context.catalog(request)
    service = service_named(catalog, request.match_info["service"])
    location = location_of(catalog, service, request.query.get("location"))
    chosen = staff_named(catalog, service, request.query.get("staff"), location)
    try:
        first = day_of(request.query.get("week"))
    except InvalidRequest as error:
        return await week_page(request, catalog, service, chosen, None, str(error), 422)
    return await week_page(request, catalog, service, chosen, first)


async def week_page(
    request: web.Request, catalog: Catalog, service: Service, chosen: Staff | None,
    first: date | None, error: str | None = None, status: int = 200,
) -> web.Response:
    """The week from `first` (today when None or out of range, saying why), at the location
    the URL names (every one that gives the service when it names none)."""
    location = location_of(catalog, service, request.query.get("location"))
    search = Search(service.id, chosen.id if chosen else None,
                    zone_hint(request.query.get("tz")),
                    location_id=location.id if location else None)
    now = context.now()
    async with context.uow(request) as work:
        try:
            week = await free_week(work.appointments, catalog, search, first, now)
        except InvalidRequest as refused:
            error, status = str(refused), 422
            week = await free_week(work.appointments, catalog, search, None, now)
    return render(request, "times.html", catalog, status, service=service, chosen=chosen,
                  path=f"/book/{slug(service.name)}", week=week, error=error,
                  tz=search.time_zone, location=location,
                  several=len(catalog.business.locations) > 1,
                  staff_value=str(chosen.id) if chosen else "any",
                  own_zone=week.time_zone == str(display_zone(catalog, replace(
                      search, time_zone=None))))


def day_of(text: str | None) -> date | None:
    """A `YYYY-MM-DD` parameter; None when absent; InvalidRequest when it is not a date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(f"{text[:40]!r} is not a date like 2027-03-10",
                             field="week") from None


def start_of(text: str | None) -> datetime:
    """A chosen time as the times page sends it (ISO 8601 with its offset)."""
    try:
        found = datetime.fromisoformat(text or "")
        if found.tzinfo is None:
            raise ValueError("a time without an offset names no moment")
        return found.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidRequest("choose a time from the list", field="start") from None
