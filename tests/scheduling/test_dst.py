"""Slots across DST changes and in half-hour zones, with exact instants expected."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from catalog_builders import at, catalog, every_day, local_times, service, staff

from scheduling.availability import AvailabilityQuery, Slot, available_slots


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def slots_in(
    zone: str, start: datetime, days: int, working: str, minutes: int = 60, step: int = 60
) -> list[Slot]:
    svc = service(minutes=minutes, slot_interval=timedelta(minutes=step))
    cat = catalog([staff("ana", weekly_hours=every_day(working))], [svc], zone=zone)
    end, now = start + timedelta(days=days), start - timedelta(days=1)
    query = AvailabilityQuery(svc.id, start, end, now)
    return available_slots(cat, query)


def starts(slots: list[Slot]) -> list[datetime]:
    return [slot.start for slot in slots]


def test_new_york_nine_stays_nine_across_spring_forward() -> None:
    slots = slots_in("America/New_York", at("America/New_York", 2026, 3, 7), 3, "09:00-10:00")
    assert starts(slots) == [utc(2026, 3, 7, 14), utc(2026, 3, 8, 13), utc(2026, 3, 9, 13)]


def test_new_york_spring_forward_night_skips_the_missing_hour() -> None:
    slots = slots_in("America/New_York", at("America/New_York", 2026, 3, 8), 1, "00:00-05:00")
    assert starts(slots) == [utc(2026, 3, 8, h) for h in (5, 6, 7, 8)]
    assert local_times(slots, "America/New_York") == [time(0), time(1), time(3), time(4)]


def test_new_york_fall_back_night_offers_the_repeated_hour_twice() -> None:
    slots = slots_in("America/New_York", at("America/New_York", 2026, 11, 1), 1, "00:00-03:00")
    assert starts(slots) == [utc(2026, 11, 1, h) for h in (4, 5, 6, 7)]
    assert local_times(slots, "America/New_York") == [time(0), time(1), time(1), time(2)]


def test_new_york_nine_stays_nine_across_fall_back() -> None:
    slots = slots_in("America/New_York", at("America/New_York", 2026, 10, 31), 2, "09:00-10:00")
    assert starts(slots) == [utc(2026, 10, 31, 13), utc(2026, 11, 1, 14)]


def test_london_both_changes() -> None:
    spring = slots_in("Europe/London", at("Europe/London", 2026, 3, 28), 3, "09:00-10:00")
    assert starts(spring) == [utc(2026, 3, 28, 9), utc(2026, 3, 29, 8), utc(2026, 3, 30, 8)]
    autumn = slots_in("Europe/London", at("Europe/London", 2026, 10, 24), 2, "09:00-10:00")
    assert starts(autumn) == [utc(2026, 10, 24, 8), utc(2026, 10, 25, 9)]


def test_lord_howe_half_hour_shift() -> None:
    zone = "Australia/Lord_Howe"
    daily = slots_in(zone, at(zone, 2026, 10, 3), 3, "09:00-10:00")
    # +10:30 before the change, +11:00 after
    assert starts(daily) == [utc(2026, 10, 2, 22, 30), utc(2026, 10, 3, 22), utc(2026, 10, 4, 22)]
    night = slots_in(zone, at(zone, 2026, 10, 4), 1, "00:00-04:00", minutes=30, step=30)
    assert local_times(night, zone) == [
        time(0), time(0, 30), time(1), time(1, 30), time(2, 30), time(3), time(3, 30)
    ]
    assert starts(night)[0] == utc(2026, 10, 3, 13, 30)
    assert starts(night)[-1] == utc(2026, 10, 3, 16, 30)


def test_lord_howe_autumn_repeats_half_an_hour() -> None:
    zone = "Australia/Lord_Howe"
    night = slots_in(zone, at(zone, 2026, 4, 5), 1, "01:00-03:00", minutes=30, step=30)
    assert local_times(night, zone) == [
        time(1), time(1, 30), time(1, 30), time(2), time(2, 30)
    ]


def test_kolkata_aligns_to_local_hours_and_half_hours() -> None:
    zone = "Asia/Kolkata"
    hourly = slots_in(zone, at(zone, 2026, 6, 1), 1, "09:00-11:00")
    assert starts(hourly) == [utc(2026, 6, 1, 3, 30), utc(2026, 6, 1, 4, 30)]
    half = slots_in(zone, at(zone, 2026, 6, 1), 1, "09:00-10:00", minutes=30, step=30)
    assert local_times(half, zone) == [time(9), time(9, 30)]


def test_interval_that_does_not_divide_a_day_restarts_at_local_midnight() -> None:
    slots = slots_in("Asia/Kolkata", at("Asia/Kolkata", 2026, 6, 1), 2, "09:00-11:00",
                     minutes=30, step=25)
    first = [time(9, 10), time(9, 35), time(10), time(10, 25)]
    assert local_times(slots, "Asia/Kolkata")[:4] == first
    assert len(slots) == 8
