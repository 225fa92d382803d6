"""Money collected per local day (deposits and fees paid, less refunds made), for the analytics
page and `/api/v1/analytics/summary`: counted on the day the money moved, on the clock of the
place asked about, beside the booked value the page already shows (which counts appointments
by the day they start). Every day of the range is listed, a day without money as 0."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from aiohttp import web

from assistant.gateway.admin import analytics_figures as figures
from assistant.gateway.resources import ENGINE
from scheduling import formats
from scheduling.persistence import payment_reads
from scheduling.persistence.admin_reads import Filters
from scheduling.persistence.database import make_session_factory
from scheduling.report_days import DayRange

NONE = Decimal("0.00")
"""A day without money, written as the days with money are (two decimals)."""


@dataclass(frozen=True, slots=True)
class Collected:
    days: tuple[tuple[date, Decimal], ...]

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.days), NONE)

    def table(self, currency: str) -> figures.Table:
        return figures.Table(
            "collected-per-day", "Money collected per day", ("Day", "Collected"),
            tuple((figures.short(day), formats.money(n, currency)) for day, n in self.days),
            tuple(float(n) for _, n in self.days))

    def json(self) -> dict[str, Any]:
        return {"total": str(self.total), "by_day": [
            {"day": day.isoformat(), "amount": str(amount)} for day, amount in self.days]}


async def collected(app: web.Application, filters: Filters, days: DayRange) -> Collected:
    """`filters` give the business, its locations and the instants (the days' midnights on
    the page; the API's `from` and `until` as asked); `days` the days listed and their clock."""
    scope = payment_reads.Scope(filters.business_id, filters.start_from or days.start,
                                filters.start_until or days.end, filters.location_ids)
    async with make_session_factory(app[ENGINE])() as session:
        found = await payment_reads.collected_by_day(session, scope, days.zone.key)
    return Collected(tuple((day, found.get(day, NONE)) for day in days.days()))
