"""200 overlapping bookings from 64 connections at once: the database must let none overlap.

Requests mix services (45 min + 10 after, 90 min with 5 before and 15 after, 20 min), named
and "anyone" staff and starts 15 minutes apart in one morning, so nearly all contend. The
check afterwards is SQL over the stored buffered ranges, independent of the service code.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from booking_builders import NOW, Salon, build_salon, ny, save_salon
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduling.booking import services
from scheduling.booking.commands import BookAppointment
from scheduling.booking.results import BookingResult
from scheduling.errors import SlotUnavailable
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.database import make_engine, make_session_factory

pytestmark = [pytest.mark.db, pytest.mark.slow]

CONNECTIONS = 64
REQUESTS = 200

OVERLAPS = text("""
    SELECT count(*) FROM appointments a JOIN appointments b
      ON a.staff_id = b.staff_id AND a.id < b.id AND a.session_id <> b.session_id
     AND tstzrange(a.blocked_start, a.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)
    WHERE a.status IN ('held', 'pending', 'confirmed')
      AND b.status IN ('held', 'pending', 'confirmed')
""")


@pytest.fixture
async def wide_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=CONNECTIONS, max_overflow=0)
    yield engine
    await engine.dispose()


def requests(salon: Salon) -> list[BookAppointment]:
    rng = random.Random(5)
    out = []
    for i in range(REQUESTS):
        start = ny(3, 12, 9) + timedelta(minutes=15 * rng.randrange(12))
        service = rng.choice(["Cut", "Colour", "Trim"])
        staff = rng.choice(["Ana", "Ana", "Ben", None])
        out.append(salon.booking(service, start, customer=i, staff=staff))
    return out


async def attempt(
    cmd: BookAppointment, uow: BookingUnitOfWork, gate: asyncio.Event
) -> BookingResult | SlotUnavailable:
    await gate.wait()
    try:
        return await services.book(cmd, uow, NOW)
    except SlotUnavailable as lost:
        return lost


async def test_parallel_bookings_never_overlap(
    wide_engine: AsyncEngine, clean_tables: None
) -> None:
    salon = build_salon(customers=REQUESTS)
    factory = make_session_factory(wide_engine)
    await save_salon(factory, salon)
    async with wide_engine.connect() as warm:  # open all 64 connections before the start
        await warm.execute(text("SELECT 1"))
    gate = asyncio.Event()
    tasks = [
        asyncio.create_task(attempt(cmd, BookingUnitOfWork(factory), gate))
        for cmd in requests(salon)
    ]
    gate.set()
    outcomes = await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
    won = [o for o in outcomes if isinstance(o, BookingResult)]
    lost = [o for o in outcomes if isinstance(o, SlotUnavailable)]
    assert len(won) + len(lost) == REQUESTS and len(won) >= 5 and len(lost) >= 100
    assert all(error.alternatives for error in lost)
    by_database = sum(str(error) == services.RACE_LOST for error in lost)
    print(f"race: {len(won)} booked, {len(lost)} refused ({by_database} by the constraint)")
    async with wide_engine.connect() as connection:
        assert (await connection.execute(OVERLAPS)).scalar_one() == 0
        stored = await connection.execute(
            text("SELECT count(*) FROM appointments WHERE business_id = :b"), {"b": salon.id}
        )
        assert stored.scalar_one() == len(won)
