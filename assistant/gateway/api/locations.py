"""Reading by location: the `location_id` query parameter the API's reads share (an id the
business does not have is a 404, not an empty answer that looks like a quiet branch), and the
scope analytics are computed in, for one location or all."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from aiohttp import web

from assistant.gateway.api.params import query_id
from assistant.gateway.api.spec import Param
from scheduling.catalog import Catalog, Location
from scheduling.persistence.admin_reads import Filters

LOCATION = Param("location_id", "query", {"type": "string", "format": "uuid"}, False,
                 "only this location (every location when absent)")


def query_location(request: web.Request, catalog: Catalog) -> Location | None:
    found = query_id(request, "location_id")
    return catalog.location(found) if found is not None else None


@dataclass(frozen=True, slots=True)
class Scope:
    """Figures for one location or all: the appointments counted (`filters`), the zone local
    days and hours are read in, and the catalog with only the staff who work there (so a
    branch's utilisation lists its own people)."""

    filters: Filters
    zone: str
    counted: Catalog


def scope(catalog: Catalog, start: datetime, end: datetime, place: Location | None) -> Scope:
    business = catalog.business
    if place is None:
        return Scope(Filters(business.id, start, end), business.time_zone, catalog)
    staff = tuple(m for m in catalog.staff if place.id in m.location_ids)
    return Scope(Filters(business.id, start, end, location_ids=(place.id,)), place.time_zone,
                 replace(catalog, staff=staff))
