"""The demo salon with a second branch in another zone, for the multi-location tests.

Harbour is in Chicago (an hour behind Main Street's New York), open every day but Sunday;
Dana works only there, the hot towel shave is offered only there, and every demo service
stays offered at both (only Dana can do the cuts and beard trims at Harbour).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.catalog import Catalog, Location, Service, Staff
from scheduling.demo import demo_catalog, demo_id
from scheduling.hours import WeeklyHours
from scheduling.persistence.catalog_repository import CatalogRepository

MAIN_STREET = demo_id("location/main-street")
HARBOUR = demo_id("location/harbour")
DANA = demo_id("staff/dana")
SHAVE = demo_id("service/hot-towel-shave")
SIX_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")


def harbour() -> Location:
    return Location(
        id=HARBOUR, name="Harbour", time_zone="America/Chicago",
        address="8 Pier Road, Chicago, IL 60611",
        opening_hours=WeeklyHours.of(dict.fromkeys(SIX_DAYS, ["08:00-17:00"])),
    )


def two_branch_catalog() -> Catalog:
    demo = demo_catalog()
    dana = Staff(
        id=DANA, name="Dana", location_ids=frozenset({HARBOUR}),
        weekly_hours=WeeklyHours.of(dict.fromkeys(SIX_DAYS, ["08:00-17:00"])),
        skills=frozenset({"cut", "barbering"}),
    )
    shave = Service(
        id=SHAVE, name="Hot towel shave", duration=timedelta(minutes=40),
        price=Decimal("45.00"), required_skills=frozenset({"barbering"}), category="hair",
        location_ids=frozenset({HARBOUR}), aliases=("shave",),
    )
    business = replace(demo.business, locations=(*demo.business.locations, harbour()))
    return Catalog(business=business, staff=(*demo.staff, dana),
                   services=(*demo.services, shave))


async def seed(session_factory: async_sessionmaker[AsyncSession]) -> Catalog:
    """Save the two-branch salon (the test's database is clean) and return it."""
    catalog = two_branch_catalog()
    async with session_factory() as session:
        await CatalogRepository(session).save(catalog)
        await session.commit()
    return catalog


@pytest.fixture(name="demo")
async def branch_demo(session_factory: async_sessionmaker[AsyncSession], clean_tables: None
                      ) -> AsyncIterator[None]:
    """Overrides the gateway tests' `demo` (imported into a test module): the `gateway`
    fixture then serves the salon with its Harbour branch."""
    await seed(session_factory)
    yield
