"""The owner's live view of the waiting rooms: each room from today on (service, day, release
time), how many wait, choose, booked and gave up, refreshed in place every few seconds.

    /admin/queue        GET the page (works without JavaScript: reload to refresh)
    /admin/queue.json   GET the same rows, which static/queue.js polls

The counts come from the places themselves (`waiting_room_store.summaries`), so every gateway
replica shows the same numbers. Owner only (a staff account gets 403).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE
from scheduling import formats
from scheduling.catalog import Catalog
from scheduling.persistence import waiting_room_store

routes = web.RouteTableDef()
COUNTS = ("waiting", "choosing", "booked", "abandoned", "entered")


async def _rows(request: web.Request) -> tuple[Catalog, list[dict[str, Any]]]:
    catalog = await context.catalog(request)
    zone = catalog.business.zone
    names = {s.id: s.name for s in catalog.services}
    async with request.app[ENGINE].connect() as db:
        rooms = await waiting_room_store.summaries(db, catalog.business.id,
                                                   context.now().astimezone(zone).date())
    return catalog, [{"id": str(r.id), "service": names.get(r.service_id, "(archived)"),
                      "day": r.day.strftime("%a %-d %b %Y"),
                      "release": formats.clock(r.release_at, zone) if r.release_at else "",
                      **{k: getattr(r, k) for k in COUNTS}} for r in rooms]


@routes.get("/admin/queue")
@owner_page
async def queue_page(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog, rows = await _rows(request)
    return page(request, admin, "queue.html", rows=rows, zone=catalog.business.zone.key,
                section="releases")


@routes.get("/admin/queue.json")
@owner_page
async def queue_json(request: web.Request, admin: session.AdminSession) -> web.Response:
    _, rows = await _rows(request)
    return web.json_response({"rooms": rows}, headers={"Cache-Control": "no-store"})
