"""The owner's analytics page: a range of whole local days (a preset or two dates), the money
the range's appointments brought, and bookings by day, channel, status, service and staff
member, each chart with the table it is drawn from.

Days are the location's (or, for every location, the business's): a range is read on the
clock of the place it is about. A range that cannot be read (not a date, reversed, too long,
year 9999) is answered with the page and a message saying what to fix, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from assistant.gateway.admin import analytics_figures as figures
from assistant.gateway.admin import paid_revenue, session
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.api.locations import Scope, scope
from assistant.gateway.reads import reads
from scheduling import formats, report_days
from scheduling.catalog import Catalog, Location, zone
from scheduling.errors import InvalidRequest
from scheduling.persistence.admin_reads import utilisation
from scheduling.persistence.booking_analytics import Counts
from scheduling.report_days import DayRange
from scheduling.utilisation import available_minutes

routes = web.RouteTableDef()


@routes.get("/admin/analytics")
@owner_page
async def analytics_page(request: web.Request, admin: session.AdminSession) -> web.Response:
    """For every location, or the one `?location=` picks (an id the business does not have
    shows every location); `?from=&until=` (dates) or `?range=` (a preset) pick the days.
    The owner's alone: a staff account is refused (403)."""
    catalog = await context.catalog(request)
    place = _location_of(catalog, request.query.get("location"))
    local = place.time_zone if place else catalog.business.time_zone
    shown: dict[str, Any] = {"place": place, "locations": catalog.business.locations,
                             "presets": report_days.PRESETS, "times": Times(zone(local)),
                             "asked": {k: request.query.get(k, "")[:40]
                                       for k in ("from", "until", "range")}}
    try:
        days = report_days.requested(request.query.get("from"), request.query.get("until"),
                                     request.query.get("range"), zone(local), context.now())
    except InvalidRequest as error:
        return page(request, admin, "analytics.html", problem=str(error), status=422,
                    days=None, **shown)
    found = await _figures(request, catalog, scope(catalog, days.start, days.end, place), days)
    return page(request, admin, "analytics.html", problem=None, days=days,
                span=figures.span(days), **shown, **found)


async def _figures(request: web.Request, catalog: Catalog, scoped: Scope, days: DayRange
                   ) -> dict[str, Any]:
    """Everything the page shows of one range and scope, and the charts' data."""
    found = reads(request)
    summary = await found.summary(scoped.filters)
    revenue, counts = await found.report(scoped.filters, scoped.zone)
    heat = await found.heat_map(scoped.filters, scoped.zone)
    usage = utilisation(summary.booked_minutes_by_staff,
                        available_minutes(scoped.counted, days.start, days.end))
    tables = (figures.by_day(days, counts), figures.by_channel(counts),
              figures.by_status(counts), _by_service(counts, catalog, scoped),
              figures.by_staff(counts, catalog, tuple(m.id for m in scoped.counted.staff)),
              figures.utilisation(scoped.counted, usage))
    money_in = await paid_revenue.collected(request.app, scoped.filters, days)
    collected = money_in.table(catalog.business.policies.currency)
    chart = {"days": [[d.isoformat(), n] for d, n in days.zero_filled(counts.by_day)],
             "utilisation": [[m.name, round(usage.get(m.id, 0.0), 3)]
                             for m in scoped.counted.staff],
             "charts": {t.key: t.chart() for t in (*tables, collected)}}
    money = figures.money(revenue, counts.by_status.get("no_show", 0), catalog)
    return {"summary": summary, "total": sum(counts.by_status.values()), "money": money,
            "paid": money[1].amount, "tables": tables, "collected": collected,
            "collected_total": formats.money(money_in.total, catalog.business.policies.currency),
            "heat": heat, "peak": max(heat.values(), default=0), "hours": _hours(heat),
            "chart": _script_safe(chart)}


def _hours(heat: dict[tuple[int, int], int]) -> list[int]:
    """7 AM to 9 PM, widened to any hour with a booking (a late appointment is not lost)."""
    booked = [hour for _, hour in heat]
    return list(range(min([7, *booked]), max([21, *booked]) + 1))


def _by_service(counts: Counts, catalog: Catalog, scoped: Scope) -> figures.Table:
    """Services offered where the page looks (everywhere, or at the one location)."""
    offered = tuple(s.id for s in catalog.services
                    if all(s.offered_at(place) for place in scoped.filters.location_ids))
    return figures.by_service(counts, catalog, offered)


def _script_safe(data: dict[str, Any]) -> str:
    """JSON to put inside a <script> block: a name holding "</script>" cannot end it."""
    return json.dumps(data).replace("<", "\\u003c")


def _location_of(catalog: Catalog, raw: str | None) -> Location | None:
    return next((loc for loc in catalog.business.locations if str(loc.id) == raw), None)
