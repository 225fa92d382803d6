"""The owner's list of money movements: deposits paid (online, or in cash or by card at the
desk), late-cancel and no-show fees (charged to the saved card, paid by link or at the desk,
or asked for) and refunds (pending, made, failed, or owed back at the desk), newest first, for
a range of the business's days, with the range's totals; the same rows as CSV for the books.

    /admin/payments/list      GET the page (`?from=&until=` dates or `?range=` a preset)
    /admin/payments/list.csv  GET the same range as a spreadsheet

The settings (how deposits are paid) stay at /admin/payments; each page links to the other.
A range that cannot be read is the page with a message (422), never a 500.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE
from scheduling import formats, report_days
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest
from scheduling.persistence import payment_reads
from scheduling.persistence.database import make_session_factory
from scheduling.report_days import DayRange

routes = web.RouteTableDef()
DEFAULT_RANGE = "30"
COLUMNS = ("date", "kind", "appointment", "customer", "amount", "currency", "method",
           "reference", "status")


@routes.get("/admin/payments/list")
@owner_page
async def payment_list(request: web.Request, admin: session.AdminSession) -> web.Response:
    """The owner's alone (a staff account gets 403)."""
    catalog = await context.catalog(request)
    asked = {k: request.query.get(k, "")[:40] for k in ("from", "until", "range")}
    shown: dict[str, Any] = {"asked": asked, "presets": report_days.PRESETS,
                             "times": Times(catalog.business.zone), "section": "payments/list"}
    try:
        days = _days(request, catalog)
    except InvalidRequest as error:
        return page(request, admin, "payment_list.html", problem=str(error), days=None,
                    status=422, **shown)
    rows, totals = await _read(request, catalog, days)
    show = _money(catalog)
    return page(request, admin, "payment_list.html", problem=None, days=days, rows=rows,
                totals=totals, show=show, more=len(rows) >= payment_reads.LIMIT,
                csv_query=_query(days), **shown)


@routes.get("/admin/payments/list.csv")
@owner_page
async def payment_csv(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Every movement of the range (no page limit), amounts as plain decimals; a refund's
    amount is negative so a column sum is what was collected by each status."""
    catalog = await context.catalog(request)
    try:
        days = _days(request, catalog)
    except InvalidRequest as error:
        raise web.HTTPUnprocessableEntity(text=f"{error}") from None
    rows, _ = await _read(request, catalog, days, limit=None)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    currency, zone = catalog.business.policies.currency, catalog.business.zone
    for row in rows:
        amount = -row.amount if row.kind == "refund" else row.amount
        writer.writerow([row.at.astimezone(zone).isoformat(timespec="minutes"), row.kind,
                         row.appointment_id or "", _cell(row.customer), amount, currency,
                         row.method, _cell(row.reference), row.status])
    name = f"payments-{days.first}-{days.last}.csv"
    return web.Response(text=out.getvalue(), content_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def _days(request: web.Request, catalog: Catalog) -> DayRange:
    return report_days.requested(request.query.get("from"), request.query.get("until"),
                                 request.query.get("range") or DEFAULT_RANGE,
                                 catalog.business.zone, context.now())


async def _read(request: web.Request, catalog: Catalog, days: DayRange,
                limit: int | None = payment_reads.LIMIT
                ) -> tuple[list[payment_reads.Movement], payment_reads.Totals]:
    scope = payment_reads.Scope(catalog.business.id, days.start, days.end)
    async with make_session_factory(request.app[ENGINE])() as found:
        rows = await payment_reads.movements(found, scope, limit)
        return rows, await payment_reads.totals(found, scope)


def _money(catalog: Catalog) -> Callable[[Decimal], str]:
    currency = catalog.business.policies.currency
    return lambda amount: formats.money(amount, currency)


def _query(days: DayRange) -> str:
    return f"from={days.first.isoformat()}&until={days.last.isoformat()}"


def _cell(text: str) -> str:
    """A name a spreadsheet would run as a formula ("=HYPERLINK(...)") is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
