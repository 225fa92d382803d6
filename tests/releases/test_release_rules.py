"""Release rules as pure values: exact UTC instants across DST changes, audience windows,
staff and service rules, and the "a release is starting now" trigger."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from scheduling.errors import InvalidRequest
from scheduling.releases import (
    Access,
    Period,
    ReleaseRule,
    closed_from,
    current_release,
    cutoffs,
    next_release,
    opening,
    release_for_slot,
)

NY = ZoneInfo("America/New_York")
BUSINESS, SERVICE, OTHER, ANA, BEN, VIP = (uuid4() for _ in range(6))


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def sunday_six(**extra: object) -> ReleaseRule:
    """Next week's slots open every Sunday at 18:00 (New York)."""
    return ReleaseRule(uuid4(), BUSINESS, Period.WEEK, time(18), weekday=6, lead=1,
                       service_id=SERVICE, **extra)  # type: ignore[arg-type]


def test_weekly_release_keeps_six_pm_local_across_spring_forward() -> None:
    rule = sunday_six()
    before = release_for_slot(rule, utc(3, 3, 15), NY)  # Tue 3 March, EST
    after = release_for_slot(rule, utc(3, 10, 14), NY)  # Tue 10 March, EDT
    assert before.opens_at == utc(3, 1, 23)  # Sunday 1 March 18:00 EST
    assert after.opens_at == utc(3, 8, 22)  # Sunday 8 March 18:00 EDT, the DST day
    assert (after.first_day.isoformat(), after.last_day.isoformat()) == ("2026-03-09",
                                                                         "2026-03-15")


def test_weekly_release_across_fall_back() -> None:
    rule = sunday_six()
    assert release_for_slot(rule, utc(10, 27, 15), NY).opens_at == utc(10, 25, 22)  # EDT
    assert release_for_slot(rule, utc(11, 3, 15), NY).opens_at == utc(11, 1, 23)  # EST


def test_before_and_after_the_release_on_the_dst_day() -> None:
    rule, anyone = sunday_six(), Access()
    access = Access((rule,))
    assert closed_from(rule, anyone, NY, utc(3, 8, 21, 59)) == utc(3, 9, 4)  # Mon 00:00 EDT
    assert closed_from(rule, anyone, NY, utc(3, 8, 22)) == utc(3, 16, 4)
    slot = utc(3, 10, 14)
    assert opening(access, SERVICE, ANA, slot, NY, utc(3, 8, 21, 59)) == utc(3, 8, 22)
    assert opening(access, SERVICE, ANA, slot, NY, utc(3, 8, 22)) is None
    assert opening(access, OTHER, ANA, slot, NY, utc(3, 8, 12)) is None  # not its service


def test_a_time_skipped_by_spring_forward_opens_just_after_the_gap() -> None:
    rule = ReleaseRule(uuid4(), BUSINESS, Period.DAY, time(2, 30), lead=0, service_id=SERVICE)
    assert release_for_slot(rule, utc(3, 8, 15), NY).opens_at == utc(3, 8, 7, 30)  # 03:30 EDT
    repeated = ReleaseRule(uuid4(), BUSINESS, Period.DAY, time(1, 30), lead=0)
    assert release_for_slot(repeated, utc(11, 1, 15), NY).opens_at == utc(11, 1, 5, 30)


def test_daily_release_the_day_before_across_fall_back() -> None:
    rule = ReleaseRule(uuid4(), BUSINESS, Period.DAY, time(9), lead=1, service_id=SERVICE)
    assert release_for_slot(rule, utc(11, 1, 15), NY).opens_at == utc(10, 31, 13)  # EDT
    assert release_for_slot(rule, utc(11, 2, 15), NY).opens_at == utc(11, 1, 14)  # EST


def test_audience_opens_early_and_only_for_its_members() -> None:
    rule = sunday_six(audience_id=VIP, early=timedelta(hours=2))
    member, public = Access((rule,), frozenset({VIP})), Access((rule,))
    slot, at_half_four = utc(3, 10, 14), utc(3, 8, 20, 30)  # Sunday 16:30 EDT
    assert opening(member, SERVICE, None, slot, NY, utc(3, 8, 19, 59)) == utc(3, 8, 20)
    assert opening(member, SERVICE, None, slot, NY, at_half_four) is None
    assert opening(public, SERVICE, None, slot, NY, at_half_four) == utc(3, 8, 22)
    assert closed_from(rule, member, NY, at_half_four) == utc(3, 16, 4)
    assert closed_from(rule, public, NY, at_half_four) == utc(3, 9, 4)


def test_a_staff_rule_binds_only_that_member_and_the_earliest_cut_wins() -> None:
    weekly = sunday_six()
    anas = ReleaseRule(uuid4(), BUSINESS, Period.DAY, time(9), lead=1, staff_id=ANA)
    access, now = Access((weekly, anas)), utc(3, 5, 12)  # Thursday 07:00 EST
    cut = cutoffs(access, SERVICE, [ANA, BEN], NY, now)
    assert cut == {ANA: utc(3, 6, 5), BEN: utc(3, 9, 4)}  # Ana: Friday opens at Thu 09:00
    assert cutoffs(access, OTHER, [ANA, BEN], NY, now) == {ANA: utc(3, 6, 5)}


def test_current_release_is_the_one_starting_now() -> None:
    rule = sunday_six(audience_id=VIP, early=timedelta(hours=1))
    minute = timedelta(minutes=10)
    assert current_release([rule], SERVICE, NY, utc(3, 8, 21, 5), minute) is not None  # VIP
    found = current_release([rule], SERVICE, NY, utc(3, 8, 22, 5), minute)
    assert found is not None and found.opens_at == utc(3, 8, 22)
    assert current_release([rule], SERVICE, NY, utc(3, 8, 22, 30), minute) is None
    assert current_release([rule], OTHER, NY, utc(3, 8, 22, 5), minute) is None
    upcoming = next_release([rule], SERVICE, NY, utc(3, 8, 22, 5))
    assert upcoming is not None and upcoming.opens_at == utc(3, 15, 22)


@pytest.mark.parametrize("bad", [{"weekday": 7}, {"lead": -1}, {"lead": 53},
                                 {"early": timedelta(hours=1)},
                                 {"audience_id": VIP, "early": timedelta(days=15)}])
def test_rules_refuse_impossible_values(bad: dict[str, object]) -> None:
    values: dict[str, object] = {"weekday": 6} | bad
    with pytest.raises(InvalidRequest):
        ReleaseRule(uuid4(), BUSINESS, Period.WEEK, time(18), **values)  # type: ignore[arg-type]


