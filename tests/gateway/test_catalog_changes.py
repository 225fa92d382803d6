"""A catalog edit reaches every action-server process at once (issue 21): two runtimes (two
replicas' copies) keeping the catalog for an hour both drop it when an edit commits, by
PostgreSQL's NOTIFY from the catalog tables' trigger; a runtime that does not listen keeps
its old copy, which is what every replica did for CATALOG_CACHE_SECONDS before."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.runtime import Runtime
from scheduling.catalog import Catalog
from scheduling.persistence.catalog_tables import ServiceRow

pytestmark = pytest.mark.db
HOUR = 3600.0


def names(catalog: Catalog) -> set[str]:
    return {service.name for service in catalog.services}


async def test_an_edit_reaches_every_listening_replica_at_once(
        database_url: str, demo: None, session_factory: async_sessionmaker[AsyncSession]) -> None:
    replicas, deaf = [Runtime(), Runtime()], Runtime()
    for runtime in replicas:
        runtime.configure(database_url, catalog_ttl=HOUR, listen=True)
    deaf.configure(database_url, catalog_ttl=HOUR)
    try:
        before = names(await deaf.catalog())
        for runtime in replicas:
            assert names(await runtime.catalog()) == before
        await asyncio.sleep(1.0)  # the listeners connect
        old = sorted(before)[0]
        async with session_factory() as session:
            await session.execute(update(ServiceRow).where(ServiceRow.name == old)
                                  .values(name=old + " (renamed)"))
            await session.commit()
        for runtime in replicas:
            for _ in range(50):
                if old + " (renamed)" in names(await runtime.catalog()):
                    break
                await asyncio.sleep(0.1)
            assert old + " (renamed)" in names(await runtime.catalog())
        assert names(await deaf.catalog()) == before  # an hour's copy, without the listener
    finally:
        for runtime in (*replicas, deaf):
            await runtime.dispose()
