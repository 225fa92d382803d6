"""Admin REST for locations, services and staff: list, read, create, edit, archive (never
delete: appointments refer to them), and a staff member's time off and blocked time. A change
answers with the upcoming appointments it strands; `notify: true` cancels them by the owner,
which offers each customer new times."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from aiohttp import web

from assistant.gateway.api import context
from assistant.gateway.api.auth import require_admin
from assistant.gateway.api.params import path_id
from assistant.gateway.api.setup_answers import admin_body, changed, notify_flag
from assistant.gateway.api.setup_codecs import time_off_json, time_off_of
from assistant.gateway.api.setup_resources import LOCATION, SERVICE, STAFF, Resource
from assistant.gateway.api.spec import Handler, Op, Param
from scheduling.catalog import Catalog, Location, Service, Staff
from scheduling.desk.setup.archive import Archive, archive
from scheduling.desk.setup.business import SaveLocation, save_location
from scheduling.desk.setup.services import SaveService, save_service
from scheduling.desk.setup.staff import AddTimeOff, SaveStaff, add_time_off, save_staff
from scheduling.desk.setup.values import Changed, Kind
from scheduling.ports import SetupUnitOfWork

T = TypeVar("T", Location, Service, Staff)
Save = Callable[[UUID, T, T | None, SetupUnitOfWork, datetime], Awaitable[Changed]]
"""Save an item made from `was` (None: a new one)."""
ID = Param("id", "path", {"type": "string", "format": "uuid"})


@dataclass(frozen=True)
class Entity(Generic[T]):
    kind: Kind
    path: str
    schema: str
    resource: Resource[T]
    offered: Callable[[Catalog], tuple[T, ...]]
    archived: Callable[[Catalog], tuple[T, ...]]
    save: Save[T]

    def find(self, catalog: Catalog, item_id: UUID) -> T:
        found = {Kind.LOCATION: catalog.location, Kind.STAFF: catalog.staff_member,
                 Kind.SERVICE: catalog.service}[self.kind](item_id)
        return found  # type: ignore[return-value]

    def answer(self, catalog: Catalog, item: T) -> dict[str, Any]:
        return self.resource.to_json(item) | {"archived": item in self.archived(catalog)}


async def _save_location(business_id: UUID, item: Location, was: Location | None,
                         uow: SetupUnitOfWork, now: datetime) -> Changed:
    return await save_location(SaveLocation(business_id, item, was), uow, now)


async def _save_service(business_id: UUID, item: Service, was: Service | None,
                        uow: SetupUnitOfWork, now: datetime) -> Changed:
    return await save_service(SaveService(business_id, item, was), uow, now)


async def _save_staff(business_id: UUID, item: Staff, was: Staff | None,
                      uow: SetupUnitOfWork, now: datetime) -> Changed:
    return await save_staff(SaveStaff(business_id, item, was), uow, now)


LOCATIONS = Entity(Kind.LOCATION, "locations", "Location", LOCATION,
                   lambda c: c.business.locations, lambda c: c.archived.locations,
                   _save_location)
SERVICES = Entity(Kind.SERVICE, "services", "Service", SERVICE, lambda c: c.services,
                  lambda c: c.archived.services, _save_service)
STAFF_MEMBERS = Entity(Kind.STAFF, "staff", "Staff", STAFF, lambda c: c.staff,
                       lambda c: c.archived.staff, _save_staff)


def _named(name: str, handler: Handler) -> Handler:
    handler.__name__ = handler.__qualname__ = name
    return handler


def handlers(e: Entity[Any]) -> dict[str, Handler]:
    """list, one, create, edit and archive for one entity."""
    async def listed(request: web.Request) -> web.Response:
        require_admin(request)
        catalog = await context.catalog(request)
        items = (*e.offered(catalog), *e.archived(catalog))
        return web.json_response({"items": [e.answer(catalog, item) for item in items]})

    async def one(request: web.Request) -> web.Response:
        require_admin(request)
        catalog = await context.catalog(request)
        return web.json_response(e.answer(catalog, e.find(catalog, path_id(request, "id"))))

    async def create(request: web.Request) -> web.Response:
        return await _write(request, e, None)

    async def edit(request: web.Request) -> web.Response:
        return await _write(request, e, path_id(request, "id"))

    async def retire(request: web.Request) -> web.Response:
        rebook = notify_flag(await admin_body(request, optional=True))
        item_id, business_id = path_id(request, "id"), await context.business_id(request)
        done = await archive(Archive(business_id, e.kind, item_id), context.uow(request),
                             context.now())
        return await changed(request, done, e.answer(done.catalog, e.find(done.catalog, item_id)),
                             rebook)
    verbs = {"list": listed, "get": one, "create": create, "edit": edit, "archive": retire}
    return {verb: _named(f"admin_{verb}_{e.path.replace('-', '_')}", handler)
            for verb, handler in verbs.items()}


async def _write(request: web.Request, e: Entity[Any], item_id: UUID | None) -> web.Response:
    data = await admin_body(request)
    rebook = notify_flag(data)
    catalog = await context.catalog(request)
    base = None if item_id is None else e.find(catalog, item_id)
    item = e.resource.read(data, base)
    done = await e.save(catalog.business.id, item, base, context.uow(request), context.now())
    answer = e.answer(done.catalog, e.find(done.catalog, item.id))
    return await changed(request, done, answer, rebook, 201 if item_id is None else 200)


async def list_time_off(request: web.Request) -> web.Response:
    require_admin(request)
    member = (await context.catalog(request)).staff_member(path_id(request, "id"))
    return web.json_response({"items": [time_off_json(off) for off in member.time_off]})


async def add_staff_time_off(request: web.Request) -> web.Response:
    """Time off, or blocked time (the reason says which): no booking in it."""
    data = await admin_body(request)
    rebook = notify_flag(data)
    off = time_off_of(data, "time_off")
    staff_id, business_id = path_id(request, "id"), await context.business_id(request)
    done = await add_time_off(AddTimeOff(business_id, staff_id, off), context.uow(request),
                              context.now())
    answer = STAFF_MEMBERS.answer(done.catalog, done.catalog.staff_member(staff_id))
    return await changed(request, done, answer, rebook, 201)


def entity_ops(e: Entity[Any]) -> list[Op]:
    h, base, name = handlers(e), f"/api/v1/admin/{e.path}", e.schema
    one = f"{base}/{{id}}"
    return [
        Op("GET", base, h["list"], f"Every {e.kind.value}, archived ones flagged",
           f"Admin{name}List", auth="admin"),
        Op("POST", base, h["create"], f"Create a {e.kind.value}", f"Admin{name}Changed",
           status=201, auth="admin", body=f"Admin{name}Create"),
        Op("GET", one, h["get"], f"One {e.kind.value}", f"Admin{name}", auth="admin",
           params=(ID,)),
        Op("PATCH", one, h["edit"], f"Edit a {e.kind.value}: the fields sent change",
           f"Admin{name}Changed", auth="admin", params=(ID,), body=f"Admin{name}Edit"),
        Op("POST", f"{one}/archive", h["archive"],
           f"Archive a {e.kind.value}: no longer offered, old appointments keep it",
           f"Admin{name}Changed", auth="admin", params=(ID,), body="AdminArchive"),
    ]


OPS = [
    *entity_ops(LOCATIONS), *entity_ops(SERVICES), *entity_ops(STAFF_MEMBERS),
    Op("GET", "/api/v1/admin/staff/{id}/time-off", list_time_off,
       "A staff member's time off and blocked time", "AdminTimeOff", auth="admin",
       params=(ID,)),
    Op("POST", "/api/v1/admin/staff/{id}/time-off", add_staff_time_off,
       "Add time off or blocked time", "AdminStaffChanged", status=201, auth="admin",
       params=(ID,), body="AdminTimeOffCreate"),
]
