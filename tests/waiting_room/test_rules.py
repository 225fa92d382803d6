"""The waiting room's decisions, as plain values: who is admitted when, and the wait shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from scheduling.releases import Period, ReleaseRule
from scheduling.releases_settings import WaitingRoomSettings
from scheduling.waiting_room import (
    PlaceState,
    RoomLoad,
    RoomRules,
    estimated_wait,
    expired,
    release_start,
    rules_of,
    to_admit,
)

NOW = datetime(2027, 3, 7, 18, 0, tzinfo=UTC)
RULES = RoomRules(threshold=10, admit_at_once=3, hold=timedelta(minutes=4))


def test_nobody_is_admitted_before_the_release() -> None:
    assert to_admit(RULES, RoomLoad(0, 50, NOW + timedelta(seconds=1)), NOW) == 0
    assert to_admit(RULES, RoomLoad(0, 50, NOW), NOW) == 3


def test_admission_fills_the_threshold_a_few_at_a_time() -> None:
    assert to_admit(RULES, RoomLoad(choosing=8, waiting=50), NOW) == 2
    assert to_admit(RULES, RoomLoad(choosing=10, waiting=50), NOW) == 0
    assert to_admit(RULES, RoomLoad(choosing=0, waiting=1), NOW) == 1
    assert to_admit(RULES, RoomLoad(choosing=12, waiting=5), NOW) == 0


def test_the_wait_grows_with_the_places_ahead_and_the_time_to_the_release() -> None:
    full = RoomLoad(choosing=10, waiting=30)
    assert estimated_wait(1, RULES, full, NOW) == timedelta(minutes=4)
    assert estimated_wait(10, RULES, full, NOW) == timedelta(minutes=4)
    assert estimated_wait(11, RULES, full, NOW) == timedelta(minutes=8)
    measured = estimated_wait(11, RULES, full, NOW, choose_time=timedelta(seconds=30))
    assert measured == timedelta(minutes=1)
    room_left = RoomLoad(choosing=7, waiting=30)
    assert estimated_wait(3, RULES, room_left, NOW) == timedelta(0)
    before = RoomLoad(0, 30, NOW + timedelta(minutes=15))
    assert estimated_wait(1, RULES, before, NOW) == timedelta(minutes=15)
    assert estimated_wait(11, RULES, before, NOW) == timedelta(minutes=19)
    assert estimated_wait(0, RULES, full, NOW) == timedelta(0)


def test_a_place_ends_when_its_holder_stops_checking_or_its_hold_runs_out() -> None:
    seen = NOW - RULES.patience
    assert not expired(PlaceState.WAITING, seen, None, RULES, NOW)
    assert expired(PlaceState.WAITING, seen - timedelta(seconds=1), None, RULES, NOW)
    assert not expired(PlaceState.ADMITTED, seen, NOW + timedelta(seconds=1), RULES, NOW)
    assert expired(PlaceState.ADMITTED, NOW, NOW, RULES, NOW)
    assert not expired(PlaceState.BOOKED, seen - timedelta(days=1), NOW, RULES, NOW)


@pytest.mark.parametrize("bad", [{"threshold": 0}, {"admit_at_once": 0},
                                 {"hold": timedelta(0)}, {"patience": timedelta(seconds=-1)}])
def test_rules_that_admit_nobody_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RoomRules(**bad)  # type: ignore[arg-type]


def test_a_release_that_opens_the_day_holds_the_room_until_it_opens() -> None:
    zone = ZoneInfo("Europe/Lisbon")
    service, other = uuid4(), uuid4()
    weekly = ReleaseRule(uuid4(), uuid4(), Period.WEEK, time(18, 0), weekday=6, lead=1,
                         service_id=service)
    early = ReleaseRule(uuid4(), uuid4(), Period.WEEK, time(18, 0), weekday=6, lead=1,
                        service_id=service, audience_id=uuid4(), early=timedelta(hours=2))
    tuesday = date(2027, 3, 9)  # next week's Tuesday: opens Sunday 7 March at 18:00 Lisbon
    sunday_18 = datetime(2027, 3, 7, 18, 0, tzinfo=UTC)  # Lisbon is UTC in winter
    before = datetime(2027, 3, 7, 15, 0, tzinfo=UTC)
    assert release_start([weekly], service, tuesday, zone, before) == (weekly.id, sunday_18)
    assert release_start([weekly, early], service, tuesday, zone, before) == (
        early.id, sunday_18 - timedelta(hours=2))  # the audience's opening starts admission
    assert release_start([weekly], other, tuesday, zone, before) is None
    just_after = sunday_18 + timedelta(minutes=59)
    assert release_start([weekly], service, tuesday, zone, just_after) == (weekly.id, sunday_18)
    assert release_start([weekly], service, tuesday, zone, sunday_18 + timedelta(hours=2)) is None


def test_the_owners_settings_become_the_rooms_rules() -> None:
    rules = rules_of(WaitingRoomSettings(threshold=7, admit_at_once=2, hold_minutes=3))
    assert (rules.threshold, rules.admit_at_once, rules.hold) == (7, 2, timedelta(minutes=3))
