"""New bookings at the front desk: the small New York salon (tests/booking) on the in-memory
fake and on PostgreSQL (`tests.setup.backends.both` runs a test on each)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from scheduling.persistence.front_desk_store import FrontDeskUnitOfWork
from tests.booking.booking_builders import Salon, build_salon, save_salon
from tests.desk_booking.fake_front_desk import (
    FakeFrontDeskDatabase,
    FakeFrontDeskUnitOfWork,
    Uow,
)


@pytest.fixture
def uow(request: pytest.FixtureRequest) -> Uow:
    if getattr(request, "param", "postgres") == "fake":
        return FakeFrontDeskUnitOfWork(FakeFrontDeskDatabase())
    request.getfixturevalue("clean_tables")
    return FrontDeskUnitOfWork(request.getfixturevalue("session_factory"))


@pytest.fixture
async def salon(request: pytest.FixtureRequest, uow: Uow) -> AsyncIterator[Salon]:
    built = build_salon()
    if isinstance(uow, FakeFrontDeskUnitOfWork):
        uow.database.add_catalog(built.catalog, built.customers)
    else:
        await save_salon(request.getfixturevalue("session_factory"), built)
    yield built
