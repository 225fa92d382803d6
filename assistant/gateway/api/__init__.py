"""The REST API under /api/v1 and its OpenAPI document at /openapi.json."""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.api import (
    analytics_routes,
    appointment_routes,
    catalog_routes,
    customer_routes,
    setup_routes,
    setup_rules_routes,
    waiting_room_routes,
)
from assistant.gateway.api.spec import Op, document, route_table
from assistant.gateway.resources import SETTINGS

OPS: list[Op] = [*catalog_routes.OPS, *appointment_routes.OPS, *customer_routes.OPS,
                 *analytics_routes.OPS, *setup_routes.OPS, *setup_rules_routes.OPS,
                 *waiting_room_routes.OPS]


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document(OPS, request.app[SETTINGS].gateway_url))


def setup(app: web.Application) -> None:
    app.router.add_routes(route_table(OPS))
    app.router.add_get("/openapi.json", openapi)
