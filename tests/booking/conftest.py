"""Booking fixtures: a salon saved for real (fresh ids per test) and a unit of work.

Every test gets its own business, so tests that commit never see each other's rows; the
tables are still emptied afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from booking_builders import Salon, build_salon, save_salon
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence.booking_uow import BookingUnitOfWork


@pytest.fixture
async def salon(
    session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> AsyncIterator[Salon]:
    built = build_salon()
    await save_salon(session_factory, built)
    yield built


@pytest.fixture
def uow(session_factory: async_sessionmaker[AsyncSession]) -> BookingUnitOfWork:
    return BookingUnitOfWork(session_factory)
