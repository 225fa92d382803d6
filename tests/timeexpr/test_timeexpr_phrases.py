"""Phrases the corpus does not spell out: runs of days, dashed dates, past days, greetings."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduling.timeexpr import BusinessHours, extract, resolve
from scheduling.timeexpr.holidays import easter
from scheduling.timeexpr.monthdays import nth_weekday

TZ = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=TZ)  # a Wednesday


@pytest.mark.parametrize(("text", "first", "last"), [
    ("Monday to Friday", date(2026, 3, 9), date(2026, 3, 13)),
    ("from the 10th to the 12th", date(2026, 3, 10), date(2026, 3, 12)),
    ("10 - 22 August", date(2026, 8, 10), date(2026, 8, 22)),
    ("August 10 to 22, 2027", date(2027, 8, 10), date(2027, 8, 22)),
    ("friday - monday", date(2026, 3, 6), date(2026, 3, 9)),
])
def test_a_run_of_days_is_an_interval_of_whole_days(text: str, first: date, last: date) -> None:
    found = resolve(text, NOW, TZ)
    assert found is not None and found.end is not None
    assert (found.start.date(), found.end.date()) == (first, date.fromordinal(last.toordinal() + 1))


@pytest.mark.parametrize(("text", "day"), [
    ("12-30-26", date(2026, 12, 30)), ("30-12-26", date(2026, 12, 30)),
    ("05-25-2026", date(2026, 5, 25)), ("2026.05.25", date(2026, 5, 25)),
    ("25.05.2026", date(2026, 5, 25)), ("Sun 15Mar", date(2026, 3, 15)),
])
def test_dashed_and_dotted_dates_are_dates_not_clock_ranges(text: str, day: date) -> None:
    found = resolve(text, NOW, TZ)
    assert found is not None and found.start.date() == day and found.end is None


@pytest.mark.parametrize("text", [
    "last monday", "yesterday at 3", "2 days ago", "merry christmas", "happy new year",
    "I sat down", "my kids are 4 and 6", "the sun is out", "christmas party ideas",
    "not monday", "any day except friday", "monday's no good", "may I ask something",
    "the 2nd one", "the 3rd option", "it takes 1-2 hours", "I live at 4 Main St",
])
def test_words_that_are_not_a_future_time_resolve_to_nothing(text: str) -> None:
    assert resolve(text, NOW, TZ) is None


def test_a_past_day_beside_a_future_one_leaves_the_future_one() -> None:
    found = extract("not last monday, next monday", NOW, TZ)
    assert [m.resolution.start.date() for m in found] == [date(2026, 3, 9)]


@pytest.mark.parametrize(("text", "day"), [
    ("friday doesn't work, saturday does", date(2026, 3, 7)),
    ("i can't do friday, how about saturday", date(2026, 3, 7)),
    ("not monday but tuesday", date(2026, 3, 10)),
])
def test_the_day_left_after_a_refusal_is_the_answer(text: str, day: date) -> None:
    found = resolve(text, NOW, TZ)
    assert found is not None and found.start.date() == day


def test_a_month_said_alone_is_the_month_and_3_till_4_a_range() -> None:
    april = resolve("April", NOW, TZ)
    assert april is not None and april.end is not None
    assert (april.start.date(), april.end.date()) == (date(2026, 4, 1), date(2026, 5, 1))
    hour = resolve("3 till 4", NOW, TZ)
    assert hour is not None and hour.end is not None
    assert (hour.start.hour, hour.end.hour) == (15, 16)


def test_first_thing_and_end_of_day_follow_opening_hours() -> None:
    hours = BusinessHours(open=time(7, 30), close=time(20))
    first = resolve("first thing friday", NOW, TZ, hours=hours)
    last = resolve("end of day friday", NOW, TZ, hours=hours)
    assert first is not None and first.start.time() == time(7, 30)
    assert last is not None and last.start.time() == time(19)


def test_mothers_day_follows_the_zone() -> None:
    london = ZoneInfo("Europe/London")
    uk = resolve("mother's day", datetime(2026, 3, 4, 10, tzinfo=london), london)
    us = resolve("mother's day", NOW, TZ)
    assert uk is not None and uk.start.date() == date(2026, 3, 15)  # Easter (Apr 5) - 3 weeks
    assert us is not None and us.start.date() == date(2026, 5, 10)


def test_counted_weekdays() -> None:
    assert nth_weekday(2026, 3, 1, -1) == date(2026, 3, 31)
    assert nth_weekday(2026, 2, 0, 5) is None  # February 2026 has four Mondays
    assert easter(2025) == date(2025, 4, 20)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("fri pm", datetime(2026, 3, 6, 12, tzinfo=TZ), datetime(2026, 3, 6, 17, tzinfo=TZ)),
    ("thurs eve", datetime(2026, 3, 5, 17, tzinfo=TZ), datetime(2026, 3, 5, 21, tzinfo=TZ)),
    ("tomorrow after lunch", datetime(2026, 3, 5, 14, tzinfo=TZ),
     datetime(2026, 3, 5, 17, tzinfo=TZ)),
    ("tomorrow before lunch", datetime(2026, 3, 5, 8, tzinfo=TZ),
     datetime(2026, 3, 5, 12, tzinfo=TZ)),
])
def test_short_parts_of_the_day_after_a_day(text: str, start: datetime, end: datetime) -> None:
    found = resolve(text, NOW, TZ)
    assert found is not None and (found.start, found.end) == (start, end)


def test_am_without_a_day_is_the_verb_and_joined_tens_are_numbers() -> None:
    assert resolve("i am free", NOW, TZ) is None
    found = resolve("three fortyfive", NOW, TZ)  # raised ValueError before
    assert found is not None and found.start.time() == time(15, 45)


@pytest.mark.parametrize(("text", "start"), [
    ("ten tomorrow", datetime(2026, 3, 5, 10, tzinfo=TZ)),
    ("this time tomorrow", datetime(2026, 3, 5, 10, tzinfo=TZ)),
    ("same time next week", datetime(2026, 3, 11, 10, tzinfo=TZ)),
    ("table for 2 tomorrow", datetime(2026, 3, 5, tzinfo=TZ)),  # 2 people, not 2 pm
    ("this time try friday", datetime(2026, 3, 6, tzinfo=TZ)),
])
def test_an_hour_before_a_day_and_the_same_time(text: str, start: datetime) -> None:
    found = resolve(text, NOW, TZ)
    assert found is not None and found.start == start


@pytest.mark.parametrize("text", [
    "end of next week", "mid April", "late next week", "the end of May", "last friday at 3",
])
def test_a_period_part_we_cannot_place_is_nothing_not_the_whole_period(text: str) -> None:
    assert resolve(text, NOW, TZ) is None
    assert extract(text, NOW, TZ) == []


@pytest.mark.parametrize(("zone", "day"), [
    ("America/New_York", date(2026, 4, 6)), ("Europe/London", date(2026, 6, 4)),
    ("Australia/Sydney", date(2026, 6, 4)), ("America/Sao_Paulo", date(2026, 6, 4)),
])
def test_slashed_dates_follow_the_business_zone(zone: str, day: date) -> None:
    tz = ZoneInfo(zone)
    found = resolve("4/6", datetime(2026, 3, 4, 10, tzinfo=tz), tz)
    assert found is not None and found.start.date() == day
    unambiguous = resolve("27/11", datetime(2026, 3, 4, 10, tzinfo=tz), tz)
    assert unambiguous is not None and unambiguous.start.date() == date(2026, 11, 27)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("late afternoon", time(14, 30), time(17)), ("mid-morning", time(10), time(11)),
    ("early evening on friday", time(17), time(19)), ("at midnight on friday", time(0), None),
])
def test_early_mid_late_narrow_the_part_of_the_day(text: str, start: time,
                                                   end: time | None) -> None:
    found = resolve(text, NOW, TZ)
    assert found is not None and found.start.time() == start
    assert (found.end.time() if found.end else None) == end


def test_military_hundreds_are_times_only_when_said_as_times() -> None:
    found = resolve("at seven hundred and forty five pm", NOW, TZ)
    assert found is not None and found.start.time() == time(19, 45)  # was 19:00
    hours = resolve("fourteen hundred hours", NOW, TZ)
    assert hours is not None and hours.start.time() == time(14)
    assert resolve("two hundred people", NOW, TZ) is None


@pytest.mark.parametrize(("text", "clock"), [
    ("the 930 one", time(9, 30)), ("at 1030 tomorrow", time(10, 30)),
    ("around 1130", time(11, 30)), ("can I do the 230 one", time(14, 30)),
])
def test_a_time_typed_without_its_colon_after_at_or_the(text: str, clock: time) -> None:
    """Found chatting with the running product: "the 930 one" answered an offer list with
    "Sorry, I didn't catch that"."""
    found = resolve(text, NOW, TZ)
    assert found is not None and found.start.timetz().replace(tzinfo=None) == clock


@pytest.mark.parametrize("text", [
    "for 100 people", "at 115 Main st", "for 230 dollars", "the 2025 season", "about 150 min",
])
def test_digits_after_at_or_the_that_are_counts_amounts_or_addresses(text: str) -> None:
    assert resolve(text, NOW, TZ) is None
