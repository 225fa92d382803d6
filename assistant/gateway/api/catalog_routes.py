"""The business, its services and staff, open times and ranked suggestions: public reads."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from assistant.gateway.api import context, serialize
from assistant.gateway.api.locations import LOCATION, query_location
from assistant.gateway.api.params import invalid, query_id, query_int, query_when
from assistant.gateway.api.spec import Op, Param
from scheduling.availability import AvailabilityQuery
from scheduling.booking.openings import open_slots
from scheduling.desk.slots import SlotSearch, find_slots
from scheduling.releases_words import pending_notes

MAX_RANGE = timedelta(days=31)
UUID_PARAM = {"type": "string", "format": "uuid"}
WHEN_PARAM = {"type": "string", "format": "date-time"}


async def get_business(request: web.Request) -> web.Response:
    return web.json_response(serialize.business(await context.catalog(request)))


async def list_services(request: web.Request) -> web.Response:
    return web.json_response(serialize.services(await context.catalog(request)))


async def list_staff(request: web.Request) -> web.Response:
    return web.json_response(serialize.staff(await context.catalog(request)))


async def availability(request: web.Request) -> web.Response:
    """Every open start in [start, end) (at most 31 days): bookings, live holds, Google busy
    time and timed releases read as booking placement reads them, so what is listed can be
    booked; `releases` says when the range's unreleased periods open."""
    service_id = query_id(request, "service_id", required=True)
    start, end = query_when(request, "start", True), query_when(request, "end", True)
    if service_id is None or start is None or end is None:
        raise invalid("start", "is required")
    if end - start > MAX_RANGE:
        raise invalid("end", "the range is limited to 31 days")
    now = context.now()
    catalog = await context.catalog(request)
    place = query_location(request, catalog)
    query = AvailabilityQuery(service_id, start, end, now, staff_id=query_id(request, "staff_id"),
                              location_id=place.id if place else None)
    code = request.query.get("access_code", "")[:64]
    async with context.uow(request) as work:
        access = await work.appointments.release_access(catalog.business.id, None,
                                                        (code,) if code else ())
        slots = await open_slots(work.appointments, catalog, query, access=access)
    notes = pending_notes(access, service_id, query.staff_id, catalog.business.zone, start, end,
                          now)
    return web.json_response({"items": [serialize.slot(s) for s in slots],
                              "releases": [serialize.release(*note) for note in notes]})


async def suggestions(request: web.Request) -> web.Response:
    """The best few slots near a preferred time (or the earliest), with the engine's reasons."""
    service_id = query_id(request, "service_id", required=True)
    if service_id is None:
        raise invalid("service_id", "is required")
    catalog = await context.catalog(request)
    catalog.service(service_id)
    place = query_location(request, catalog)
    search = SlotSearch(catalog.business.id, service_id,
                        preferred_start=query_when(request, "preferred_start"),
                        preferred_end=query_when(request, "preferred_end"),
                        staff_id=query_id(request, "staff_id"),
                        location_id=place.id if place else None,
                        count=query_int(request, "count", 4, 1, 10))
    found = await find_slots(context.uow(request), search, context.now())
    return web.json_response({"items": [serialize.suggestion(s) for s in found]})


def _p(name: str, schema: dict[str, str], required: bool = False, text: str = "") -> Param:
    return Param(name, "query", schema, required, text)


OPS = [
    Op("GET", "/api/v1/business", get_business, "The business, its contact and locations",
       "Business"),
    Op("GET", "/api/v1/services", list_services, "Bookable services with prices and durations",
       "Services"),
    Op("GET", "/api/v1/staff", list_staff, "Staff members", "StaffList"),
    Op("GET", "/api/v1/availability", availability, "Open start times in a range (max 31 days)",
       "Slots", params=(_p("service_id", UUID_PARAM, True), _p("start", WHEN_PARAM, True),
                        _p("end", WHEN_PARAM, True), _p("staff_id", UUID_PARAM), LOCATION,
                        _p("access_code", {"type": "string", "maxLength": 64},
                           text="an early-access code: opens what a release gives its "
                                "audience first"))),
    Op("GET", "/api/v1/suggestions", suggestions, "The best slots, ranked, with reasons",
       "Suggestions",
       params=(_p("service_id", UUID_PARAM, True), _p("preferred_start", WHEN_PARAM),
               _p("preferred_end", WHEN_PARAM), _p("staff_id", UUID_PARAM), LOCATION,
               _p("count", {"type": "integer", "minimum": 1, "maximum": 10}))),
]
