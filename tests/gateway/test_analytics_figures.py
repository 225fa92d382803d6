"""The analytics page's tables from figures alone (no database): whole channel and status
lists, a removed service still counted, money in the business's currency."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import uuid4
from zoneinfo import ZoneInfo

from assistant.gateway.admin import analytics_figures as figures
from scheduling.demo import demo_catalog
from scheduling.persistence.booking_analytics import Counts, Revenue
from scheduling.report_days import DayRange

CATALOG = demo_catalog()
GONE = uuid4()


def _counts() -> Counts:
    colour = next(s.id for s in CATALOG.services if s.name == "Colour")
    return Counts({"sms": 2, "fax": 1}, {"no_show": 3}, {colour: 2, GONE: 1},
                  {CATALOG.staff[0].id: 3}, {date(2026, 3, 7): 3})


def test_every_channel_and_status_is_a_row_and_an_unknown_one_is_kept() -> None:
    channels = figures.by_channel(_counts())
    assert [label for label, _ in channels.rows][:5] == list(figures.CHANNELS.values())
    assert channels.rows[1] == ("SMS", "2") and channels.rows[-1] == ("fax", "1")
    assert dict(figures.by_status(_counts()).rows)["No-show"] == "3"
    assert len(figures.by_status(_counts()).rows) == 7


def test_a_service_the_catalog_no_longer_has_is_still_counted() -> None:
    offered = tuple(s.id for s in CATALOG.services)
    table = figures.by_service(_counts(), CATALOG, offered)
    assert table.rows[:2] == (("Colour", "2"), ("a removed service", "1"))
    assert len(table.rows) == len(CATALOG.services) + 1 and table.values[0] == 2.0


def test_days_and_money() -> None:
    days = DayRange(date(2026, 3, 6), date(2026, 3, 8), ZoneInfo("America/New_York"))
    assert figures.by_day(days, _counts()).rows == (
        ("Fri, Mar 6", "0"), ("Sat, Mar 7", "3"), ("Sun, Mar 8", "0"))
    assert figures.span(days) == "Fri, Mar 6, 2026 – Sun, Mar 8, 2026"
    euros = replace(CATALOG, business=replace(CATALOG.business, policies=replace(
        CATALOG.business.policies, currency="EUR", no_show_fee=Decimal("12.50"))))
    revenue = Revenue(*(Decimal(n) for n in ("595", "275", "85", "30", "25", "330")))
    lines = {line.label: line for line in figures.money(revenue, 3, euros)}
    assert lines["Paid"].amount == "€330" and lines["No-show fees"].amount == "€37.50"
    assert lines["No-show fees"].counts == "3 no-shows at the €12.50 fee"
