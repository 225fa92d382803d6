"""The catalog screens, /admin/catalog: the business's locations, services and staff, each
created, edited and archived through the setup use cases (scheduling.desk.setup).

A form that is wrong comes back (422) with the message beside each wrong field and what was
typed still in place. A saved change that leaves upcoming appointments outside working time
shows them, with "Notify and offer new times" (rebook.notify), instead of redirecting.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID, uuid4

from aiohttp import web

from assistant.gateway.admin import catalog_forms as forms
from assistant.gateway.admin import session
from assistant.gateway.admin.catalog_forms import Reader
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.admin.setup_form import typed_values, zones
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from scheduling.catalog import Catalog, Location, Staff
from scheduling.desk.setup import archive, business, rebook, services, staff
from scheduling.desk.setup.values import Changed, Kind
from scheduling.errors import DomainError, InvalidRequest, NotFound
from scheduling.hours import WEEKDAYS, WeeklyHours

routes = web.RouteTableDef()
KINDS = "{kind:locations|services|staff}"


@routes.get("/admin/catalog")
@owner_page
async def overview(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    return page(request, admin, "catalog.html", catalog=catalog,
                notice=request.query.get("notice", "")[:300])


@routes.get(f"/admin/catalog/{KINDS}/{{item}}")
@owner_page
async def edit(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    kind, item = request.match_info["kind"], _item(catalog, request)
    typed = _fields(catalog, kind, item)
    if kind == "services" and item is not None:
        typed["reminder_hours"] = forms.lead_times_text(await _reminders(request, catalog, item.id))
    return _form(request, admin, catalog, kind, item, typed, {})


async def _reminders(request: web.Request, catalog: Catalog, service_id: UUID
                     ) -> tuple[timedelta, ...]:
    """The service's reminder lead times: its own, else the business's."""
    return await services.reminders_of(catalog.business.id, service_id, context.uow(request))


@routes.post(f"/admin/catalog/{KINDS}/{{item}}")
@owner_page
async def save(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    kind, item = request.match_info["kind"], _item(catalog, request)
    form = await request.post()
    value, read = _read(catalog, kind, item, form)
    if value is None:
        return _form(request, admin, catalog, kind, item, form, read.problems, status=422)
    try:
        changed = await _save(request, catalog, kind, value)
        if kind == "services":
            await _keep_reminders(request, catalog, value.id, Reader(form))
    except InvalidRequest as error:
        field = error.field if error.field in _field_names(kind) else "name"
        words = str(error).removeprefix(f"{error.field}: ")
        return _form(request, admin, catalog, kind, item, form,
                     {field: words[:1].upper() + words[1:]}, status=422)
    return after_change(request, admin, changed, f"Saved {value.name}.")


@routes.post(f"/admin/catalog/{KINDS}/{{item}}/archive")
@owner_page
async def archive_item(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    kind, item = request.match_info["kind"], _item(catalog, request)
    if item is None:
        raise web.HTTPNotFound(text="nothing to archive")
    command = archive.Archive(catalog.business.id, _KIND[kind], item.id)
    try:
        changed = await archive.archive(command, context.uow(request), context.now())
    except DomainError as error:
        notice = quote(f"Not archived: {error}")
        raise web.HTTPSeeOther("/admin/catalog?notice=" + notice) from None
    return after_change(request, admin, changed, f"Archived {item.name}.")


@routes.post("/admin/catalog/stranded")
@owner_page
async def notify_stranded(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Cancel by the owner, offering new times, each ticked appointment of this business
    that is still booked (one already moved or cancelled is left as it is)."""
    business_id = await context.business_id(request)
    chosen = []
    for value in (await request.post()).getall("appointment_id", []):
        with suppress(ValueError):
            chosen.append(UUID(str(value)))
    work, due = context.uow(request), []
    async with work:
        for appointment_id in chosen:
            try:
                found = await work.appointments.get(appointment_id)
            except NotFound:
                continue
            if found.business_id == business_id and found.status.value in ("pending",
                                                                           "confirmed"):
                due.append(found)
    done = await rebook.notify(due, context.uow(request), context.now())
    notice = f"Cancelled {len(done)} appointment(s); each customer was offered new times."
    raise web.HTTPSeeOther("/admin/catalog?notice=" + quote(notice))


_KIND = {"locations": Kind.LOCATION, "services": Kind.SERVICE, "staff": Kind.STAFF}


async def _keep_reminders(request: web.Request, catalog: Catalog, service_id: UUID,
                          read: Reader) -> None:
    """Lead times of the service's own, only when they differ from what applies (so a
    service saved as it was keeps following the business's)."""
    offsets = read.lead_times("reminder_hours")
    current = await _reminders(request, catalog, service_id)
    if offsets and forms.lead_times_text(current) != forms.lead_times_text(offsets):
        await services.set_reminders(
            services.SetReminders(catalog.business.id, service_id, offsets),
            context.uow(request))


def _item(catalog: Catalog, request: web.Request) -> Any:
    """The offered entry the path names; None for "new"; 404 for anything else (an archived
    entry is not edited: old appointments name it as it was)."""
    raw, kind = request.match_info["item"], request.match_info["kind"]
    if raw == "new":
        return None
    entries: tuple[Any, ...] = {"locations": catalog.business.locations,
                                "services": catalog.services, "staff": catalog.staff}[kind]
    found = next((e for e in entries if str(e.id) == raw), None)
    if found is None:
        raise web.HTTPNotFound(text=f"no such {kind.removesuffix('s')} in the catalog")
    return found


def _read(catalog: Catalog, kind: str, item: Any, form: Any) -> tuple[Any, forms.Reader]:
    item_id = item.id if item is not None else uuid4()
    if kind == "locations":
        return forms.location_of(form, item_id)
    if kind == "services":
        return forms.service_of(form, item_id, [loc.id for loc in catalog.business.locations])
    member = item or Staff(item_id, "", frozenset(), WeeklyHours())
    return forms.staff_of(form, member, {loc.id: loc for loc in catalog.business.locations})


async def _save(request: web.Request, catalog: Catalog, kind: str, value: Any) -> Changed:
    business_id, uow, now = catalog.business.id, context.uow(request), context.now()
    if kind == "locations":
        return await business.save_location(business.SaveLocation(business_id, value), uow, now)
    if kind == "services":
        return await services.save_service(services.SaveService(business_id, value), uow, now)
    return await staff.save_staff(staff.SaveStaff(business_id, value), uow, now)


def _fields(catalog: Catalog, kind: str, item: Any) -> dict[str, Any]:
    if item is None:
        first = catalog.business.locations[0]
        defaults: dict[str, dict[str, Any]] = {"locations": {"time_zone": first.time_zone},
                    "services": {"duration": "30", "price": "0", "slot_interval": "15",
                                 "capacity": "1", "max_participants": "1", "min_notice": "60",
                                 "max_advance_days": "60", "buffer_before": "0",
                                 "buffer_after": "0"},
                    "staff": {"languages": "en", "location_ids": [str(first.id)]}}
        return defaults[kind]
    if kind == "locations":
        return forms.location_fields(item)
    if kind == "services":
        return forms.service_fields(item)
    places = {loc.id: loc for loc in catalog.business.locations}
    return forms.staff_fields(item, forms.first_zone(item.location_ids, places))


def _field_names(kind: str) -> set[str]:
    week = {f"{p}_{d}" for p in ("hours", "breaks") for d in WEEKDAYS}
    return {"locations": {"name", "time_zone", "address", "opening_hours"},
            "services": {"name", "aliases", "location_ids", "reminder_hours"},
            "staff": {"name", "location_ids", "overrides", "time_off", "weekly_hours",
                      "breaks"} | week}[kind]


def _form(request: web.Request, admin: session.AdminSession, catalog: Catalog, kind: str,
          item: Any, typed: Any, problems: dict[str, str], status: int = 200) -> web.Response:
    values = typed_values(typed)
    return page(request, admin, f"catalog_{kind}.html", status=status, catalog=catalog,
                item=item, problems=problems, zones=zones(), weekdays=WEEKDAYS,
                value=lambda field: (values.get(field) or [""])[0],
                ticked=lambda field, choice: str(choice) in values.get(field, []),
                locations=catalog.business.locations, deposit_audiences=forms.DEPOSIT_AUDIENCES)


def after_change(request: web.Request, admin: session.AdminSession, changed: Changed,
           notice: str) -> web.Response:
    """Back to the overview, or the stranded appointments first when the change left some."""
    if not changed.stranded:
        raise web.HTTPSeeOther("/admin/catalog?notice=" + quote(notice))
    catalog = changed.catalog
    names = {s.id: s.name for s in (*catalog.services, *catalog.archived.services)}
    people = {s.id: s.name for s in (*catalog.staff, *catalog.archived.staff)}
    places: dict[UUID, Location] = {loc.id: loc for loc in (*catalog.business.locations,
                                                            *catalog.archived.locations)}
    return page(request, admin, "catalog_stranded.html", notice=notice,
                stranded=changed.stranded, services=names, staff=people, places=places,
                times=Times(catalog.business.zone), catalog=catalog)
