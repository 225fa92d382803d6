"""Properties of `Constraint` and its reader, checked with Hypothesis."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling.timeexpr.constraint import Constraint
from scheduling.timeexpr.constraints import read_constraint

NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SHORT = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ZONE_NAMES = ["America/New_York", "Europe/London", "Australia/Sydney"]
NOWS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2032, 12, 31),
                    timezones=st.just(UTC))
DAYS = st.frozensets(st.integers(0, 6), max_size=3)
CLOCKS = st.none() | st.times(time(6), time(21)).map(lambda t: t.replace(second=0,
                                                                           microsecond=0))
CONSTRAINTS = st.builds(
    Constraint, st.sampled_from(ZONE_NAMES), DAYS, DAYS,
    st.frozensets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=2),
    CLOCKS, CLOCKS, st.none() | st.sampled_from([(time(8), time(12)), (time(17), time(0))]),
    CLOCKS)
SLOTS = st.builds(lambda start, minutes: (start, start + timedelta(minutes=minutes)),
                  st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31),
                               timezones=st.just(UTC)), st.sampled_from([15, 30, 45, 90]))


@given(CONSTRAINTS)
def test_json_round_trips(constraint: Constraint) -> None:
    assert Constraint.from_json(constraint.to_json()) == constraint


@given(CONSTRAINTS, SLOTS, st.sampled_from(["weekdays", "not_weekdays", "earliest",
                                              "ends_by", "window"]))
def test_dropping_a_restriction_never_refuses_more(
    constraint: Constraint, slot: tuple[datetime, datetime], field: str
) -> None:
    empty = frozenset() if field in ("weekdays", "not_weekdays") else None
    looser = replace(constraint, **{field: empty})
    assert looser.admits(*slot) or not constraint.admits(*slot)


@given(CONSTRAINTS, CONSTRAINTS)
def test_a_later_constraint_replaces_the_parts_it_states(old: Constraint,
                                                         new: Constraint) -> None:
    merged = old.followed_by(new)
    if merged is None:
        assert not new
        return
    if new.says_days:
        assert (merged.weekdays, merged.not_weekdays) == (new.weekdays, new.not_weekdays)
    else:
        assert (merged.weekdays, merged.not_weekdays) == (old.weekdays, old.not_weekdays)
    if new.says_times:
        assert (merged.earliest, merged.ends_by) == (new.earliest, new.ends_by)


@given(CONSTRAINTS)
def test_naming_a_day_and_a_time_drops_both_parts(old: Constraint) -> None:
    assert old.followed_by(None, days=True, times=True) is None


@given(st.integers(0, 6), st.sampled_from(["any day but {}", "not {}", "anything except {}",
                                           "{} is out", "I can't do {}"]),
       st.booleans(), NOWS, st.sampled_from(ZONE_NAMES))
def test_a_refused_weekday_is_read_and_refused_all_week(
    day: int, template: str, short: bool, now: datetime, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    found = read_constraint(template.format((SHORT if short else NAMES)[day]), now, zone)
    assert found is not None and found.not_weekdays == {day} and not found.weekdays
    monday = datetime.combine(now.date() - timedelta(days=now.weekday()), time(10), zone)
    for offset in range(7):
        start = monday + timedelta(days=offset)
        assert found.admits(start, start + timedelta(minutes=30)) is (offset != day)


@given(st.lists(st.integers(0, 6), min_size=2, max_size=3, unique=True), NOWS)
def test_several_days_said_are_the_days_allowed(days: list[int], now: datetime) -> None:
    names = [NAMES[d] for d in days]
    text = ", ".join(names[:-1]) + " or " + names[-1]
    found = read_constraint(text, now, "Europe/London")
    assert found is not None and found.weekdays == set(days)


@given(st.integers(1, 12), st.sampled_from(["am", "pm"]), NOWS)
def test_not_before_a_time_is_its_earliest_start(hour: int, meridiem: str,
                                                 now: datetime) -> None:
    found = read_constraint(f"not before {hour}{meridiem}", now, "America/New_York")
    want = time(hour % 12 + (12 if meridiem == "pm" else 0))
    assert found is not None and found.earliest == want


@pytest.mark.parametrize("text", ["Friday at 3", "next tuesday afternoon", "tomorrow",
                                  "the 3:30 one", "no thanks", "between 2 and 4"])
def test_a_plain_day_or_time_is_no_constraint(text: str) -> None:
    assert read_constraint(text, datetime(2026, 12, 2, 14, tzinfo=UTC), "UTC") is None


def test_ends_by_refuses_what_runs_past_it() -> None:
    found = read_constraint("before my 1 pm lunch", datetime(2026, 12, 2, 14, tzinfo=UTC),
                            "America/New_York")
    assert found is not None and found.ends_by == time(13)
    zone = ZoneInfo("America/New_York")
    noon = datetime(2026, 12, 3, 12, 15, tzinfo=zone)
    assert found.admits(noon, noon + timedelta(minutes=45))
    assert not found.admits(noon, noon + timedelta(minutes=46))
    assert not found.admits(noon + timedelta(hours=1), noon + timedelta(hours=2))


def test_an_unknown_zone_or_weekday_is_refused_and_a_bad_slot_reads_as_none() -> None:
    with pytest.raises(ValueError):
        Constraint("Mars/Olympus")
    with pytest.raises(ValueError):
        Constraint("UTC", weekdays=frozenset({7}))
    assert Constraint.from_json({"zone": "UTC", "earliest": "ten"}) is None
    assert Constraint.from_json("not before 10") is None
