"""Clock times, ranges and parts of the day; "now" is Saturday 2026-11-21 10:00 New York."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduling.timeexpr import BusinessHours, DayParts, Grain, Kind, Window, resolve

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=NY)


def instant(text: str, **kwargs: object) -> str:
    found = resolve(text, NOW, NY, **kwargs)  # type: ignore[arg-type]
    assert found is not None, text
    assert found.kind is Kind.INSTANT and found.grain is Grain.MINUTE, found
    return found.start.isoformat()


def interval(text: str, **kwargs: object) -> tuple[str, str | None]:
    found = resolve(text, NOW, NY, **kwargs)  # type: ignore[arg-type]
    assert found is not None and found.kind is Kind.INTERVAL, (text, found)
    return found.start.isoformat(), found.end.isoformat() if found.end else None


@pytest.mark.parametrize(
    ("text", "hhmm"),
    [
        ("half past 11 in the morning", "11:30"),
        ("quarter to 6 in the evening", "17:45"),
        ("Quarter past 4 in the evening", "16:15"),
        ("quarter to 12 in the morning", "11:45"),
        ("quarter to 1 in the afternoon", "12:45"),
        ("twenty past 4", "16:20"),
        ("10 past 5", "17:10"),
        ("ten to three", "14:50"),
        ("quarter till 6", "17:45"),
        ("evening 4:45", "16:45"),
        ("afternoon 2", "14:00"),
        ("morning 10:30", "10:30"),
        ("afternoon 12", "12:00"),
        ("noon", "12:00"),
        ("12 noon", "12:00"),
        ("midday", "12:00"),
        ("15:30", "15:30"),
        ("7:30pm", "19:30"),
        ("7:30 p.m.", "19:30"),
        ("11 AM", "11:00"),
        ("12pm", "12:00"),
        ("730 in the evening", "19:30"),
        ("1030am", "10:30"),
        ("four twenty-three pm", "16:23"),
        ("Three pm", "15:00"),
        ("eleven in the morning", "11:00"),
        ("one in the afternoon", "13:00"),
        ("12 in the afternoon", "12:00"),
        ('4 o"clock in the evening', "16:00"),
        ("5 o'clock", "17:00"),
        ("at 5", "17:00"),
        ("ten thirty", "10:30"),
        ("6 in the evening", "18:00"),
    ],
)
def test_clock_times_today(text: str, hhmm: str) -> None:
    assert instant(text) == f"2026-11-21T{hhmm}:00-05:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30 am", "2026-11-22T09:30:00-05:00"),  # already past today: tomorrow
        ("midnight", "2026-11-22T00:00:00-05:00"),
        ("12am", "2026-11-22T00:00:00-05:00"),
        ("tomorrow at 5", "2026-11-22T17:00:00-05:00"),
        ("3pm on Friday", "2026-11-27T15:00:00-05:00"),
        ("Friday 3pm", "2026-11-27T15:00:00-05:00"),
        ("on the 4th at 3:30", "2026-12-04T15:30:00-05:00"),
        ("at 3:30 on the 4th", "2026-12-04T15:30:00-05:00"),
        ("tomorrow evening at 6", "2026-11-22T18:00:00-05:00"),
        ("tonight at 8", "2026-11-21T20:00:00-05:00"),
        ("next Tuesday at half past 2", "2026-11-24T14:30:00-05:00"),
        ("9 in the morning the day after tomorrow", "2026-11-23T09:00:00-05:00"),
    ],
)
def test_date_and_time_in_any_order(text: str, expected: str) -> None:
    assert instant(text) == expected


@pytest.mark.parametrize(
    ("text", "hhmm", "guessed"),
    [("5:30", "17:30", True), ("11:15", "11:15", True), ("6:30", "18:30", True),
     ("5:30 pm", "17:30", False), ("17:30", "17:30", False), ("09:45", "09:45", False)],
)
def test_am_pm_from_business_hours_is_flagged(text: str, hhmm: str, guessed: bool) -> None:
    found = resolve(text, NOW, NY)
    assert found is not None and found.start.strftime("%H:%M") == hhmm
    assert found.assumed is guessed
    assert found.meridiem_explicit is not guessed
    assert found.time_explicit and not found.date_explicit


def test_business_hours_are_configurable() -> None:
    late = BusinessHours(open=time(6), close=time(12))
    assert instant("5:30", hours=late) == "2026-11-22T05:30:00-05:00"
    assert instant("11:15", hours=late) == "2026-11-21T11:15:00-05:00"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("between 2 and 4pm", "14:00", "16:00"),
        ("3:30 to 6 PM", "15:30", "18:00"),
        ("2-4pm", "14:00", "16:00"),
        ("between 11 and 1", "11:00", "13:00"),
        ("from 10:30 to 2", "10:30", "14:00"),
        ("later than 3:30pm but before 6pm", "15:30", "18:00"),
        ("after 3 and before 5", "15:00", "17:00"),
        ("between 2 and 4 in the afternoon", "14:00", "16:00"),
    ],
)
def test_clock_ranges(text: str, start: str, end: str) -> None:
    assert interval(text) == (f"2026-11-21T{start}:00-05:00", f"2026-11-21T{end}:00-05:00")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("after 5", "2026-11-21T17:00:00-05:00", "2026-11-22T00:00:00-05:00"),
        ("5pm or later", "2026-11-21T17:00:00-05:00", "2026-11-22T00:00:00-05:00"),
        ("before noon", "2026-11-21T10:00:00-05:00", "2026-11-21T12:00:00-05:00"),
        ("by 3pm", "2026-11-21T10:00:00-05:00", "2026-11-21T15:00:00-05:00"),
        ("before 9am", "2026-11-22T00:00:00-05:00", "2026-11-22T09:00:00-05:00"),
        ("tomorrow before noon", "2026-11-22T00:00:00-05:00", "2026-11-22T12:00:00-05:00"),
        ("Friday after 4pm", "2026-11-27T16:00:00-05:00", "2026-11-28T00:00:00-05:00"),
    ],
)
def test_open_ranges_start_no_earlier_than_now(text: str, start: str, end: str) -> None:
    assert interval(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("this afternoon", "2026-11-21T12:00:00-05:00", "2026-11-21T17:00:00-05:00"),
        ("in the morning", "2026-11-21T10:00:00-05:00", "2026-11-21T12:00:00-05:00"),
        ("tomorrow morning", "2026-11-22T08:00:00-05:00", "2026-11-22T12:00:00-05:00"),
        ("next Tuesday afternoon", "2026-11-24T12:00:00-05:00", "2026-11-24T17:00:00-05:00"),
        ("tonight", "2026-11-21T18:00:00-05:00", "2026-11-22T00:00:00-05:00"),
        ("evening", "2026-11-21T17:00:00-05:00", "2026-11-21T21:00:00-05:00"),
        ("lunchtime on Monday", "2026-11-23T12:00:00-05:00", "2026-11-23T14:00:00-05:00"),
    ],
)
def test_parts_of_day(text: str, start: str, end: str) -> None:
    assert interval(text) == (start, end)


def test_parts_of_day_are_configurable() -> None:
    parts = DayParts(morning=Window(time(7), time(11)), evening=Window(time(16), time(20)))
    assert interval("tomorrow morning", parts=parts) == (
        "2026-11-22T07:00:00-05:00", "2026-11-22T11:00:00-05:00")
    assert instant("8 in the evening", parts=parts) == "2026-11-21T20:00:00-05:00"


@pytest.mark.parametrize("text", ["earliest", "as soon as possible", "ASAP",
                                  "the first available slot"])
def test_as_soon_as_possible_is_open_from_now(text: str) -> None:
    assert interval(text) == ("2026-11-21T10:00:00-05:00", None)


def test_durations_count_from_now() -> None:
    assert instant("in 45 minutes") == "2026-11-21T10:45:00-05:00"
    found = resolve("in a couple of hours", NOW, NY)
    assert found is not None and found.grain is Grain.HOUR
    assert found.start.isoformat() == "2026-11-21T12:00:00-05:00"
