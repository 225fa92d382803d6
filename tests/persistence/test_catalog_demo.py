"""The demo salon seeds an empty database once, and is bookable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.availability import AvailabilityQuery, available_slots
from scheduling.demo import demo_catalog, seed_demo_if_empty
from scheduling.persistence.catalog_repository import CatalogRepository

pytestmark = pytest.mark.db


async def test_seeds_once_then_returns_false(
    session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> None:
    assert await seed_demo_if_empty(session_factory) is True
    assert await seed_demo_if_empty(session_factory) is False
    async with session_factory() as session:
        repository = CatalogRepository(session)
        assert await repository.business_ids() == [demo_catalog().business.id]
        loaded = await repository.get(demo_catalog().business.id)
    assert loaded == demo_catalog()


def test_demo_is_deterministic_and_bookable() -> None:
    catalog = demo_catalog()
    assert catalog == demo_catalog()
    assert catalog.find_service("a trim").name == "Women's cut"
    assert catalog.find_service("the beard thing").name == "Beard trim"
    assert {s.name for s in catalog.staff if "es" in s.languages} == {"Ana"}
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    colour = catalog.find_service("colour")
    query = AvailabilityQuery(colour.id, now, now + timedelta(days=7), now)
    slots = available_slots(catalog, query)
    assert slots and all(s.start >= now + timedelta(hours=24) for s in slots)
