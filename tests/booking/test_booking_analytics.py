"""Analytics figures and keyset listing over a handful of real bookings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_builders import NOW, Salon, ny
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking import attendance, changes, services
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor
from scheduling.errors import InvalidRequest
from scheduling.persistence import booking_analytics as analytics
from scheduling.persistence.booking_uow import BookingUnitOfWork

pytestmark = pytest.mark.db


async def test_figures_and_pages(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ids = []
    for i, hour in enumerate((9, 10, 11, 14, 15)):
        cmd = salon.booking("Cut", ny(3, 12, hour), customer=i % 3)
        ids.append((await services.book(cmd, uow, NOW)).appointment.id)
    await changes.cancel(CancelAppointment(ids[0], Actor.CUSTOMER), uow, NOW)
    await attendance.check_in(ids[1], uow, ny(3, 12, 9, 50))
    await attendance.close_past(uow, ny(3, 12, 12))
    filters = analytics.Filters(salon.id)
    async with session_factory() as session:
        figures = await analytics.summary(session, filters)
        days = await analytics.buckets(session, filters, "day", "America/New_York")
        heat = await analytics.heat_map(session, filters, "America/New_York")
        first = await analytics.listing(session, filters, limit=3)
        second = await analytics.listing(session, filters, limit=3, cursor=first.next_cursor)
        with pytest.raises(InvalidRequest):
            await analytics.listing(session, filters, cursor="nonsense")
    assert figures.by_status == {"cancelled": 1, "completed": 1, "no_show": 1, "confirmed": 2}
    assert figures.cancellation_rate == pytest.approx(0.2)
    assert figures.no_show_rate == pytest.approx(0.5)
    assert figures.revenue_by_service[salon.service("Cut").id] == 60
    assert figures.average_lead_hours == pytest.approx(
        sum((ny(3, 12, h) - NOW) / timedelta(hours=1) for h in (9, 10, 11, 14, 15)) / 5)
    assert [n for _, n in days] == [5] and heat[(5, 10)] == 1
    assert [a.id for a in first.items + second.items] == ids and second.next_cursor is None
    ana = salon.staff("Ana").id
    assert analytics.utilisation(figures.booked_minutes_by_staff, {ana: 450.0})[ana] == (
        pytest.approx(4 * 45 / 450))
