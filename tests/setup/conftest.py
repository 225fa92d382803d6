"""Setup fixtures: the small New York salon (tests/booking) on the in-memory fake and on
PostgreSQL (`tests.setup.backends.both` runs a test on each)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.setup_uow import SetupUnitOfWork
from scheduling.ports import SetupUnitOfWork as SetupPorts
from tests.booking.booking_builders import Salon, build_salon, save_salon
from tests.fakes.uow import FakeDatabase, FakeUnitOfWork
from tests.setup.backends import Payloads


@pytest.fixture
def uow(request: pytest.FixtureRequest) -> SetupPorts:
    if getattr(request, "param", "postgres") == "fake":
        return FakeUnitOfWork(FakeDatabase())
    request.getfixturevalue("clean_tables")
    return SetupUnitOfWork(request.getfixturevalue("session_factory"))


@pytest.fixture
async def salon(request: pytest.FixtureRequest, uow: SetupPorts) -> AsyncIterator[Salon]:
    built = build_salon()
    if isinstance(uow, FakeUnitOfWork):
        uow.database.add_catalog(built.catalog, built.customers)
    else:
        await save_salon(request.getfixturevalue("session_factory"), built)
    yield built


@pytest.fixture
def payloads(request: pytest.FixtureRequest, uow: SetupPorts) -> Payloads:
    """The payloads of the queued messages of one kind."""
    async def of_kind(kind: str) -> list[dict[str, Any]]:
        if isinstance(uow, FakeUnitOfWork):
            return [q.message.payload for q in uow.database.state.outbox.values()
                    if q.message.kind == kind]
        async with request.getfixturevalue("session_factory")() as session:
            rows = await session.scalars(select(OutboxRow).where(OutboxRow.kind == kind))
            return [row.payload for row in rows]
    return of_kind
