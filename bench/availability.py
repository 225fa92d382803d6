"""Availability engine timings: `.venv/bin/python bench/availability.py`.

Two workloads, each run many times on the same inputs; prints median and p95 in milliseconds.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4
from zoneinfo import ZoneInfo

from scheduling.availability import AvailabilityQuery, available_slots
from scheduling.catalog import Business, Catalog, Location, Service, Staff
from scheduling.hours import WeeklyHours
from scheduling.occupancy import BookedInterval, BusyInterval

ZONE = ZoneInfo("America/New_York")
START = datetime(2027, 2, 1, tzinfo=ZONE)
CAL_COM_TEAM_MS = 220.0
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")


def build(staff_count: int) -> tuple[Catalog, Service]:
    location = Location(uuid4(), "Main", "America/New_York",
                        WeeklyHours.of(dict.fromkeys(DAYS, ["08:00-20:00"])))
    service = Service(uuid4(), "Cut", timedelta(minutes=45), Decimal("50"),
                      slot_interval=timedelta(minutes=15), buffer_after=timedelta(minutes=10),
                      min_notice=timedelta(0), max_advance_days=90)
    team = tuple(
        Staff(uuid4(), f"staff {i}", frozenset({location.id}),
              WeeklyHours.of(dict.fromkeys(DAYS, ["08:30-12:30", "13:15-19:00"])),
              breaks=WeeklyHours.of(dict.fromkeys(DAYS, ["15:30-15:45"])))
        for i in range(staff_count)
    )
    business = Business(uuid4(), "Bench", "America/New_York", (location,))
    return Catalog(business, team, (service,)), service


def scatter(rng: random.Random, days: int, count: int, minutes: int) -> list[
        tuple[datetime, datetime]]:
    """Random times in opening hours, in UTC as they come back from Postgres."""
    out = []
    for _ in range(count):
        local = START + timedelta(days=rng.randrange(days), minutes=8 * 60 + 15 * rng.randrange(44))
        start = local.astimezone(UTC)
        out.append((start, start + timedelta(minutes=minutes)))
    return out


def workload(staff_count: int, days: int, bookings: int, busy: int) -> Callable[[], int]:
    catalog, service = build(staff_count)
    rng = random.Random(7)
    booked, blocked = [], []
    for member in catalog.staff:
        booked += [BookedInterval(member.id, s, e, buffer_after=timedelta(minutes=10))
                   for s, e in scatter(rng, days, bookings, 45)]
        blocked += [BusyInterval(member.id, s, e) for s, e in scatter(rng, days, busy, 30)]
    staff_id = catalog.staff[0].id if staff_count == 1 else None
    query = AvailabilityQuery(service.id, START, START + timedelta(days=days),
                              START - timedelta(hours=1), staff_id=staff_id)
    return lambda: len(available_slots(catalog, query, booked, blocked))


def measure(run: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    slots = run()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], slots


def main() -> None:
    cases = [
        ("1 staff, 60 days, 400 bookings + 200 busy, 45 min / 15 min step",
         workload(1, 60, 400, 200), 200, 5.0),
        ("20 staff 'any', 30 days, 60 bookings + 20 busy each", workload(20, 30, 60, 20), 50, 50.0),
    ]
    print(f"reference: Cal.com's published team slot computation ~{CAL_COM_TEAM_MS:.0f} ms")
    for name, run, repeat, target in cases:
        median, p95, slots = measure(run, repeat)
        verdict = "ok" if median < target else "SLOW"
        print(f"{name}: {slots} slots, median {median:.2f} ms, p95 {p95:.2f} ms "
              f"(target median < {target:.0f} ms: {verdict})")


if __name__ == "__main__":
    main()
