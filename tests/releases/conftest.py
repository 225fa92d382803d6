"""Releases on PostgreSQL: the small New York salon of tests/booking, saved with fresh ids,
a front-desk unit of work, a way to set rules and audiences as the owner would, and the
gateway (on the demo salon) of tests/gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.persistence.release_store import ReleaseStore
from scheduling.releases import ReleaseRule
from tests.booking.booking_builders import NOW, Salon, build_salon, save_salon
from tests.gateway.conftest import demo, gateway, rasa  # noqa: F401  (the gateway's fixtures)

pytestmark = pytest.mark.db


class Owner:
    """Sets release rules and audiences through the store, committed."""

    def __init__(self, factory: async_sessionmaker[AsyncSession], salon: Salon) -> None:
        self.factory, self.salon = factory, salon

    async def rule(self, rule: ReleaseRule, now: datetime = NOW) -> None:
        async with self.factory() as session:
            await ReleaseStore(session).add_rule(rule, now)
            await session.commit()

    async def audience(self, name: str, members: tuple[int, ...] = (),
                       codes: tuple[str, ...] = ()) -> UUID:
        async with self.factory() as session:
            store = ReleaseStore(session)
            found = await store.add_audience(self.salon.id, name, NOW)
            for index in members:
                await store.add_member(found, self.salon.customers[index].id)
            for code in codes:
                await store.add_code(found, code, NOW)
            await session.commit()
        return found


@pytest.fixture
async def salon(session_factory: async_sessionmaker[AsyncSession],
                clean_tables: None) -> AsyncIterator[Salon]:
    built = build_salon()
    await save_salon(session_factory, built)
    yield built


@pytest.fixture
def uow(session_factory: async_sessionmaker[AsyncSession]) -> DeskUnitOfWork:
    return DeskUnitOfWork(session_factory)


@pytest.fixture
def owner(session_factory: async_sessionmaker[AsyncSession], salon: Salon) -> Owner:
    return Owner(session_factory, salon)
