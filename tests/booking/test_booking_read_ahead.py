"""A named booking's head query reads the customer's count and the staff member's bookings
after its locks (`booking_read_ahead`, migration 0023): one statement less, and still exact.

The statement it replaces was sent once the head query had returned holding both locks, so it
saw everything committed before; the head query's own snapshot is older (taken before it
waited), so the read must come from the function's fresh snapshot, not from the query. The
exactness test makes a booking commit while the head query waits for its locks and checks
the count and the bookings it read include it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from booking_builders import NOW, Salon, ny
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from test_booking_locks import _staff_lock_free, _wait_until_blocked

from scheduling.booking import services
from scheduling.booking.openings import SECOND, window
from scheduling.booking.values import BookingContext
from scheduling.persistence import driver
from scheduling.persistence.booking_context import AHEAD, booking_context
from scheduling.persistence.booking_repository import BookingRepository, staff_key
from scheduling.persistence.contact_record import record_sql
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.ports import BookingUnitOfWork

pytestmark = pytest.mark.db

Statements = list[str]


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Statements:
    """The SQL of every statement the driver sends from here on."""
    sent: Statements = []
    fetch = driver.fetch

    async def counted(session: AsyncSession, sql: str, params: Any) -> list[tuple[Any, ...]]:
        sent.append(sql)
        return await fetch(session, sql, params)

    monkeypatch.setattr(driver, "fetch", counted)
    return sent


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=4, max_overflow=0)
    yield engine
    await engine.dispose()


async def test_a_named_booking_reads_its_count_and_bookings_with_the_head(
    salon: Salon, uow: BookingUnitOfWork, statements: Statements
) -> None:
    await services.book(salon.booking("Cut", ny(3, 15, 10)), uow, NOW)
    # the head (with the count and the bookings), the caps of the customer's phone, the insert
    assert statements[:2] == [AHEAD.sql, record_sql(True, False, 2)]
    assert len(statements) == 3
    assert statements[2].startswith("WITH a AS (INSERT INTO appointments")


async def test_the_read_ahead_sees_a_booking_committed_while_it_waited(
    salon: Salon, uow: BookingUnitOfWork, engine: AsyncEngine, statements: Statements
) -> None:
    """Another booking of the same customer and staff member holds both locks, inserted and
    not yet committed, when the head query starts; it commits while the head query waits."""
    start, staff = ny(3, 15, 10), salon.staff("Ana").id
    sessions = make_session_factory(engine)
    async with uow, sessions() as booker, sessions() as probe:
        first = await services.book_in(uow, salon.booking("Cut", start), NOW)
        pid = int(await booker.scalar(text("SELECT pg_backend_pid()")) or 0)
        repo = BookingRepository(booker)
        head = asyncio.create_task(repo.context(
            salon.id, salon.service("Cut").id, staff, salon.customers[0].id, "second",
            lock_staff=True, ahead=(NOW, start)))
        try:
            await _wait_until_blocked(probe, pid)
        finally:
            await uow.commit()
            await head
        sent = len(statements)
        assert await repo.count_active(salon.customers[0].id, NOW) == 1
        found = await repo.intervals([staff], start - SECOND, start + 2 * SECOND, NOW)
        assert len(statements) == sent  # both answered from what the head query read
        assert [(i.staff_id, i.start) for i in found] == [(staff, first.appointment.start)]
        await booker.rollback()


async def test_the_staff_lock_is_still_taken_after_the_customer_row_lock(
    salon: Salon, engine: AsyncEngine
) -> None:
    sessions = make_session_factory(engine)
    customer, staff = salon.customers[1].id, salon.staff("Ana").id
    async with sessions() as holder, sessions() as booker, sessions() as probe:
        await holder.execute(text("SELECT 1 FROM customers WHERE id = :c FOR UPDATE"),
                             {"c": customer})
        pid = int(await booker.scalar(text("SELECT pg_backend_pid()")) or 0)
        head = asyncio.create_task(BookingRepository(booker).context(
            salon.id, salon.service("Cut").id, staff, customer, "k", lock_staff=True,
            ahead=(NOW, ny(3, 15, 10))))
        try:
            await _wait_until_blocked(probe, pid)
            free_while_waiting = await _staff_lock_free(probe, staff_key(staff))
        finally:
            await holder.rollback()
            await head
        assert free_while_waiting
        assert not await _staff_lock_free(probe, staff_key(staff))
        await booker.rollback()


@pytest.mark.parametrize("daily_max", [None, 3])
@pytest.mark.parametrize("service", ["Cut", "Colour"])
async def test_the_window_read_is_the_one_placement_asks_for(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession], service: str,
    daily_max: int | None,
) -> None:
    """`booking_read_ahead`'s window, written in SQL, is `openings.window` for the start (as
    `services._reach` asks it): buffers either side, or a day with a daily maximum."""
    staff, start = salon.staff("Ana").id, ny(3, 15, 10)
    async with session_factory() as session:
        await session.execute(text("UPDATE staff SET max_bookings_per_day = :m WHERE id = :s"),
                              {"m": daily_max, "s": staff})
        head = await booking_context(session, salon.id, salon.service(service).id, staff,
                                     salon.customers[0].id, "k", staff_key(staff), (NOW, start))
        await session.rollback()
    assert isinstance(head.found, BookingContext) and head.ahead is not None
    asked = window(head.found.catalog, salon.service(service).id, (staff,), start,
                   start + SECOND)
    assert (head.ahead.low, head.ahead.high) == asked

