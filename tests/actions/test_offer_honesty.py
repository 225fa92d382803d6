"""What the bot says before and on its offers (issue 18, kind 4), without a database: a closed
day is named as closed, a time not free is said not free, and buttons carry no staff jargon."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from actions.offer_heading import closed_on, heading
from actions.offer_value import Offer
from actions.zones import Zones
from scheduling.assignment import Assignment, StaffReason
from scheduling.availability import Slot
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog, demo_id
from scheduling.hours import Closure
from scheduling.suggestions import Reason, ReasonCode, Suggestion
from tests.actions.conftest import tracker

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 9, tzinfo=NY)  # a Wednesday
ANA = demo_id("staff/ana")
CUT = str(demo_id("service/Women's cut"))


@pytest.fixture(scope="module")
def salon() -> Catalog:
    return demo_catalog()


def said(salon: Catalog, offers: list[datetime], start: datetime, end: datetime | None = None,
         ) -> str | None:
    slots = {"service": CUT, "when": "x", "when_start": start.isoformat(),
             "when_end": end.isoformat() if end else None}
    table = [Offer(moment, ANA) for moment in offers]
    return heading(tracker(slots=slots), table, Zones(NY, NY), salon, NOW)


def test_a_sunday_is_closed_not_taken(salon: Catalog) -> None:
    sunday = datetime(2026, 12, 6, 16, tzinfo=NY)
    assert said(salon, [sunday + timedelta(days=1)], sunday) == (
        "We're closed on Sundays. The nearest I have:")


def test_christmas_day_is_named_closed(salon: Catalog) -> None:
    christmas = datetime(2026, 12, 25, tzinfo=NY)
    whole_day = said(salon, [datetime(2026, 12, 24, 10, tzinfo=NY)], christmas,
                     christmas + timedelta(days=1))
    assert whole_day == ("We're closed on Friday, December 25 for Christmas. "
                         "The nearest I have:")


def test_a_closure_without_a_reason_is_still_closed(salon: Catalog) -> None:
    place = replace(salon.business.locations[0],
                    closures=(Closure(date(2026, 12, 9), date(2026, 12, 9)),))
    assert closed_on([place], datetime(2026, 12, 9, 15, tzinfo=NY)) == (
        "We're closed on Wednesday, December 9.")
    assert closed_on([place], datetime(2026, 12, 10, 15, tzinfo=NY)) is None


def test_a_time_not_offered_is_said_not_free_even_when_its_day_is(salon: Catalog) -> None:
    three = datetime(2026, 12, 4, 15, tzinfo=NY)  # a Friday, open
    near = [three + timedelta(minutes=45), three - timedelta(hours=1)]
    assert said(salon, near, three) == (
        "3 PM on Friday, December 4 isn't free, sorry. The nearest I have:")
    assert said(salon, [three, *near], three) is None
    tomorrow = datetime(2026, 12, 3, 15, tzinfo=NY)
    assert said(salon, near, tomorrow) == "3 PM tomorrow isn't free, sorry. The nearest I have:"


def test_a_window_with_nothing_in_it_is_said(salon: Catalog) -> None:
    afternoon = datetime(2026, 12, 4, 12, tzinfo=NY)
    inside = [afternoon + timedelta(hours=2)]
    assert said(salon, inside, afternoon, afternoon + timedelta(hours=5)) is None
    nothing = said(salon, [afternoon + timedelta(days=1)], afternoon,
                   afternoon + timedelta(hours=5))
    assert nothing == "Nothing is free then, sorry. The nearest I have:"


def suggestion(*reasons: Reason) -> Suggestion:
    place = demo_id("location/main-street")
    slot = Slot(NOW, NOW + timedelta(minutes=45), demo_id("service/Women's cut"), place,
                (ANA,), 1)
    return Suggestion(slot, ANA, 1.0, reasons, Assignment(ANA, (StaffReason.QUALIFIED,), ""))


def test_buttons_carry_no_staff_jargon_and_no_reason_after_later() -> None:
    relaxed = Reason(ReasonCode.RELAXED, "no rush either side")
    tight = Reason(ReasonCode.BACK_TO_BACK, "back to back for the stylist")
    close = Reason(ReasonCode.CLOSE_TO_REQUEST, "14 min after 11:31 AM")
    usual = Reason(ReasonCode.USUAL_STAFF, "with Ana, as usual")
    assert Offer.from_suggestion(suggestion(relaxed)).reason == ""
    assert Offer.from_suggestion(suggestion(tight, usual)).reason == "with Ana, as usual"
    assert Offer.from_suggestion(suggestion(close, relaxed)).reason == "14 min after 11:31 AM"
    assert Offer.from_suggestion(suggestion(close, relaxed), shifted=True).reason == ""


def test_a_time_outside_the_hours_says_the_hours_not_taken(salon: Catalog) -> None:
    evening = datetime(2026, 12, 3, 20, tzinfo=NY)  # Thursday 8 PM; open 9 to 6
    assert said(salon, [evening - timedelta(hours=3)], evening) == (
        "We're open 9 AM to 6 PM tomorrow, so 8 PM isn't possible, sorry. The nearest I have:")
    early = datetime(2026, 12, 7, 9, tzinfo=NY)  # Monday opens at 10
    assert said(salon, [early + timedelta(hours=1)], early) == (
        "We're open 10 AM to 6 PM on Monday, December 7, so 9 AM isn't possible, sorry. "
        "The nearest I have:")
