"""Releases in words: the dashboard's rule, the API's and pages' "opens" note, and what chat
says when a booking meets a time not released yet (actions.boundary.refusal)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from actions.boundary import refusal
from scheduling.errors import NotYetReleased
from scheduling.releases import Access, Period, ReleaseRule
from scheduling.releases_words import pending_notes, rule_words
from tests.booking.booking_builders import build_salon

NY = ZoneInfo("America/New_York")
OPENS = datetime(2027, 3, 14, 22, tzinfo=UTC)  # Sunday 18:00 EDT


def test_chat_says_when_a_time_opens_in_the_business_wall_clock() -> None:
    said = refusal(NotYetReleased(OPENS, (), NY))
    assert said.startswith("That time isn't open for booking yet: it opens Sunday, March 14 "
                           "at 6 PM.")


def test_rules_and_pending_releases_in_words() -> None:
    salon = build_salon()
    cut, vip = salon.service("Cut").id, uuid4()
    rule = ReleaseRule(uuid4(), salon.id, Period.WEEK, time(18), weekday=6, service_id=cut,
                       audience_id=vip, early=timedelta(minutes=90))
    daily = ReleaseRule(uuid4(), salon.id, Period.DAY, time(9, 30), lead=3,
                        staff_id=salon.staff("Ana").id)
    assert rule_words(rule, salon.catalog, {vip: "VIP"}) == (
        "Cut: next week's slots open every Sunday at 6 PM (VIP: 90 minutes earlier)")
    assert rule_words(daily, salon.catalog, {}) == (
        "Every service with Ana: the slots 3 days ahead open every day at 9:30 AM")
    now = datetime(2027, 3, 10, 12, tzinfo=UTC)
    week = datetime(2027, 3, 15, 4, tzinfo=UTC)
    notes = pending_notes(Access((rule,)), cut, None, NY, week, week + timedelta(days=7), now)
    assert [(n[1], n[2]) for n in notes] == [
        (OPENS, "Next week's slots open Sunday, March 14 at 6 PM")]
    member = pending_notes(Access((rule,), frozenset({vip})), cut, None, NY, week,
                           week + timedelta(days=7), now)
    assert member[0][1] == OPENS - timedelta(minutes=90)
