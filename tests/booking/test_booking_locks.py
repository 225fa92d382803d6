"""A named booking's context query takes the staff member's advisory lock too, and only once
it holds the customer's row lock: the order every booking path keeps (customer, then staff).
Taken the other way round, a transaction waiting for a customer would hold a staff member's
lock and queue everyone booking that person behind an unrelated customer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from booking_builders import Salon
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from scheduling.persistence.booking_repository import BookingRepository, staff_key
from scheduling.persistence.database import make_engine, make_session_factory

pytestmark = pytest.mark.db

TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtext(:k))")
WAITING = text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=4, max_overflow=0)
    yield engine
    await engine.dispose()


async def _staff_lock_free(session: AsyncSession, key: str) -> bool:
    """Whether another transaction could take `key` now (taken and released at once)."""
    free = bool(await session.scalar(TRY_LOCK, {"k": key}))
    await session.rollback()
    return free


async def _wait_until_blocked(session: AsyncSession, pid: int) -> None:
    for _ in range(400):
        if await session.scalar(WAITING, {"pid": pid}):
            await session.rollback()
            return
        await session.rollback()
        await asyncio.sleep(0.025)
    pytest.fail("the context query never waited for the customer's row lock")


async def test_context_takes_the_staff_lock_after_the_customer_row_lock(
    salon: Salon, engine: AsyncEngine
) -> None:
    sessions = make_session_factory(engine)
    customer, staff = salon.customers[1].id, salon.staff("Ana").id
    key = staff_key(staff)
    async with sessions() as holder, sessions() as booker, sessions() as probe:
        await holder.execute(text("SELECT 1 FROM customers WHERE id = :c FOR UPDATE"),
                             {"c": customer})
        pid = int(await booker.scalar(text("SELECT pg_backend_pid()")) or 0)
        context = asyncio.create_task(BookingRepository(booker).context(
            salon.id, salon.service("Cut").id, staff, customer, "k", lock_staff=True))
        try:
            await _wait_until_blocked(probe, pid)
            free_while_waiting = await _staff_lock_free(probe, key)
        finally:  # whatever happened, let the context query finish
            await holder.rollback()
            await context
        assert free_while_waiting  # not taken while waiting for the customer
        assert not await _staff_lock_free(probe, key)  # held from the context on
        await booker.rollback()
        assert await _staff_lock_free(probe, key)


async def test_context_without_lock_staff_leaves_the_staff_lock_free(
    salon: Salon, engine: AsyncEngine
) -> None:
    sessions = make_session_factory(engine)
    staff = salon.staff("Ana").id
    async with sessions() as booker, sessions() as probe:
        await BookingRepository(booker).context(salon.id, salon.service("Cut").id, staff,
                                                salon.customers[1].id, "k")
        assert await _staff_lock_free(probe, staff_key(staff))
        await booker.rollback()
