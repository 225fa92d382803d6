"""Properties that hold for every input of a shape, checked with Hypothesis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from scheduling.timeexpr import extract, resolve


def suffix(day: int) -> str:
    if 10 <= day <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


ZONES = st.sampled_from([ZoneInfo(z) for z in (
    "America/New_York", "Europe/London", "America/Los_Angeles", "Australia/Sydney")])
NOWS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31),
                    timezones=st.just(UTC))
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DAY_PHRASES = st.one_of(
    st.builds(lambda m, d: f"{m} {d}", st.sampled_from(WEEKDAYS),
              st.sampled_from(["", "this", "next", "coming", "after next"])).map(str.strip),
    st.builds(lambda m, w: f"{w} {m}", st.sampled_from(WEEKDAYS),
              st.sampled_from(["this", "next", "coming", "on"])),
    st.integers(1, 31).map(lambda d: f"the {d}{suffix(d)}"),
    st.builds(lambda d, m: f"{m}/{d}", st.integers(1, 28), st.integers(1, 12)),
    st.sampled_from(["today", "tomorrow", "day after tomorrow", "next week", "this weekend",
                     "12th of this month", "March 1st", "1st of March"]),
)


@given(st.integers(1, 12), st.integers(0, 59), st.sampled_from(["am", "pm", "AM", " p.m."]),
       NOWS, ZONES)
def test_h_mm_am_pm_round_trips(hour: int, minute: int, suffix: str, now: datetime,
                                tz: ZoneInfo) -> None:
    text = f"{hour}:{minute:02d}{suffix}"
    found = resolve(text, now, tz)
    assert found is not None and found.meridiem_explicit
    wall = found.start.astimezone(tz)
    expected = (hour % 12 + (12 if "p" in suffix.lower() else 0), minute)
    assert (wall.hour, wall.minute) == expected or any("forward" in n for n in found.notes)
    assert found.start.tzinfo is not None


@given(DAY_PHRASES, NOWS, ZONES)
def test_a_booking_never_resolves_to_a_past_day(text: str, now: datetime, tz: ZoneInfo) -> None:
    found = resolve(text, now, tz)
    assert found is not None, text
    today = now.astimezone(tz).date()
    assert found.start.astimezone(tz).date() >= today
    assert found.start.astimezone(tz).date() <= today + timedelta(days=366 * 4)


@given(st.integers(1, 12), st.integers(0, 59), NOWS, ZONES)
def test_bare_times_are_in_the_future_and_flagged(hour: int, minute: int, now: datetime,
                                                  tz: ZoneInfo) -> None:
    found = resolve(f"{hour}:{minute:02d}", now, tz)
    assert found is not None and found.assumed and not found.meridiem_explicit
    assert found.start > now - timedelta(hours=1)  # a DST gap may move it, never back a day


WORDS = ["at", "5", "12", "30", "between", "and", "to", "-", "pm", "next", "friday", "the",
         "4th", "of", "march", "quarter", "past", "in", "3", "days", "hours", "morning",
         "noon", ":", "/", "24", "99", "weekend", "after", "or", "later", "one", "a", "week",
         "from", "tomorrow", "o'clock", "31st", "feb", "29", "this"]


@given(st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join), NOWS, ZONES)
def test_any_word_salad_resolves_or_not_but_never_fails(text: str, now: datetime,
                                                        tz: ZoneInfo) -> None:
    for mention in extract(text, now, tz):
        assert text[mention.start:mention.end] == mention.text
        assert mention.resolution.start.tzinfo is not None
    found = resolve(text, now, tz)
    assert found is None or found.start.utcoffset() == found.start.astimezone(tz).utcoffset()
