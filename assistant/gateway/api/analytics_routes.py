"""Analytics for admins: the summary with utilisation, revenue and bookings by channel,
service and staff (the analytics page's reads), bookings per period, the heat map.

Utilisation needs each staff member's available minutes (`scheduling.utilisation`).
"""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from assistant.gateway.admin import paid_revenue
from assistant.gateway.api import context
from assistant.gateway.api.auth import require_admin
from assistant.gateway.api.locations import LOCATION, Scope, query_location, scope
from assistant.gateway.api.params import HISTORY, invalid, query_when
from assistant.gateway.api.spec import Op, Param
from assistant.gateway.reads import reads
from scheduling.catalog import BusinessPolicies, zone
from scheduling.persistence import admin_reads as analytics
from scheduling.persistence.booking_analytics import Counts, Revenue
from scheduling.report_days import DayRange
from scheduling.utilisation import available_minutes

DEFAULT_SPAN = timedelta(days=30)


async def _scope(request: web.Request) -> Scope:
    """The range and location the query asks for (30 days either side of now, every
    location, by default)."""
    now = context.now()
    start = query_when(request, "from", window=HISTORY) or now - DEFAULT_SPAN
    end = query_when(request, "until", window=HISTORY) or now + DEFAULT_SPAN
    if end <= start or end - start > timedelta(days=400):
        raise invalid("until", "must be after from, within 400 days")
    catalog = await context.catalog(request)
    return scope(catalog, start, end, query_location(request, catalog))


async def summary(request: web.Request) -> web.Response:
    require_admin(request)
    scoped = await _scope(request)
    filters = scoped.filters
    found = await reads(request).summary(filters)
    revenue, counts = await reads(request).report(filters, scoped.zone)
    if filters.start_from is None or filters.start_until is None:
        raise invalid("from", "is required")
    usage = analytics.utilisation(found.booked_minutes_by_staff,
                                  available_minutes(scoped.counted, filters.start_from,
                                                    filters.start_until))
    money_in = await paid_revenue.collected(request.app, filters, _days(scoped))
    return web.json_response({
        "revenue": _money(revenue, counts, scoped.counted.business.policies),
        "collected": money_in.json(),
        "by_channel": counts.by_channel,
        "by_service": {str(k): n for k, n in counts.by_service.items()},
        "by_staff": {str(k): n for k, n in counts.by_staff.items()},
        "by_status": found.by_status, "cancellation_rate": found.cancellation_rate,
        "no_show_rate": found.no_show_rate, "average_lead_hours": found.average_lead_hours,
        "revenue_by_service": {str(k): str(v) for k, v in found.revenue_by_service.items()},
        "booked_minutes_by_staff": {str(k): v for k, v in found.booked_minutes_by_staff.items()},
        "utilisation_by_staff": {str(k): v for k, v in usage.items()},
    })


def _money(revenue: Revenue, counts: Counts, policies: BusinessPolicies) -> dict[str, str]:
    """The analytics page's revenue table (see `booking_analytics.Revenue`); the no-show fee
    is the policy's fee per no-show."""
    no_shows = policies.no_show_fee * counts.by_status.get("no_show", 0)
    return {"currency": policies.currency, "booked": str(revenue.booked),
            "paid": str(revenue.paid), "completed": str(revenue.completed),
            "deposits_paid": str(revenue.deposits_kept),
            "deposits_owed": str(revenue.deposits_owed),
            "late_cancel_fees": str(revenue.late_cancel_fees), "no_show_fees": str(no_shows)}


async def bookings(request: web.Request) -> web.Response:
    """Per local day every day of the range is listed, an empty one as 0, as the analytics
    page draws them; weeks and months only when they have bookings."""
    require_admin(request)
    grain = request.query.get("grain", "day")
    scoped = await _scope(request)
    rows = await reads(request).buckets(scoped.filters, grain, scoped.zone)
    found = [(moment.date(), n) for moment, n in rows]
    if grain == "day":
        found = _days(scoped).zero_filled(dict(found))
    return web.json_response({"grain": grain, "items": [
        {"start": day.isoformat(), "count": n} for day, n in found]})


def _days(scoped: Scope) -> DayRange:
    """The local days the range touches, on the clock of the place asked about."""
    start, end = scoped.filters.start_from, scoped.filters.start_until
    if start is None or end is None:
        raise invalid("from", "is required")
    local = zone(scoped.zone)
    return DayRange(start.astimezone(local).date(),
                    (end - timedelta(microseconds=1)).astimezone(local).date(), local)


async def heat_map(request: web.Request) -> web.Response:
    require_admin(request)
    scoped = await _scope(request)
    cells = await reads(request).heat_map(scoped.filters, scoped.zone)
    return web.json_response({"items": [{"weekday": d, "hour": h, "count": n}
                                        for (d, h), n in sorted(cells.items())]})


RANGE = (Param("from", "query", {"type": "string", "format": "date-time"}),
         Param("until", "query", {"type": "string", "format": "date-time"}), LOCATION)
OPS = [
    Op("GET", "/api/v1/analytics/summary", summary, "Status counts, cancellation and no-show "
       "rates, lead time, revenue, money collected per local day (deposits and fees paid, "
       "less refunds made), booked minutes and utilisation", "Summary", auth="admin",
       params=RANGE),
    Op("GET", "/api/v1/analytics/bookings", bookings, "Bookings per local day, week or month",
       "Buckets", auth="admin",
       params=(*RANGE, Param("grain", "query", {"type": "string",
                                                "enum": ["day", "week", "month"]}))),
    Op("GET", "/api/v1/analytics/heatmap", heat_map, "Bookings by weekday (1-7) and hour",
       "HeatMap", auth="admin", params=RANGE),
]
