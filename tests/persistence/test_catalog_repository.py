"""The catalog survives a round trip through PostgreSQL unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.catalog import (
    CancellationPolicy,
    Catalog,
    Customer,
    CustomerPreferences,
    LocationType,
    NotificationPreferences,
    TimeOfDay,
)
from scheduling.demo import demo_catalog
from scheduling.errors import NotFound
from scheduling.hours import DateOverride, TimeOff, spans
from scheduling.persistence.catalog_repository import CatalogRepository

pytestmark = pytest.mark.db


def richer_catalog() -> Catalog:
    """The demo with every optional field filled, so nothing is lost silently."""
    catalog = demo_catalog()
    ana = replace(
        catalog.staff[0],
        time_off=(TimeOff(datetime(2026, 12, 1, 14, tzinfo=UTC),
                          datetime(2026, 12, 3, 22, tzinfo=UTC), "holiday"),),
        overrides=(DateOverride(date(2026, 12, 5)), DateOverride(date(2026, 12, 6),
                                                                 spans("10:00-14:00"))),
        google_calendar_id="ana@example.com",
    )
    webinar = replace(
        catalog.services[0], id=uuid4(), name="Styling class", capacity=8, max_participants=4,
        location_type=LocationType.VIRTUAL, buffer_before=timedelta(minutes=5),
        cancellation=CancellationPolicy(48, Decimal("12.50")),
        location_ids=frozenset({catalog.business.locations[0].id}),
    )
    return replace(catalog, staff=(ana, *catalog.staff[1:]),
                   services=(*catalog.services, webinar))


async def test_catalog_round_trip(db_session: AsyncSession) -> None:
    catalog = richer_catalog()
    repository = CatalogRepository(db_session)
    await repository.save(catalog)
    db_session.expunge_all()
    assert await repository.get(catalog.business.id) == catalog


async def test_saving_again_updates_in_place(db_session: AsyncSession) -> None:
    catalog = richer_catalog()
    repository = CatalogRepository(db_session)
    await repository.save(catalog)
    changed = replace(
        catalog,
        staff=(replace(catalog.staff[0], time_off=(), skills=frozenset({"cut"})),
               *catalog.staff[1:]),
        services=(replace(catalog.services[0], price=Decimal("70.00")), *catalog.services[1:]),
    )
    await repository.save(changed)
    db_session.expunge_all()
    assert await repository.get(catalog.business.id) == changed


async def test_missing_business_is_not_found(db_session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await CatalogRepository(db_session).get(uuid4())


async def test_customer_round_trip_and_lookup_by_phone(db_session: AsyncSession) -> None:
    catalog = demo_catalog()
    repository = CatalogRepository(db_session)
    await repository.save(catalog)
    customer = Customer(
        id=uuid4(), name="Lucía", phone="+34612345678", email="lucia@example.com",
        time_zone="Europe/Madrid",
        notifications=NotificationPreferences(sms=False, email=True, reminder_hours=(48, 2)),
        preferences=CustomerPreferences(
            weekdays=frozenset({1, 3}), times_of_day=frozenset({TimeOfDay.AFTERNOON}),
            staff_ids=frozenset({catalog.staff[0].id}), language="es",
        ),
    )
    await repository.save_customer(catalog.business.id, customer)
    db_session.expunge_all()
    assert await repository.get_customer(customer.id) == customer
    assert await repository.customer_by_phone(catalog.business.id, "+34612345678") == customer
    with pytest.raises(NotFound):
        await repository.customer_by_phone(catalog.business.id, "+34000000000")
