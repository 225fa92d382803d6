"""The actions' runtime keeps the catalog for its configured time, and no longer."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions import runtime as runtime_module
from actions.runtime import Runtime
from scheduling.catalog import Catalog
from scheduling.persistence.catalog_tables import ServiceRow

pytestmark = pytest.mark.db


async def rename_services(factory: async_sessionmaker[AsyncSession], name: str) -> None:
    async with factory() as session, session.begin():
        await session.execute(update(ServiceRow).values(name=name))


async def test_a_cached_catalog_is_reused_until_it_expires(
    salon: Catalog, database_url: str, session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(runtime_module.time, "monotonic", lambda: clock[0])
    runtime = Runtime()
    runtime.configure(database_url, catalog_ttl=5)
    try:
        first = await runtime.catalog()
        await rename_services(session_factory, "Renamed")
        clock[0] += 4.9
        assert await runtime.catalog() is first  # within the TTL: no new read
        clock[0] += 0.2
        assert {s.name for s in (await runtime.catalog()).services} == {"Renamed"}
    finally:
        await runtime.dispose()


async def test_without_a_ttl_every_use_reads_the_database(
    salon: Catalog, database_url: str, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    runtime = Runtime()
    runtime.configure(database_url)
    try:
        assert {s.name for s in (await runtime.catalog()).services} != {"Renamed"}
        await rename_services(session_factory, "Renamed")
        assert {s.name for s in (await runtime.catalog()).services} == {"Renamed"}
    finally:
        await runtime.dispose()
