"""The person asked for not working that day is said so (issue 18, kind 4): "men's cut with
Marcus on Saturday" hears "Marcus doesn't work on Saturdays." before the nearest times with
him, not "Nothing is free Saturday", which hid why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from actions.offer_heading import heading
from actions.offer_value import Offer
from actions.zones import Zones
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog, demo_id
from scheduling.hours import DateOverride
from tests.actions.conftest import tracker

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 9, tzinfo=NY)  # a Wednesday
MARCUS = demo_id("staff/marcus")
MENS = str(demo_id("service/Men's cut"))
SATURDAY = datetime(2026, 12, 5, tzinfo=NY)
FRIDAY = datetime(2026, 12, 4, tzinfo=NY)


def said(salon_staff: str, day: datetime, catalog: Catalog | None = None) -> str | None:
    slots = {"service": MENS, "staff": salon_staff, "when": "x", "when_start": day.isoformat(),
             "when_end": (day + timedelta(days=1)).isoformat()}
    monday = [Offer(datetime(2026, 12, 7, 10, tzinfo=NY), MARCUS)]
    return heading(tracker(slots=slots), monday, Zones(NY, NY), catalog or demo_catalog(), NOW)


def test_a_day_the_person_never_works_is_said() -> None:
    assert said(str(MARCUS), SATURDAY) == ("Marcus doesn't work on Saturdays. "
                                           "The nearest I have:")
    assert said("any", SATURDAY) == "Nothing is free Saturday, December 5, sorry. " \
                                    "The nearest I have:"


def test_a_day_off_of_their_own_is_said() -> None:
    catalog = demo_catalog()
    off = [replace(m, overrides=(DateOverride(date(2026, 12, 4)),)) if m.id == MARCUS else m
           for m in catalog.staff]
    assert said(str(MARCUS), FRIDAY, replace(catalog, staff=tuple(off))) == (
        "Marcus isn't in on Friday, December 4. The nearest I have:")
