"""The waiting room in the REST API: a verified customer takes a place for a service and day,
checks it (each check counts as "still here" and runs an admission round) and may leave it.

    POST   /api/v1/waiting-room/places          {"service_id", "day"} -> 201 {"place": ...}
    GET    /api/v1/waiting-room/places/{id}     -> {"place": ...}
    DELETE /api/v1/waiting-room/places/{id}     -> {"left": true|false}
"""

from __future__ import annotations

from aiohttp import web

from assistant.gateway import ratelimit
from assistant.gateway import waiting_room as room
from assistant.gateway.api import context
from assistant.gateway.api.params import body, path_id, uuid_of
from assistant.gateway.api.spec import Op, Param
from scheduling.errors import NotFound

PLACE = Param("place_id", "path", {"type": "string", "format": "uuid"}, True)


async def take_place(request: web.Request) -> web.Response:
    await ratelimit.check(request, "waiting-room", ratelimit.client_network(request))
    customer_id = room.verified_customer(request)
    await ratelimit.check(request, "waiting-room-contact", str(customer_id))
    data = await body(request)
    catalog = await context.catalog(request)
    service_id = uuid_of(data.get("service_id"), "service_id")
    if not any(s.id == service_id for s in catalog.services):
        raise NotFound("service", service_id)
    today = context.now().astimezone(catalog.business.zone).date()
    place = await room.enter(request.app, catalog.business.id, service_id,
                             room.day_of(data.get("day"), today), catalog.business.zone,
                             customer_id, "web", ratelimit.client_network(request))
    return web.json_response({"place": room.shown(place)}, status=201)


async def read_place(request: web.Request) -> web.Response:
    customer_id = room.verified_customer(request)
    await ratelimit.check(request, "waiting-room-check", str(customer_id))
    place = await room.check(request.app, path_id(request, "place_id"), customer_id)
    return web.json_response({"place": room.shown(place)})


async def leave_place(request: web.Request) -> web.Response:
    customer_id = room.verified_customer(request)
    left = await room.leave(request.app, path_id(request, "place_id"), customer_id)
    return web.json_response({"left": left})


OPS = [
    Op("POST", "/api/v1/waiting-room/places", take_place, "Take a place in the waiting room of "
       "a service and day (a customer token from a one-time code; one place per customer)",
       "WaitingPlace", status=201, auth="customer", body="WaitingPlaceRequest"),
    Op("GET", "/api/v1/waiting-room/places/{place_id}", read_place, "Your place: state, position"
       " and estimated wait (checking keeps it; admission follows)", "WaitingPlace",
       auth="customer", params=(PLACE,)),
    Op("DELETE", "/api/v1/waiting-room/places/{place_id}", leave_place, "Give up your place",
       "LeftPlace", auth="customer", params=(PLACE,)),
]
