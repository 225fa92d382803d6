"""The gateway's bookings re-check the owner's Google busy time inside their transaction."""

from __future__ import annotations

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.gateway.api import context
from assistant.gateway.resources import CALENDAR, ENGINE
from calendar_sync.connections import ConnectionStore
from calendar_sync.service import CalendarServices
from scheduling.booking import services
from scheduling.errors import SlotUnavailable
from tests.booking.booking_builders import NOW, Salon, ny
from tests.calendar_sync.conftest import connect_staff
from tests.calendar_sync.test_busy import owner_event
from tests.fakes.google_calendar import FakeGoogle

pytestmark = pytest.mark.db


async def test_an_owner_event_in_google_blocks_an_api_booking(
    google: FakeGoogle,
    store: ConnectionStore,
    calendar: CalendarServices,
    salon: Salon,
    engine: AsyncEngine,
) -> None:
    await connect_staff(google, store, salon, "Ana", "ana@example.com")
    start = ny(3, 12, 10)
    owner_event(google, "ana@example.com", start)
    with_google = web.Application()
    with_google[ENGINE], with_google[CALENDAR] = engine, calendar

    with pytest.raises(SlotUnavailable) as refused:
        await services.book(salon.booking("Cut", start), context.uow(with_google), NOW)
    assert refused.value.alternatives and all(
        alt.start != start for alt in refused.value.alternatives
    )

    without_google = web.Application()
    without_google[ENGINE] = engine
    booked = await services.book(
        salon.booking("Cut", start, customer=1), context.uow(without_google), NOW
    )
    assert booked.appointment.start == start  # the refusal came from Google's busy time
