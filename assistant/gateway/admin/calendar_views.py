"""The front desk's calendar: a day and a week per staff member and per location, gaps visible, on
the location's clock.

`GET /admin/calendar?location=&date=YYYY-MM-DD&view=day|week&staff=`: the plan comes from
`scheduling.desk.calendar.plan` (pure) over `calendar_reads.visits`; this module only reads the
query, applies `roles` (a staff account sees its own column, another's is a 404) and renders.
Every free gap that is not over yet links to the new-booking form with its staff member, start
(local wall time, ISO) and location.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web
from multidict import MultiMapping

from assistant.gateway.admin import roles
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.session import AdminSession
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.api.params import HISTORY
from assistant.gateway.errors import ApiError
from assistant.gateway.resources import CALENDAR, ENGINE
from scheduling.catalog import Catalog, Location, Staff
from scheduling.desk import calendar
from scheduling.errors import NotFound
from scheduling.occupancy import busy_of
from scheduling.persistence import calendar_reads

routes = web.RouteTableDef()
VIEWS = {"day": 1, "week": 7}
MINUTE_PX = 2
"""Height of a minute in the desktop day grid (a 30-minute appointment is 60 px tall)."""


@dataclass(frozen=True, slots=True)
class Ask:
    """What the query asks for, checked: a location of the business, a day in range, a view,
    and the one staff member (None: everyone at the location the account may see)."""

    location: Location
    day: date
    view: str
    staff: Staff | None

    @property
    def days(self) -> tuple[date, ...]:
        """The day itself, or Monday to Sunday of its week."""
        if self.view == "day":
            return (self.day,)
        monday = self.day - timedelta(days=self.day.weekday())
        return tuple(monday + timedelta(days=i) for i in range(7))

    def link(self, day: date | None = None, **changes: str) -> str:
        """This calendar with other parameters; `day` None is today (no date in the URL)."""
        query = {"location": str(self.location.id), "view": self.view}
        if day is not None:
            query["date"] = day.isoformat()
        if self.staff is not None:
            query["staff"] = str(self.staff.id)
        return "/admin/calendar?" + urlencode(query | changes)


@routes.get("/admin/calendar")
@admin_page
async def calendar_page(request: web.Request, admin: AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    ask = _ask(request.query, catalog, admin)
    low, high = calendar.window(ask.location, ask.days)
    staff_ids = [ask.staff.id] if ask.staff else \
        [s.id for s in catalog.staff if ask.location.id in s.location_ids]
    found = await calendar_reads.visits(request.app[ENGINE], catalog.business.id,
                                        ask.location.id, staff_ids, low, high)
    google = request.app.get(CALENDAR)
    busy = await busy_of(google.busy if google else None, staff_ids, low, high)
    plan = calendar.plan(catalog, ask.location, ask.days, found,
                         ask.staff.id if ask.staff else None, busy)
    step = timedelta(days=VIEWS[ask.view])
    return page(request, admin, "calendar.html", ask=ask, plan=plan, catalog=catalog,
                times=Times(ask.location.zone), zone_name=_zone_name(ask.location, ask.day),
                previous=ask.link(ask.day - step), following=ask.link(ask.day + step),
                today=ask.link(), view_links={v: ask.link(ask.day, view=v) for v in VIEWS},
                day_link=partial(ask.link, view="day"),
                who=[m for m in catalog.staff if roles.may_see(admin, m.id)],
                grid=_grid(plan, ask),
                book=partial(_book_link, ask=ask, now=context.now()), length=_length,
                services={s.id: s.name for s in (*catalog.services, *catalog.archived.services)},
                places={loc.id: loc.name
                        for loc in (*catalog.business.locations, *catalog.archived.locations)})


def _ask(query: MultiMapping[str], catalog: Catalog, admin: AdminSession) -> Ask:
    view = query.get("view") or "day"
    if view not in VIEWS:
        raise web.HTTPBadRequest(text="view: day or week")
    staff = _staff(query.get("staff"), catalog, admin)
    location = _location(query.get("location"), catalog, staff)
    return Ask(location, _day(query.get("date"), location), view, staff)


def _staff(value: str | None, catalog: Catalog, admin: AdminSession) -> Staff | None:
    """The staff member asked for; a staff account always gets its own column, and asking for
    another's is refused by `roles` as if it did not exist."""
    scope = roles.staff_scope(admin)
    if not value:
        return None if scope is None else _member(catalog, scope)
    staff_id = _uuid(value, "staff member")
    roles.require_staff(admin, staff_id)
    return _member(catalog, staff_id)


def _member(catalog: Catalog, staff_id: UUID) -> Staff:
    try:
        return catalog.staff_member(staff_id)
    except NotFound:
        raise web.HTTPNotFound(text="no such staff member") from None


def _location(value: str | None, catalog: Catalog, staff: Staff | None) -> Location:
    """The location asked for; without one, the staff member's first, or the business's."""
    offered = catalog.business.locations
    if value:
        location_id = _uuid(value, "location")
        found = next((loc for loc in offered if loc.id == location_id), None)
        if found is None:
            raise web.HTTPNotFound(text="no such location")
        return found
    theirs = [loc for loc in offered if staff is not None and loc.id in staff.location_ids]
    return (theirs or list(offered))[0]


def _uuid(value: str, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise web.HTTPNotFound(text=f"no such {what}") from None


def _day(value: str | None, location: Location) -> date:
    """A YYYY-MM-DD day (today on the location's clock when absent) within the years the
    listings accept: year 9999 would overflow once its week is turned into instants."""
    now = context.now()
    if not value:
        return now.astimezone(location.zone).date()
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
        HISTORY.check(datetime.combine(day, time(12), location.zone), "date", now)
    except ValueError:
        raise web.HTTPBadRequest(text="date: not a day like 2026-12-01") from None
    except ApiError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    return day


def _zone_name(location: Location, day: date) -> str:
    """"America/Chicago, CST": the zone and its abbreviation on that day (CDT in summer)."""
    noon = datetime.combine(day, time(12), location.zone)
    return f"{location.time_zone}, {noon.tzname()}"


@dataclass(frozen=True, slots=True)
class Grid:
    """The desktop day view's rows, one per minute from `start` (a whole hour), so the staff
    columns line up in time and the hour lines fall on the hour."""

    start: datetime
    rows: int

    def at(self, segment: calendar.Segment) -> int:
        return int((segment.start - self.start).total_seconds()) // 60 + 1

    def hours(self) -> list[tuple[int, datetime]]:
        """Each hour on the grid and its row, for the time axis (real hours: on a DST day
        the axis skips or repeats a clock hour as the wall clock does)."""
        return [(1 + 60 * i, self.start + timedelta(hours=i)) for i in range(self.rows // 60 + 1)
                if 60 * i < self.rows]


def _grid(plan: calendar.Plan, ask: Ask) -> Grid | None:
    """From the first whole hour any column uses to the last minute used (day view only)."""
    segments = [s for r in plan.rows for s in r.segments]
    if ask.view != "day" or not segments:
        return None
    first = min(s.start for s in segments).astimezone(ask.location.zone)
    start = first.replace(minute=0, second=0, microsecond=0)
    end = max(s.end for s in segments)
    return Grid(start, int((end - start).total_seconds()) // 60)


def _book_link(staff_id: UUID, segment: calendar.Segment, ask: Ask, now: datetime
               ) -> str | None:
    """The new-booking form for a free gap, from its start or, for a gap under way, the next
    five minutes; None for a gap that is over."""
    start = segment.start if segment.start > now else _next_five(now)
    if segment.kind is not calendar.Kind.FREE or start >= segment.end:
        return None
    local = start.astimezone(ask.location.zone).replace(tzinfo=None)
    query = {"staff_id": str(staff_id), "start": local.isoformat(timespec="minutes"),
             "location_id": str(ask.location.id)}
    return "/admin/bookings/new?" + urlencode(query)


def _next_five(now: datetime) -> datetime:
    whole = now.replace(second=0, microsecond=0)
    return whole + timedelta(minutes=5 - whole.minute % 5)


def _length(minutes: int) -> str:
    """"1 h 30 min", "45 min", "2 h"."""
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "",
                                      f"{rest} min" if rest or not hours else "") if part)
