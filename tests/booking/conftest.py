"""Booking fixtures: a salon saved (fresh ids per test) and a unit of work.

`uow` is PostgreSQL unless a test is parametrised with `backends.both`, which runs it on the
in-memory fake as well. Every test gets its own business, so tests that commit never see each
other's rows; on PostgreSQL the tables are still emptied afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from backends import Backend, backend_of, make_uow
from booking_builders import Salon, build_salon

from scheduling.ports import DeskUnitOfWork


@pytest.fixture
def uow(request: pytest.FixtureRequest) -> DeskUnitOfWork:
    return make_uow(request)


@pytest.fixture
def backend(request: pytest.FixtureRequest, uow: DeskUnitOfWork) -> Backend:
    return backend_of(request, uow)


@pytest.fixture
async def salon(backend: Backend) -> AsyncIterator[Salon]:
    built = build_salon()
    await backend.seed(built)
    yield built
