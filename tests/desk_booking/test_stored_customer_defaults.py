"""A customer row whose `notifications` or `preferences` JSON lacks keys (an older row, an
import, tests/fill.py's `{}`) reads as the defaults, so booking for them works."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking import services
from scheduling.booking.results import BookingResult
from scheduling.catalog import CustomerPreferences, NotificationPreferences, TimeOfDay
from scheduling.persistence import catalog_codec as codec
from scheduling.persistence.desk_uow import DeskUnitOfWork
from tests.booking.booking_builders import NOW, Salon, ny


@pytest.mark.parametrize("stored", [None, {}, {"unknown": 1}])
def test_missing_notification_keys_read_as_the_defaults(stored: dict[str, object] | None) -> None:
    assert codec.notifications_of(stored) == NotificationPreferences()
    assert codec.preferences_of(stored) == CustomerPreferences()


def test_the_keys_present_are_kept() -> None:
    assert codec.notifications_of({"sms": False}) == NotificationPreferences(sms=False)
    assert codec.preferences_of({"times_of_day": ["morning"]}) == CustomerPreferences(
        times_of_day=frozenset({TimeOfDay("morning")}))


@pytest.mark.db
async def test_a_booking_for_a_customer_stored_with_empty_json_succeeds(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    customer = salon.customers[0]
    async with session_factory() as session:
        await session.execute(text("UPDATE customers SET notifications = '{}', preferences = '{}'"
                                   " WHERE id = :id"), {"id": customer.id})
        await session.commit()
    result = await services.book(salon.booking("Cut", ny(3, 12, 10)),
                                 DeskUnitOfWork(session_factory), NOW)
    assert isinstance(result, BookingResult) and result.appointment.customer_id == customer.id
    async with DeskUnitOfWork(session_factory) as uow:
        loaded = await uow.catalog.get_customer(customer.id)
    assert loaded.notifications == NotificationPreferences()
    assert loaded.preferences == CustomerPreferences()
