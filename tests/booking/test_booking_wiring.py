"""What the notification and calendar sides rely on: reminders at the configured lead times,
refunds in the cancellation payload, no-show follow-ups, busy time from outside calendars,
unpaid bookings released, and a booking that sees every catalog change at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from booking_builders import NOW, Salon, ny
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking import attendance, changes, services
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor, Status
from scheduling.catalog import BusinessPolicies
from scheduling.errors import SlotUnavailable
from scheduling.hours import TimeOff
from scheduling.occupancy import BusyInterval, StaticBusyTimes
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.reminder_offsets import set_offsets

pytestmark = pytest.mark.db
HOUR = timedelta(hours=1)


async def outbox(
    factory: async_sessionmaker[AsyncSession], appointment_id: UUID, kind: str
) -> list[OutboxRow]:
    async with factory() as session:
        rows = await session.scalars(
            select(OutboxRow).where(OutboxRow.appointment_id == appointment_id,
                                    OutboxRow.kind == kind).order_by(OutboxRow.due_at))
        return list(rows)


async def online_deposits(factory: async_sessionmaker[AsyncSession], salon: Salon) -> None:
    """The salon takes deposits online: a deposit booking waits for its payment."""
    async with factory() as session:
        await session.execute(text(
            "INSERT INTO booking_rules (business_id, max_active_per_customer, require_approval,"
            " hold_minutes, claim_window_minutes, no_show_grace_minutes, deposits_online)"
            " VALUES (:b, 5, false, 5, 120, 15, true)"), {"b": salon.id})
        await session.commit()


async def test_reminders_default_to_a_day_and_an_hour_before(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    rows = await outbox(session_factory, booked.id, "reminder")
    assert [(r.due_at, r.payload["minutes_before"]) for r in rows] == [
        (booked.start - 24 * HOUR, 1440), (booked.start - HOUR, 60)]
    soon = (await services.book(salon.booking("Cut", NOW + 3 * HOUR, customer=1), uow,
                                NOW)).appointment
    assert [r.payload["minutes_before"] for r in
            await outbox(session_factory, soon.id, "reminder")] == [60]  # a day before is past


async def test_service_offsets_win_over_the_business_and_follow_a_move(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session:
        await set_offsets(session, salon.id, salon.id, [48 * HOUR])
        await set_offsets(session, salon.id, salon.service("Trim").id, [2 * HOUR])
        await session.commit()
    cut = (await services.book(salon.booking("Cut", ny(3, 15, 10)), uow, NOW)).appointment
    trim = (await services.book(salon.booking("Trim", ny(3, 15, 14), customer=1), uow,
                                NOW)).appointment
    assert [r.due_at for r in await outbox(session_factory, cut.id, "reminder")] == [
        cut.start - 48 * HOUR]
    assert [r.due_at for r in await outbox(session_factory, trim.id, "reminder")] == [
        trim.start - 2 * HOUR]
    moved = await changes.reschedule(RescheduleAppointment(trim.id, ny(3, 16, 14)), uow, NOW)
    assert [r.status for r in await outbox(session_factory, trim.id, "reminder")] == [
        "cancelled"]
    assert [r.due_at for r in await outbox(session_factory, moved.new.id, "reminder")] == [
        ny(3, 16, 12)]


async def test_cancellation_payload_carries_the_refund(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cmd = salon.booking("Colour", ny(3, 15, 10), payment_reference="pi_1")
    booked = (await services.book(cmd, uow, NOW)).appointment
    await changes.cancel(CancelAppointment(booked.id, Actor.CUSTOMER, "ill"), uow, NOW)
    [row] = await outbox(session_factory, booked.id, "cancellation")
    assert row.payload["refund"] == "30.00" and row.payload["fee"] == "0"


async def test_no_show_queues_a_follow_up_with_the_fee(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    policies = BusinessPolicies(salon.catalog.business.policies.cancellation,
                                no_show_fee=Decimal("15.00"))
    business = replace(salon.catalog.business, policies=policies)
    async with session_factory() as session:
        await CatalogRepository(session).save(replace(salon.catalog, business=business))
        await session.commit()
    came = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    absent = (await services.book(salon.booking("Cut", ny(3, 12, 11), customer=1), uow,
                                  NOW)).appointment
    await attendance.check_in(came.id, uow, ny(3, 12, 9, 55))
    swept = await attendance.close_past(uow, ny(3, 12, 12))
    assert swept.no_show == (absent.id,) and swept.completed == (came.id,)
    assert await outbox(session_factory, came.id, "no_show") == []
    [row] = await outbox(session_factory, absent.id, "no_show")
    payload: dict[str, Any] = row.payload
    assert payload["status"] == "no_show" and payload["fee"] == "15.00"
    assert payload["customer_id"] == str(salon.customers[1].id)
    assert {"appointment_id", "business_id", "start", "end", "service", "staff"} <= set(payload)


async def test_outside_busy_time_is_respected_inside_the_transaction(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ana, ben = salon.staff("Ana").id, salon.staff("Ben").id
    google = StaticBusyTimes([BusyInterval(ana, ny(3, 12, 10), ny(3, 12, 11))])
    uow = BookingUnitOfWork(session_factory, busy=google)
    with pytest.raises(SlotUnavailable) as busy:
        await services.book(salon.booking("Cut", ny(3, 12, 10, 30)), uow, NOW)
    assert busy.value.alternatives
    assert all(not ny(3, 12, 9, 5) < a.start < ny(3, 12, 11) for a in busy.value.alternatives)
    anyone = await services.book(salon.booking("Cut", ny(3, 12, 10, 30), staff=None), uow, NOW)
    assert anyone.appointment.staff_id == ben
    plain = BookingUnitOfWork(session_factory)  # no calendar connected: no busy time
    mine = await services.book(salon.booking("Cut", ny(3, 12, 10, 30), customer=1), plain, NOW)
    assert mine.appointment.staff_id == ana


async def test_unpaid_pending_booking_is_released_after_the_window(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await online_deposits(session_factory, salon)
    pending = (await services.book(salon.booking("Colour", ny(3, 12, 10)), uow, NOW)).appointment
    paid = (await services.book(salon.booking("Colour", ny(3, 12, 14), customer=1,
                                              payment_reference="pi_9"), uow, NOW)).appointment
    assert pending.status is Status.PENDING and paid.status is Status.CONFIRMED
    assert (await attendance.expire_unpaid(uow, NOW + 29 * timedelta(minutes=1))).expired == ()
    swept = await attendance.expire_unpaid(uow, NOW + 30 * timedelta(minutes=1))
    assert swept.expired == (pending.id,)
    async with uow:
        gone = await uow.appointments.get(pending.id)
    assert gone.status is Status.CANCELLED and gone.cancellation is not None
    assert gone.cancellation.by is Actor.SYSTEM
    assert gone.cancellation.reason == attendance.PAYMENT_NOT_RECEIVED
    [told] = await outbox(session_factory, pending.id, "cancellation")
    assert told.payload["reason"] == "payment not received" and told.status == "pending"
    assert [r.status for r in await outbox(session_factory, pending.id, "pending_payment")] == [
        "cancelled"]
    again = await services.book(salon.booking("Cut", ny(3, 12, 10), customer=2), uow,
                                NOW + HOUR)
    assert again.appointment.status is Status.CONFIRMED  # the slot is free again


async def test_payment_window_is_set_per_business(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session:
        await session.execute(text(
            "INSERT INTO booking_rules (business_id, max_active_per_customer, require_approval,"
            " hold_minutes, claim_window_minutes, no_show_grace_minutes, payment_window_minutes,"
            " deposits_online) VALUES (:b, 5, false, 5, 120, 15, 120, true)"), {"b": salon.id})
        await session.commit()
    pending = (await services.book(salon.booking("Colour", ny(3, 12, 10)), uow, NOW)).appointment
    assert (await attendance.expire_unpaid(uow, NOW + HOUR)).expired == ()
    assert (await attendance.expire_unpaid(uow, NOW + 2 * HOUR)).expired == (pending.id,)


async def test_a_catalog_change_is_seen_by_the_next_booking(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 9)), uow, NOW)
    ana = salon.staff("Ana")
    away = replace(ana, time_off=(TimeOff(ny(3, 12, 13), ny(3, 12, 17), "dentist"),))
    catalog = replace(salon.catalog, staff=tuple(away if s.id == ana.id else s
                                                 for s in salon.catalog.staff))
    async with session_factory() as session:
        await CatalogRepository(session).save(catalog)
        await session.commit()
    with pytest.raises(SlotUnavailable):
        await services.book(salon.booking("Cut", ny(3, 12, 14), customer=1), uow, NOW)
    taken = await services.book(salon.booking("Cut", ny(3, 12, 14), customer=1, staff=None),
                                uow, NOW)
    assert taken.appointment.staff_id == salon.staff("Ben").id
