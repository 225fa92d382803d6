"""Days: weekdays, relative days, ordinals, dates, weeks; "now" is Saturday 2026-11-21 10:00."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scheduling.timeexpr import Grain, Kind, resolve

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=NY)


def day_of(text: str, now: datetime = NOW, tz: ZoneInfo = NY) -> str:
    found = resolve(text, now, tz)
    assert found is not None, text
    assert found.kind is Kind.INSTANT and found.grain is Grain.DAY, found
    return found.start.isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday", "2026-11-27"),
        ("on Monday", "2026-11-23"),
        ("Saturday", "2026-11-28"),  # today is Saturday: a bare weekday means the next one
        ("this Saturday", "2026-11-21"),
        ("this Monday", "2026-11-23"),
        ("this coming Wednesday", "2026-11-25"),
        ("coming Sunday", "2026-11-22"),
        ("next Sunday", "2026-11-29"),  # "next" is the weekday of next week
        ("next Friday", "2026-11-27"),
        ("Next monday", "2026-11-23"),
        ("Friday next week", "2026-11-27"),
        ("thursday Next week", "2026-11-26"),
        ("Sunday this week", "2026-11-22"),
        ("Friday after next", "2026-12-04"),
        ("Tuesday the week after next", "2026-12-01"),
        ("a week from Tuesday", "2026-12-01"),
        ("a week from today", "2026-11-28"),
        ("two weeks from tomorrow", "2026-12-06"),
        ("next week Friday", "2026-11-27"),
        ("today", "2026-11-21"),
        ("later today", "2026-11-21"),
        ("Tomorrow", "2026-11-22"),
        ("the day after tomorrow", "2026-11-23"),
        ("in 3 days", "2026-11-24"),
        ("in a couple of days", "2026-11-23"),
        ("in two weeks", "2026-12-05"),
        ("3 days from now", "2026-11-24"),
    ],
)
def test_weekdays_and_relative_days(text: str, expected: str) -> None:
    assert day_of(text) == f"{expected}T00:00:00-05:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 4th", "2026-12-04T00:00:00-05:00"),  # the 4th has passed this month
        ("the 21st", "2026-11-21T00:00:00-05:00"),  # today is not past
        ("the 30th", "2026-11-30T00:00:00-05:00"),
        ("the 31st", "2026-12-31T00:00:00-05:00"),  # November has no 31st
        ("The 22nd", "2026-11-22T00:00:00-05:00"),
        ("12th of this month", "2026-12-12T00:00:00-05:00"),
        ("25th of this month", "2026-11-25T00:00:00-05:00"),
        ("the 3rd of next month", "2026-12-03T00:00:00-05:00"),
        ("the first of December", "2026-12-01T00:00:00-05:00"),
        ("March 1st", "2027-03-01T00:00:00-05:00"),
        ("MArch 13TH", "2027-03-13T00:00:00-05:00"),
        ("1st of March", "2027-03-01T00:00:00-05:00"),
        ("December 5", "2026-12-05T00:00:00-05:00"),
        ("Dec. 5th, 2027", "2027-12-05T00:00:00-05:00"),
        ("5 December", "2026-12-05T00:00:00-05:00"),
        ("Feb 29", "2028-02-29T00:00:00-05:00"),
        ("3/15", "2027-03-15T00:00:00-04:00"),
        ("12/5", "2026-12-05T00:00:00-05:00"),
        ("25/12", "2026-12-25T00:00:00-05:00"),
        ("12/5/2027", "2027-12-05T00:00:00-05:00"),
        ("15.03.", "2027-03-15T00:00:00-04:00"),
        ("15.03.2027", "2027-03-15T00:00:00-04:00"),
        ("2026-12-05", "2026-12-05T00:00:00-05:00"),
        ("Friday, November 27th", "2026-11-27T00:00:00-05:00"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert day_of(text) == expected


def test_a_past_day_of_this_month_moves_on_and_says_so() -> None:
    found = resolve("the 12th of this month", NOW, NY)
    assert found is not None and found.assumed and found.notes
    plain = resolve("the 25th", NOW, NY)
    assert plain is not None and not plain.assumed


@pytest.mark.parametrize(
    ("text", "start", "end", "grain"),
    [
        ("next week", "2026-11-23T00:00:00-05:00", "2026-11-30T00:00:00-05:00", Grain.WEEK),
        ("this week", "2026-11-21T00:00:00-05:00", "2026-11-23T00:00:00-05:00", Grain.WEEK),
        ("the week after next", "2026-11-30T00:00:00-05:00", "2026-12-07T00:00:00-05:00",
         Grain.WEEK),
        ("this weekend", "2026-11-21T00:00:00-05:00", "2026-11-23T00:00:00-05:00", Grain.DAY),
        ("next weekend", "2026-11-28T00:00:00-05:00", "2026-11-30T00:00:00-05:00", Grain.DAY),
        ("next month", "2026-12-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00", Grain.MONTH),
        ("in March", "2027-03-01T00:00:00-05:00", "2027-04-01T00:00:00-04:00", Grain.MONTH),
    ],
)
def test_periods(text: str, start: str, end: str, grain: Grain) -> None:
    found = resolve(text, NOW, NY)
    assert found is not None and found.kind is Kind.INTERVAL
    assert (found.start.isoformat(), found.end and found.end.isoformat()) == (start, end)
    assert found.grain is grain


def test_london_dates_use_london_offsets() -> None:
    now = datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)
    assert day_of("next Friday", now, LONDON) == "2026-11-27T00:00:00+00:00"
    assert day_of("1st of April", now, LONDON) == "2027-04-01T00:00:00+01:00"


def test_now_in_another_zone_is_read_in_the_business_zone() -> None:
    # 03:00 UTC on the 22nd is still the 21st in New York
    now = datetime.fromisoformat("2026-11-22T03:00:00+00:00")
    assert day_of("tomorrow", now, NY) == "2026-11-22T00:00:00-05:00"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        resolve("tomorrow", datetime(2026, 11, 21, 10), NY)


@pytest.mark.parametrize("text", ["I need 2 people", "Hi, I want a haircut", "7", "5th street"])
def test_no_time_expression(text: str) -> None:
    assert resolve(text, NOW, NY) is None


def test_dateparser_reads_what_the_grammar_does_not_and_obeys_our_rules() -> None:
    found = resolve("in 1 year", NOW, NY)
    assert found is not None and found.assumed and "dateparser" in found.notes[0]
    assert found.start.isoformat() == "2027-11-21T00:00:00-05:00"
    assert found.grain is Grain.DAY
    assert resolve("yesterday", NOW, NY) is None  # a past day is never a booking
