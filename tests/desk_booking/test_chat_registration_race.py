"""Chat and API bookings for one NEW phone at once, on PostgreSQL: both land on one profile.

One phone is one profile (the customers (business_id, phone) unique constraint). Two anonymous
bookings that both look the number up before either has committed would both create it, and
the second insert would fail (a 500 at the gateway). The race is made, not hoped for: the first
transaction registers the newcomer and stays open; the second is started and the test waits
until PostgreSQL reports it waiting on a lock; only then does the first commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.commands import BookAppointment
from scheduling.booking.model import Channel, Contact
from scheduling.booking.results import BookingResult
from scheduling.catalog import Customer
from scheduling.desk import customers
from scheduling.persistence.desk_uow import DeskUnitOfWork
from tests.booking.booking_builders import NOW, Salon, ny

pytestmark = pytest.mark.db
PHONE = "+15550400001"
T = TypeVar("T")
WAITING = text("SELECT count(*) FROM pg_stat_activity "
               "WHERE datname = current_database() AND wait_event_type = 'Lock'")


def _command(salon: Salon, hour: int, key: str) -> BookAppointment:
    return BookAppointment(salon.slot("Cut", ny(3, 12, hour)), None, key, channel=Channel.API,
                           contact=Contact("Nina New", PHONE))


async def _once_blocked(
    factory: async_sessionmaker[AsyncSession], second: Awaitable[T]
) -> asyncio.Task[T]:
    """Start `second` and return once PostgreSQL has it waiting on a lock (or it ended)."""
    task = asyncio.ensure_future(second)
    async with factory() as watcher:
        while not task.done() and not (await watcher.scalar(WAITING)):
            await asyncio.sleep(0)  # let the task run until it blocks on the server
            await watcher.rollback()
    return task


async def _first_registers_then_commits(
    factory: async_sessionmaker[AsyncSession], salon: Salon, second: Awaitable[T]
) -> tuple[Customer, T | BaseException]:
    """The newcomer registered by an open transaction while `second` runs into it."""
    first = DeskUnitOfWork(factory)
    async with first:
        customer = await customers.identify(first, salon.id, Contact("Nina New", PHONE),
                                            customers.ANONYMOUS, NOW)
        task = await _once_blocked(factory, second)
        await first.commit()
    outcome = (await asyncio.gather(task, return_exceptions=True))[0]
    return customer, outcome


async def _profiles(factory: async_sessionmaker[AsyncSession]) -> int:
    async with factory() as session:
        found = await session.scalar(text("SELECT count(*) FROM customers WHERE phone = :p"),
                                     {"p": PHONE})
    return int(found or 0)


async def test_a_booking_racing_a_registration_books_on_the_same_new_profile(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    booking = customers.book_for(_command(salon, 10, "api-race-2"), customers.ANONYMOUS,
                                 DeskUnitOfWork(session_factory), NOW)
    customer, outcome = await _first_registers_then_commits(session_factory, salon, booking)
    assert isinstance(outcome, BookingResult), repr(outcome)
    assert outcome.appointment.customer_id == customer.id
    assert await _profiles(session_factory) == 1


async def test_two_registrations_at_once_give_one_profile(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    second = customers.register(DeskUnitOfWork(session_factory), salon.id,
                                Contact("Nina New", PHONE), customers.ANONYMOUS, NOW)
    customer, outcome = await _first_registers_then_commits(session_factory, salon, second)
    assert isinstance(outcome, Customer), repr(outcome)
    assert outcome.id == customer.id
    assert await _profiles(session_factory) == 1


async def test_two_bookings_at_once_for_a_new_phone_both_land_on_one_profile(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    results = await asyncio.gather(
        *(customers.book_for(_command(salon, hour, f"api-both-{hour}"), customers.ANONYMOUS,
                             DeskUnitOfWork(session_factory), NOW) for hour in (10, 11)),
        return_exceptions=True)
    assert all(isinstance(r, BookingResult) for r in results), results
    owners = {r.appointment.customer_id for r in results if isinstance(r, BookingResult)}
    assert len(owners) == 1 and await _profiles(session_factory) == 1
