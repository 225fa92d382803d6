"""What handlers share: a unit of work on the gateway's engine, the business, the clock."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from aiohttp import web

from assistant.gateway.resources import CALENDAR, ENGINE
from scheduling.catalog import Catalog
from scheduling.errors import NotFound
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.setup_uow import SetupUnitOfWork


def uow(request: web.Request | web.Application) -> SetupUnitOfWork:
    """With Google configured, bookings re-check the staff's Google busy time inside their
    transaction (the owner's own events block booking). The desk's unit of work with the
    catalog's write side: the admin API's setup routes use the same one."""
    app = request.app if isinstance(request, web.Request) else request
    calendar = app.get(CALENDAR)
    busy = calendar.busy if calendar is not None else None
    return SetupUnitOfWork(make_session_factory(app[ENGINE]), busy=busy)


def now() -> datetime:
    return datetime.now(UTC)


async def business_id(request: web.Request | web.Application) -> UUID:
    """The business this gateway serves: the first one in the database, as for the actions."""
    async with uow(request) as work:
        ids = await work.catalog.business_ids()
    if not ids:
        raise NotFound("business", "any")
    return ids[0]


async def catalog(request: web.Request | web.Application) -> Catalog:
    found = await business_id(request)
    async with uow(request) as work:
        return await work.catalog.get(found)
