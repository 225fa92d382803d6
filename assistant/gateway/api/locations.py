"""The `location_id` query parameter the reads share: one of the business's locations (an id
it does not have is a 404, not an empty answer that looks like a quiet branch), or all."""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.api.params import query_id
from assistant.gateway.api.spec import Param
from scheduling.catalog import Catalog, Location

LOCATION = Param("location_id", "query", {"type": "string", "format": "uuid"}, False,
                 "only this location (every location when absent)")


def query_location(request: web.Request, catalog: Catalog) -> Location | None:
    found = query_id(request, "location_id")
    return catalog.location(found) if found is not None else None
