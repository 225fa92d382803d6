"""The catalog file's value forms: each format reads back to its value (Hypothesis), and the
forms people type are read as they mean them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling.catalog_yaml.values import (
    format_duration,
    format_moment,
    format_money,
    format_spans,
    parse_duration,
    parse_moment,
    parse_money,
    parse_spans,
)
from scheduling.hours import TimeSpan

ZONES = st.sampled_from(["America/New_York", "Europe/London", "Australia/Lord_Howe",
                         "Asia/Kolkata", "UTC", "America/Denver"])


@given(st.integers(min_value=0, max_value=60 * 24 * 366))
def test_a_duration_reads_back(minutes: int) -> None:
    value = timedelta(minutes=minutes)
    assert parse_duration(format_duration(value)) == value


@pytest.mark.parametrize(("text", "minutes"), [
    ("45 min", 45), ("1h30", 90), ("2h", 120), ("1 h 5 min", 65), ("90min", 90),
    ("1 day", 1440), ("2 days 3h", 51 * 60), ("0", 0), ("1H30M", 90), ("24 hours", 1440),
])
def test_durations_as_people_write_them(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "says"), [
    ("-5 min", '"-5 min" is not a positive duration'), ("45", "is not a duration"),
    ("", "is not a duration"), ("1.5h", "is not a duration"), ("soon", "is not a duration"),
    ("367 days", "is longer than a year"),
])
def test_what_is_not_a_duration(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_duration(text)


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_money_reads_back(amount: Decimal) -> None:
    assert parse_money(format_money(amount)) == amount


@pytest.mark.parametrize("text", ["-5", "40.005", "40,00", "$40", "1e3", "NaN", ""])
def test_what_is_not_money(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount"):
        parse_money(text)


clock = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def days(draw: st.DrawFn) -> tuple[TimeSpan, ...]:
    edges = sorted(draw(st.sets(clock, max_size=6)))
    pairs = zip(edges[::2], edges[1::2], strict=False)
    return tuple(TimeSpan(start, end) for start, end in pairs)


@given(days())
def test_hours_read_back(spans: tuple[TimeSpan, ...]) -> None:
    assert parse_spans(format_spans(spans)) == spans


def test_hours_as_people_write_them() -> None:
    assert parse_spans("09:00-12:30, 13:30-18:00") == (
        TimeSpan(time(9), time(12, 30)), TimeSpan(time(13, 30), time(18)))
    assert parse_spans("18:00-00:00") == (TimeSpan(time(18), time(0)),)
    assert parse_spans("off") == parse_spans("Closed") == ()
    for wrong in ("22:00-02:00", "9-5", "09:00"):
        with pytest.raises(ValueError, match="is not hours"):
            parse_spans(wrong)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                    timezones=st.just(UTC)), ZONES)
def test_a_moment_reads_back_on_any_clock(moment: datetime, name: str) -> None:
    zone = ZoneInfo(name)
    assert parse_moment(format_moment(moment, zone), zone) == moment


def test_a_moment_is_written_on_the_business_clock_with_an_offset_only_when_it_needs_one(
) -> None:
    ny = ZoneInfo("America/New_York")
    assert format_moment(datetime(2027, 2, 15, 12, tzinfo=UTC), ny) == "2027-02-15 07:00"
    second_one_thirty = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # the clock goes back at 2
    assert format_moment(second_one_thirty, ny) == "2026-11-01 01:30:00-05:00"
