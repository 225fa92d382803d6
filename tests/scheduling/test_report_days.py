"""The analytics range: whole local days, DST-correct bounds, every day listed, and every
unreadable range refused with a message before any date arithmetic can overflow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.errors import InvalidRequest
from scheduling.report_days import MAX_DAYS, DayRange, day_range, preset, requested

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 20, 3, 30, tzinfo=UTC)  # still the 19th in New York


def test_bounds_are_the_zones_midnights_across_a_dst_change() -> None:
    days = DayRange(date(2026, 3, 6), date(2026, 3, 10), NEW_YORK)
    assert days.start == datetime(2026, 3, 6, 5, tzinfo=UTC)  # EST, UTC-5
    assert days.end == datetime(2026, 3, 11, 4, tzinfo=UTC)  # EDT, UTC-4, after March 8
    assert days.length == 5 and days.days()[2] == date(2026, 3, 8)


def test_a_midnight_the_clock_skips_starts_the_day_at_its_first_instant() -> None:
    santiago = ZoneInfo("America/Santiago")  # 2026-09-06: 00:00 -> 01:00
    day = DayRange(date(2026, 9, 6), date(2026, 9, 6), santiago)
    assert day.start.astimezone(santiago).hour == 1
    assert day.end - day.start == (datetime(2026, 9, 7, 3, tzinfo=UTC)
                                   - datetime(2026, 9, 6, 4, tzinfo=UTC))


def test_empty_days_are_zeros() -> None:
    days = DayRange(date(2026, 3, 6), date(2026, 3, 9), NEW_YORK)
    assert days.zero_filled({date(2026, 3, 7): 2, date(2026, 2, 1): 9}) == [
        (date(2026, 3, 6), 0), (date(2026, 3, 7), 2), (date(2026, 3, 8), 0), (date(2026, 3, 9), 0)]


@pytest.mark.parametrize(("name", "first", "last"), [
    ("7", date(2026, 3, 13), date(2026, 3, 19)), ("30", date(2026, 2, 18), date(2026, 3, 19)),
    ("90", date(2025, 12, 20), date(2026, 3, 19)), ("month", date(2026, 3, 1), date(2026, 3, 31)),
    ("around", date(2026, 2, 17), date(2026, 4, 17)),
])
def test_presets_count_from_today_in_the_zone(name: str, first: date, last: date) -> None:
    found = requested(None, None, name, NEW_YORK, NOW)
    assert (found.first, found.last) == (first, last)


def test_this_month_in_december_and_february() -> None:
    assert preset("month", date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert preset("month", date(2028, 2, 10)) == (date(2028, 2, 1), date(2028, 2, 29))


def test_dates_win_over_a_preset_and_one_date_gives_sixty_days() -> None:
    both = requested("2026-03-06", "2026-03-10", "7", NEW_YORK, NOW)
    assert (both.first, both.last) == (date(2026, 3, 6), date(2026, 3, 10))
    alone = requested("2026-01-01", "", None, NEW_YORK, NOW)
    assert (alone.first, alone.length) == (date(2026, 1, 1), 60)
    until = requested(None, "2026-03-01", None, NEW_YORK, NOW)
    assert (until.last, until.length) == (date(2026, 3, 1), 60)


@pytest.mark.parametrize(("raw_from", "raw_until", "name", "words"), [
    ("2026-13-45", "2026-03-10", None, "from is not a date"),
    ("2026-03-06", "yesterday", None, "until is not a date"),
    ("2026-03-10", "2026-03-06", None, "is before from"),
    ("2026-03-06", "9999-12-31", None, "until must be between"),
    ("9999-12-31", None, None, "from must be between"),
    ("0001-01-01", "2026-03-06", None, "from must be between"),
    (None, "0001-01-01", None, "until must be between"),
    ("2024-01-01", "2026-03-06", None, f"at most {MAX_DAYS} days"),
    ("2" * 5000, None, None, "from is not a date"),
    ("2026-03-06\udcff", None, None, "from is not a date"),
    (None, None, "forever" * 100, "unknown range"),
])
def test_unreadable_ranges_are_refused_with_a_reason(
    raw_from: str | None, raw_until: str | None, name: str | None, words: str,
) -> None:
    with pytest.raises(InvalidRequest, match=words) as refused:
        requested(raw_from, raw_until, name, NEW_YORK, NOW)
    assert len(str(refused.value)) < 200


def test_the_longest_range_is_accepted_and_a_day_more_is_not() -> None:
    first = date(2025, 1, 1)
    last = first + timedelta(days=MAX_DAYS - 1)
    assert day_range(first, last, NEW_YORK, date(2026, 3, 19)).length == MAX_DAYS
    with pytest.raises(InvalidRequest, match=f"this one has {MAX_DAYS + 1}"):
        day_range(first, last + timedelta(days=1), NEW_YORK, date(2026, 3, 19))
