"""Connecting an account and reading busy time through the real Google client and the fake."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendar_sync.busy import GoogleBusyTimes
from calendar_sync.connections import ConnectionStore
from scheduling.persistence.calendar_tables import CalendarConnectionRow
from tests.booking.booking_builders import Salon
from tests.calendar_sync.conftest import connect_staff
from tests.fakes.google_calendar import FakeGoogle, rfc3339

pytestmark = pytest.mark.db
DAY = datetime(2027, 3, 15, tzinfo=UTC)


def owner_event(google: FakeGoogle, calendar: str, start: datetime, hours: float = 1) -> None:
    end = start + timedelta(hours=hours)
    google.state.put(calendar, {"start": {"dateTime": rfc3339(start)},
                                "end": {"dateTime": rfc3339(end)}, "summary": "dentist"})


async def test_connect_stores_encrypted_tokens_and_account(
    google: FakeGoogle, store: ConnectionStore, salon: Salon,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    connection = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    assert connection.status == "active" and connection.account_email == "ana@example.com"
    async with session_factory() as session:
        row = (await session.scalars(select(CalendarConnectionRow))).one()
    token = next(iter(google.state.access))
    assert token not in row.token_cipher and "refresh" not in row.token_cipher
    assert (await store.credentials(connection.id)).token == token


async def test_busy_times_one_query_then_cached_until_a_change(
    google: FakeGoogle, store: ConnectionStore, salon: Salon
) -> None:
    ana = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    owner_event(google, "ana@example.com", DAY.replace(hour=14))
    source = GoogleBusyTimes(store)
    busy = await source.busy_times([ana.staff_id, salon.staff("Ben").id], DAY, DAY + timedelta(1))
    assert [(b.staff_id, b.start, b.end) for b in busy] == [
        (ana.staff_id, DAY.replace(hour=14), DAY.replace(hour=15))
    ]
    await source.busy_times([ana.staff_id], DAY + timedelta(hours=8), DAY + timedelta(hours=20))
    assert google.count("POST", "freeBusy") == 1
    owner_event(google, "ana@example.com", DAY.replace(hour=9))
    await store.bump_version(ana.id)
    busy = await source.busy_times([ana.staff_id], DAY, DAY + timedelta(1))
    assert google.count("POST", "freeBusy") == 2 and len(busy) == 2


async def test_long_ranges_are_split_into_googles_limit(
    google: FakeGoogle, store: ConnectionStore, salon: Salon
) -> None:
    ana = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    owner_event(google, "ana@example.com", DAY + timedelta(days=100, hours=10))
    busy = await GoogleBusyTimes(store).busy_times([ana.staff_id], DAY, DAY + timedelta(150))
    assert google.count("POST", "freeBusy") == 2
    assert [b.start for b in busy] == [DAY + timedelta(days=100, hours=10)]


async def test_expired_access_token_is_refreshed_and_saved(
    google: FakeGoogle, store: ConnectionStore, salon: Salon
) -> None:
    ana = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    before = (await store.credentials(ana.id)).token
    google.state.expire_access_tokens()
    owner_event(google, "ana@example.com", DAY.replace(hour=14))
    busy = await GoogleBusyTimes(store).busy_times([ana.staff_id], DAY, DAY + timedelta(1))
    assert len(busy) == 1
    after = (await store.credentials(ana.id)).token
    assert after != before and after in google.state.access


async def test_revoked_grant_is_recorded_and_stops_nothing_else(
    google: FakeGoogle, store: ConnectionStore, salon: Salon
) -> None:
    ana = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    ben = await connect_staff(google, store, salon, "Ben", "ben@example.com")
    google.state.refresh = {k: v for k, v in google.state.refresh.items() if v != "ana@example.com"}
    google.state.access = {k: v for k, v in google.state.access.items()
                           if v.account != "ana@example.com"}
    owner_event(google, "ben@example.com", DAY.replace(hour=10))
    busy = await GoogleBusyTimes(store).busy_times([ana.staff_id, ben.staff_id], DAY,
                                                   DAY + timedelta(1))
    assert [b.staff_id for b in busy] == [ben.staff_id]
    broken = await store.by_staff(ana.staff_id, active_only=False)
    assert broken.status == "revoked" and "invalid_grant" in (broken.last_error or "")
    assert await store.for_staff([ana.staff_id]) == []


@pytest.mark.parametrize(("status", "reason"), [(403, "rateLimitExceeded"), (429, "rateLimit"),
                                                (500, "backendError"), (503, "backendError")])
async def test_rate_limits_and_server_errors_are_retried(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, status: int, reason: str
) -> None:
    ana = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    owner_event(google, "ana@example.com", DAY.replace(hour=14))
    google.fail_next(status, 2, reason)
    busy = await GoogleBusyTimes(store).busy_times([ana.staff_id], DAY, DAY + timedelta(1))
    assert len(busy) == 1 and google.count("POST", "freeBusy") == 3


async def test_google_down_counts_as_free_and_is_asked_again(
    google: FakeGoogle, store: ConnectionStore, salon: Salon
) -> None:
    ana = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    owner_event(google, "ana@example.com", DAY.replace(hour=14))
    google.fail_next(503, 4)
    source = GoogleBusyTimes(store)
    assert await source.busy_times([ana.staff_id], DAY, DAY + timedelta(1)) == []
    assert len(await source.busy_times([ana.staff_id], DAY, DAY + timedelta(1))) == 1


async def test_403_forbidden_is_not_retried(
    google: FakeGoogle, store: ConnectionStore, salon: Salon
) -> None:
    ana = await connect_staff(google, store, salon, "Ana", "ana@example.com")
    google.fail_next(403, 1, "forbidden")
    assert await GoogleBusyTimes(store).busy_times([ana.staff_id], DAY, DAY + timedelta(1)) == []
    assert google.count("POST", "freeBusy") == 1
