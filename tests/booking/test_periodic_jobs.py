"""The gateway's periodic jobs, run once as the scheduler runs them every minute."""

from __future__ import annotations

import pytest
from booking_builders import NOW, Salon, ny
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant import jobs
from scheduling.booking import services
from scheduling.booking.commands import HoldSlot
from scheduling.booking.model import Status
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.outbox import OutboxRow

pytestmark = pytest.mark.db


async def status_of(factory: async_sessionmaker[AsyncSession], appointment_id: object) -> str:
    async with factory() as session:
        row = await session.get(AppointmentRow, appointment_id)
        return row.status if row else "gone"


async def count(factory: async_sessionmaker[AsyncSession], kind: str) -> int:
    async with factory() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == kind)) or 0


async def test_one_tick_releases_holds_closes_the_past_and_queues_agendas(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    held = await services.hold(HoldSlot(salon.slot("Cut", ny(3, 11, 15))), uow, NOW)
    past = (await services.book(salon.booking("Cut", ny(3, 11, 10)), uow, NOW)).appointment
    later = ny(3, 11, 12)  # the hold expired long ago, the 10:00 cut ended an hour before

    assert await jobs.run_periodic(session_factory, later) == []

    assert await status_of(session_factory, held.hold_id) == "gone"
    assert await status_of(session_factory, past.id) == Status.NO_SHOW.value
    assert await count(session_factory, "no_show") == 1
    assert await count(session_factory, "daily_agenda") == len(salon.catalog.staff)


async def test_a_failing_job_is_reported_and_the_others_still_run(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    past = (await services.book(salon.booking("Cut", ny(3, 11, 10)), uow, NOW)).appointment

    async def broken(factory: object, now: object) -> None:
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(jobs.JOBS, "release expired holds", broken)
    assert await jobs.run_periodic(session_factory, ny(3, 11, 12)) == ["release expired holds"]
    assert await status_of(session_factory, past.id) == Status.NO_SHOW.value
