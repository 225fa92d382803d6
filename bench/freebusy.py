"""Availability with Google busy time: `.venv/bin/python bench/freebusy.py`.

10 staff, each with a connected calendar holding three owner events a working day, asked for
30 days of slots: busy time read through the real Google client from the local fake (started
here), then the availability engine. Cold (empty cache: one freebusy query per account) and
cached (no Google call); prints the median and p95 in milliseconds and the query counts.
Uses BENCH_DATABASE_URL's server when set, else an embedded PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from google.oauth2.credentials import Credentials  # noqa: E402

from assistant.embedded_db import admin_server, fresh_database  # noqa: E402
from calendar_sync.busy import GoogleBusyTimes  # noqa: E402
from calendar_sync.config import GoogleConfig  # noqa: E402
from calendar_sync.connections import ConnectionStore  # noqa: E402
from calendar_sync.crypto import TokenCipher  # noqa: E402
from calendar_sync.store import SqlCalendarStore  # noqa: E402
from scheduling.availability import AvailabilityQuery, available_slots  # noqa: E402
from scheduling.catalog import Business, Catalog, Location, Service, Staff  # noqa: E402
from scheduling.hours import WeeklyHours  # noqa: E402
from scheduling.persistence.catalog_repository import CatalogRepository  # noqa: E402
from scheduling.persistence.database import make_engine, make_session_factory  # noqa: E402
from tests.fakes.google_calendar import FakeGoogle, rfc3339, running_fake  # noqa: E402

STAFF, DAYS, COLD_RUNS, CACHED_RUNS = 10, 30, 5, 30
START = datetime(2027, 2, 1, 5, tzinfo=UTC)
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat")


@asynccontextmanager
async def database() -> AsyncIterator[str]:
    """A fresh migrated database on BENCH_DATABASE_URL's server, or on an embedded one."""
    with (
        admin_server(os.environ.get("BENCH_DATABASE_URL"), "bench-pg-") as admin,
        fresh_database(admin, "bench") as url,
    ):
        yield url


def catalog() -> tuple[Catalog, Service]:
    hours = WeeklyHours.of(dict.fromkeys(WEEK, ["08:00-20:00"]))
    location = Location(uuid4(), "Main", "America/New_York", hours)
    staff = tuple(Staff(uuid4(), f"Staff {i}", frozenset({location.id}),
                        WeeklyHours.of(dict.fromkeys(WEEK, ["09:00-18:00"])),
                        skills=frozenset({"cut"})) for i in range(STAFF))
    service = Service(uuid4(), "Cut", timedelta(minutes=45), Decimal("50"),
                      required_skills=frozenset({"cut"}), max_advance_days=365)
    business = Business(uuid4(), "Bench", "America/New_York", (location,))
    return Catalog(business, staff, (service,)), service


def fill(google: FakeGoogle, account: str) -> None:
    for day in range(DAYS):
        for hour in (10, 13, 16):
            start = START + timedelta(days=day, hours=hour)
            google.state.put(account, {"start": {"dateTime": rfc3339(start)},
                                       "end": {"dateTime": rfc3339(start + timedelta(hours=1))}})


async def timed(runs: int, work: Callable[[], Awaitable[object]]) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        await work()
        out.append((time.perf_counter() - began) * 1000)
    return out


def report(label: str, samples: list[float]) -> None:
    p95 = sorted(samples)[max(0, round(len(samples) * 0.95) - 1)]
    print(f"{label:<8} median {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms   "
          f"({len(samples)} runs)")


async def main() -> None:
    async with database() as url, running_fake() as google:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        built, service = catalog()
        async with factory() as session:
            await CatalogRepository(session).save(built)
            await session.commit()
        config = GoogleConfig("bench", "bench", api_url=google.api_url,
                              oauth_url=google.oauth_url)
        store = ConnectionStore(SqlCalendarStore(factory), TokenCipher("bench key"), config)
        for i, member in enumerate(built.staff):
            account = f"staff{i}@example.com"
            fill(google, account)
            grant = google.state.issue(account, with_refresh=True)
            await store.save(member.id, Credentials(grant["access_token"],  # type: ignore[no-untyped-call]
                                                    refresh_token=grant["refresh_token"]), START)
        end = START + timedelta(days=DAYS)
        query = AvailabilityQuery(service.id, START, end, START - timedelta(days=1))
        ids = [s.id for s in built.staff]
        source = GoogleBusyTimes(store)

        async def slots(fresh: bool) -> int:
            nonlocal source
            source = GoogleBusyTimes(store) if fresh else source
            busy = await source.busy_times(ids, START, end)
            return len(available_slots(built, query, busy=busy))

        print(f"{STAFF} staff, {DAYS} days, {STAFF * DAYS * 3} owner events; slots: "
              f"{await slots(True)}")
        before = google.count("POST", "freeBusy")
        report("cold", await timed(COLD_RUNS, lambda: slots(True)))
        cold_queries = google.count("POST", "freeBusy") - before
        report("cached", await timed(CACHED_RUNS, lambda: slots(False)))
        print(f"freebusy queries: {cold_queries / COLD_RUNS:.0f} per cold run, "
              f"{google.count('POST', 'freeBusy') - before - cold_queries} in all cached runs")
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
