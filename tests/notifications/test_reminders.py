"""Reminders: planned from offsets, withdrawn on cancel, moved on reschedule, skipped when
late, and SMS opt-outs honoured."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.notifications.dispatcher import Dispatcher
from scheduling.booking import changes, services
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.messages import describe
from scheduling.booking.model import Actor
from scheduling.notifications.reminders import DEFAULT_OFFSETS, reminder_messages
from scheduling.persistence import optouts_store as optouts
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.notification_tables import DeliveryAttemptRow
from scheduling.persistence.outbox import Outbox, OutboxRow
from scheduling.persistence.reminder_offsets import offsets_for, set_offsets
from tests.booking.booking_builders import NOW, Salon, ny
from tests.notifications.conftest import Clock, Fakes

HOUR = timedelta(hours=1)


def reminder_subjects(fakes: Fakes) -> list[str]:
    return [str(b["subject"]) for b in fakes.sendgrid.ledger.delivered.values()
            if str(b["subject"]).startswith("Reminder")]


async def reminders(factory: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with factory() as session:
        rows = await session.scalars(select(OutboxRow).where(OutboxRow.kind == "reminder"))
        return {row.dedupe_key.rsplit(":", 1)[-1]: row.status for row in rows}


def test_reminder_rows_skip_moments_already_past() -> None:
    appointment, start = uuid4(), ny(3, 12, 10)
    planned = reminder_messages(appointment, start, {"x": 1}, DEFAULT_OFFSETS, NOW)
    assert [(m.due_at, m.dedupe_key) for m in planned] == [
        (start - 24 * HOUR, f"reminder:{appointment}:1440m"),
        (start - HOUR, f"reminder:{appointment}:60m")]
    assert planned[1].payload == {"x": 1, "minutes_before": 60, "hours_before": 1}
    late = reminder_messages(appointment, start, {}, DEFAULT_OFFSETS, start - 2 * HOUR)
    assert [m.dedupe_key.rsplit(":", 1)[-1] for m in late] == ["60m"]


@pytest.mark.db
async def test_offsets_come_from_the_service_else_the_business(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cut, trim = salon.service("Cut").id, salon.service("Trim").id
    async with session_factory() as session:
        assert await offsets_for(session, salon.id, cut) == DEFAULT_OFFSETS
        await set_offsets(session, salon.id, salon.id, [48 * HOUR])
        await set_offsets(session, salon.id, trim, [2 * HOUR, 30 * timedelta(minutes=1)])
        assert await offsets_for(session, salon.id, cut) == (48 * HOUR,)
        assert await offsets_for(session, salon.id, trim) == (2 * HOUR, timedelta(minutes=30))
        await session.commit()


@pytest.mark.db
async def test_cancelled_appointment_gets_no_reminder(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await changes.cancel(CancelAppointment(booked.id, Actor.CUSTOMER, "plans changed"), uow,
                         NOW + HOUR)
    clock.now = ny(3, 12, 9, 30)
    await make_dispatcher().run_once()
    assert await reminders(session_factory) == {"1440m": "cancelled", "60m": "cancelled"}
    assert reminder_subjects(fakes) == []
    cancellation = [b["personalizations"][0]["to"][0]["email"]  # type: ignore[index]
                    for b in fakes.sendgrid.ledger.delivered.values()
                    if str(b["subject"]).startswith("Cancelled")]
    assert sorted(cancellation) == ["customer0@example.com", "owner@salon.example"]


@pytest.mark.db
async def test_rescheduled_appointment_is_reminded_at_its_new_time(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock,
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await changes.reschedule(RescheduleAppointment(booked.id, ny(3, 15, 11)), uow, NOW)
    dispatcher = make_dispatcher()
    clock.now = ny(3, 11, 10, 5)  # the old reminder's moment
    await dispatcher.run_once()
    assert reminder_subjects(fakes) == []
    clock.now = ny(3, 14, 11, 5)
    await dispatcher.run_once()
    assert reminder_subjects(fakes) == [
        "Reminder: Cut in 24 hours, Monday, March 15, 2027 at 11 AM EDT"]


@pytest.mark.db
async def test_after_downtime_a_reminder_past_its_moment_is_skipped_with_a_record(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    clock.now = ny(3, 12, 10, 30)  # down from before the reminder until after the start
    await make_dispatcher().run_once()
    assert await reminders(session_factory) == {"1440m": "cancelled", "60m": "cancelled"}
    assert reminder_subjects(fakes) == []
    async with session_factory() as session:
        skipped = list(await session.scalars(
            select(DeliveryAttemptRow).where(DeliveryAttemptRow.status == "skipped")))
    assert len(skipped) == 2  # the 24 h and the 1 h reminder
    assert all("moment has passed" in (row.error or "") for row in skipped)


@pytest.mark.db
async def test_late_reminders_send_only_the_closest_one(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    async with session_factory() as session:
        payload = describe(booked, salon.catalog)
        await Outbox(session).add(
            reminder_messages(booked.id, booked.start, payload, DEFAULT_OFFSETS, NOW), NOW)
        await session.commit()
    clock.now = ny(3, 12, 9, 30)  # back up after both the 24 h and 1 h moments
    await make_dispatcher().run_once()
    assert reminder_subjects(fakes) == [
        "Reminder: Cut in 1 hour, Friday, March 12, 2027 at 10 AM EST"]
    statuses = await reminders(session_factory)
    assert statuses == {"1440m": "cancelled", "60m": "sent"}


@pytest.mark.db
async def test_sms_honours_stop_and_start(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    phone = salon.customers[0].phone or ""
    await optouts.opt_out(session_factory, phone, NOW)
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    dispatcher = make_dispatcher()
    await dispatcher.run_once()
    assert fakes.twilio.ledger.requests == {}
    await optouts.opt_in(session_factory, phone)
    clock.now = ny(3, 11, 10, 5)
    await dispatcher.run_once()
    assert [b["to"] for b in fakes.twilio.ledger.delivered.values()] == [phone]
    async with session_factory() as session:
        sms = list(await session.scalars(select(DeliveryAttemptRow.status).where(
            DeliveryAttemptRow.channel == "sms").order_by(DeliveryAttemptRow.id)))
    assert sms == ["skipped", "sent"]


@pytest.mark.db
async def test_twilio_unsubscribed_error_records_the_opt_out(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    phone = salon.customers[0].phone or ""
    fakes.twilio.ledger.refuse[phone] = 400
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    await make_dispatcher().run_once()
    async with session_factory() as session:
        assert await optouts.opted_out(session, [phone]) == {phone}
        [row] = await session.scalars(select(OutboxRow).where(OutboxRow.kind == "confirmation"))
    assert row.status == "sent"  # the e-mail went; the SMS is skipped, not retried
