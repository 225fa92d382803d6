"""Daylight-saving changes: skipped and repeated local times, offsets on either side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.timeexpr import resolve

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
# New York: 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00.
# London: 2026-03-29 01:00 -> 02:00, 2026-10-25 02:00 -> 01:00.
NY_SPRING = datetime(2026, 3, 6, 10, 0, tzinfo=NY)  # Friday
NY_FALL = datetime(2026, 10, 30, 10, 0, tzinfo=NY)  # Friday
LONDON_SPRING = datetime(2026, 3, 27, 10, 0, tzinfo=LONDON)  # Friday
LONDON_FALL = datetime(2026, 10, 23, 10, 0, tzinfo=LONDON)  # Friday


def start(text: str, now: datetime, tz: ZoneInfo) -> tuple[str, bool]:
    found = resolve(text, now, tz)
    assert found is not None, text
    return found.start.isoformat(), found.assumed


@pytest.mark.parametrize(
    ("text", "now", "tz", "expected", "assumed"),
    [
        # a time the clocks skip moves forward by the gap, and says so
        ("Sunday at 2:30am", NY_SPRING, NY, "2026-03-08T03:30:00-04:00", True),
        ("Sunday at 1:30am", NY_SPRING, NY, "2026-03-08T01:30:00-05:00", False),
        ("Sunday at 3am", NY_SPRING, NY, "2026-03-08T03:00:00-04:00", False),
        ("Sunday at 2:30", NY_SPRING, NY, "2026-03-08T14:30:00-04:00", True),
        ("Sunday", NY_SPRING, NY, "2026-03-08T00:00:00-05:00", False),
        ("Monday", NY_SPRING, NY, "2026-03-09T00:00:00-04:00", False),
        # a time the clocks repeat is the first of the two (fold=0), and says so
        ("Sunday at 1:30am", NY_FALL, NY, "2026-11-01T01:30:00-04:00", True),
        ("Sunday at 2:30am", NY_FALL, NY, "2026-11-01T02:30:00-05:00", False),
        ("Sunday at 12:30am", NY_FALL, NY, "2026-11-01T00:30:00-04:00", False),
        ("Sunday at 1:30am", LONDON_SPRING, LONDON, "2026-03-29T02:30:00+01:00", True),
        ("Sunday at 10am", LONDON_SPRING, LONDON, "2026-03-29T10:00:00+01:00", False),
        ("Sunday at 1:30am", LONDON_FALL, LONDON, "2026-10-25T01:30:00+01:00", True),
        ("Sunday at 2:30am", LONDON_FALL, LONDON, "2026-10-25T02:30:00+00:00", False),
        ("Monday at 9am", LONDON_FALL, LONDON, "2026-10-26T09:00:00+00:00", False),
    ],
)
def test_local_times_across_dst(text: str, now: datetime, tz: ZoneInfo, expected: str,
                                assumed: bool) -> None:
    assert start(text, now, tz) == (expected, assumed)


def test_a_skipped_time_is_never_returned_as_is() -> None:
    found = resolve("Sunday at 2:30am", NY_SPRING, NY)
    assert found is not None
    roundtrip = found.start.astimezone(UTC).astimezone(NY)
    assert roundtrip.replace(tzinfo=None) == found.start.replace(tzinfo=None)
    assert any("forward" in note for note in found.notes)


def test_durations_count_real_time_across_the_change() -> None:
    just_after_midnight = datetime(2026, 11, 1, 0, 30, tzinfo=NY)
    # 00:30 EDT + 2 real hours = 01:30 EST (the second 01:30)
    found = resolve("in 2 hours", just_after_midnight, NY)
    assert found is not None and found.start.isoformat() == "2026-11-01T01:30:00-05:00"
    saturday = datetime(2026, 3, 7, 23, 0, tzinfo=NY)
    found = resolve("in 3 hours", saturday, NY)
    assert found is not None and found.start.isoformat() == "2026-03-08T03:00:00-04:00"


def test_range_over_the_change_keeps_wall_times() -> None:
    found = resolve("Sunday between 1 and 4am", NY_SPRING, NY)
    assert found is not None and found.end is not None
    assert found.start.isoformat() == "2026-03-08T01:00:00-05:00"
    assert found.end.isoformat() == "2026-03-08T04:00:00-04:00"
    # same-zone subtraction in Python is wall-clock; real elapsed time needs UTC
    elapsed = found.end.astimezone(UTC) - found.start.astimezone(UTC)
    assert elapsed == timedelta(hours=2)
