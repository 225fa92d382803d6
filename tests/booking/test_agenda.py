"""The daily agenda: one outbox row per staff member and day, listing their active bookings."""

from __future__ import annotations

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, ny
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking import changes, services
from scheduling.booking.agenda import queue_daily_agendas
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor
from scheduling.persistence.outbox import OutboxRow
from scheduling.ports import BookingUnitOfWork


async def agendas(factory: async_sessionmaker[AsyncSession]) -> list[OutboxRow]:
    async with factory() as session:
        rows = await session.scalars(select(OutboxRow).where(OutboxRow.kind == "daily_agenda"))
        return list(rows)


@both
async def test_each_staff_member_gets_one_agenda_of_their_day(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    late = (await services.book(salon.booking("Cut", ny(3, 12, 14)), uow, NOW)).appointment
    early = (await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow,
                                 NOW)).appointment
    dropped = (await services.book(salon.booking("Cut", ny(3, 12, 16), customer=2), uow,
                                   NOW)).appointment
    await services.book(salon.booking("Cut", ny(3, 13, 10), customer=3), uow, NOW)  # next day
    await changes.cancel(CancelAppointment(dropped.id, Actor.OWNER, "closing early"), uow, NOW)

    assert await queue_daily_agendas(uow, salon.id, ny(3, 12, 6, 59)) == 0  # before 07:00
    assert await backend.payloads("daily_agenda") == []

    assert await queue_daily_agendas(uow, salon.id, ny(3, 12, 7, 30)) == len(salon.catalog.staff)
    assert await queue_daily_agendas(uow, salon.id, ny(3, 12, 9)) == 0  # already queued
    rows = await backend.payloads("daily_agenda")
    assert len(rows) == len(salon.catalog.staff)
    ana = next(r for r in rows if r["staff_id"] == str(salon.staff("Ana").id))
    assert ana["day"] == "Friday, March 12"
    assert [item["start"] for item in ana["items"]] == [
        early.start.isoformat(), late.start.isoformat()]
    assert [item["customer"] for item in ana["items"]] == [
        salon.customers[1].name, salon.customers[0].name]
    assert ana["day_end"] == ny(3, 13, 0).isoformat()
    others = [r for r in rows if r is not ana]
    assert all(r["items"] == [] for r in others)


@pytest.mark.db
async def test_only_missing_agendas_are_queued(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    assert await queue_daily_agendas(uow, salon.id, ny(3, 12, 8)) == len(salon.catalog.staff)
    ana = str(salon.staff("Ana").id)
    async with session_factory() as session:
        await session.execute(delete(OutboxRow).where(OutboxRow.kind == "daily_agenda",
                                                      OutboxRow.payload["staff_id"].astext == ana))
        await session.commit()
    assert await queue_daily_agendas(uow, salon.id, ny(3, 12, 9)) == 1
    assert len(await agendas(session_factory)) == len(salon.catalog.staff)

