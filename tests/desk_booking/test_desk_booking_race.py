"""Two front-desk bookings at once on PostgreSQL: of two for one slot one wins and the other
gets the nearest free times; a double submit for a new customer books once and registers
them once (their phone is locked first, so the second finds the first's profile)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.commands import BookAppointment
from scheduling.booking.model import Channel, Contact
from scheduling.booking.results import BookingResult
from scheduling.desk import customers, desk_booking
from scheduling.errors import SlotUnavailable
from scheduling.persistence.front_desk_store import FrontDeskUnitOfWork
from tests.booking.booking_builders import NOW, Salon, ny

pytestmark = pytest.mark.db
OWNER = customers.Proof(owner=True)


def _command(salon: Salon, key: str, name: str, phone: str) -> BookAppointment:
    return BookAppointment(salon.slot("Cut", ny(3, 12, 10)), None, key, channel=Channel.ADMIN,
                           contact=Contact(name, phone))


async def _both(*calls: Awaitable[BookingResult]) -> list[BookingResult | BaseException]:
    return await asyncio.gather(*calls, return_exceptions=True)


async def test_two_desks_booking_one_slot_at_once_one_wins(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    commands = [_command(salon, f"race-{n}", f"Racer {n}", f"+1555020000{n}") for n in (1, 2)]
    results = await _both(*(desk_booking.book(c, OWNER, FrontDeskUnitOfWork(session_factory),
                                              NOW) for c in commands))
    won = [r for r in results if isinstance(r, BookingResult)]
    lost = [r for r in results if isinstance(r, SlotUnavailable)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].alternatives


async def test_a_double_submit_for_a_new_customer_books_and_registers_once(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    command = _command(salon, "same-form", "Dora Double", "+15550300001")
    results = await _both(*(desk_booking.book(command, OWNER,
                                              FrontDeskUnitOfWork(session_factory), NOW)
                            for _ in range(2)))
    assert all(isinstance(r, BookingResult) for r in results), results
    ids = {r.appointment.id for r in results if isinstance(r, BookingResult)}
    assert len(ids) == 1
    async with session_factory() as session:
        named = await session.scalar(text(
            "SELECT count(*) FROM customers WHERE phone = '+15550300001'"))
    assert named == 1
