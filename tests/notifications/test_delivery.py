"""The dispatcher over real PostgreSQL and the vendor fakes: sends, retries, failures, alerts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.notifications.audience import AudienceLoader
from assistant.notifications.dispatcher import Dispatcher
from assistant.notifications.render import Renderer
from scheduling.booking import services
from scheduling.booking.messages import describe
from scheduling.persistence.admin_reads import AdminReads
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.delivery_reads import DeliveryReads
from scheduling.persistence.notification_tables import DeliveryAttemptRow
from scheduling.persistence.outbox import OutboxRow
from tests.booking.booking_builders import NOW, Salon, ny
from tests.notifications.conftest import Clock, Fakes

pytestmark = pytest.mark.db


async def outbox(factory: async_sessionmaker[AsyncSession], kind: str) -> list[OutboxRow]:
    async with factory() as session:
        return list(await session.scalars(select(OutboxRow).where(OutboxRow.kind == kind)))


async def attempts(factory: async_sessionmaker[AsyncSession]) -> list[DeliveryAttemptRow]:
    async with factory() as session:
        return list(await session.scalars(select(DeliveryAttemptRow)
                                          .order_by(DeliveryAttemptRow.id)))


async def test_booking_messages_are_sent_once_and_recorded(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow, NOW)
    dispatcher = make_dispatcher()
    handled = await dispatcher.run_once()
    assert handled == 2  # confirmation and owner notice; reminders are not due yet
    assert await dispatcher.run_once() == 0
    emails = fakes.sendgrid.ledger.delivered
    assert sorted(b["personalizations"][0]["to"][0]["email"] for b in emails.values()) == [
        "customer1@example.com", "owner@salon.example"]
    assert len(fakes.twilio.ledger.delivered) == 1  # the confirmation SMS
    rows = await attempts(session_factory)
    assert {(r.channel, r.provider, r.status) for r in rows} == {
        ("email", "sendgrid", "sent"), ("sms", "twilio", "sent")}
    assert all(r.provider_message_id for r in rows)
    sms = next(r for r in rows if r.channel == "sms")
    assert sms.provider_message_id.startswith("SM")
    assert [r.status for r in await outbox(session_factory, "confirmation")] == ["sent"]


async def test_transient_failures_retry_with_backoff_then_succeed(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    fakes.sendgrid.ledger.fail_next(500, 429, 503, 503)  # both e-mails fail twice
    dispatcher = make_dispatcher()
    await dispatcher.run_once()
    assert await dispatcher.run_once() == 0  # nothing due before the backoff
    clock.advance(timedelta(seconds=30))
    await dispatcher.run_once()
    clock.advance(timedelta(seconds=60))
    await dispatcher.run_once()
    rows = await outbox(session_factory, "confirmation")
    assert [(r.status, r.attempts) for r in rows] == [("sent", 3)]
    assert len(fakes.sendgrid.ledger.delivered) == 2
    assert len(fakes.twilio.ledger.delivered) == 1  # SMS went out once, not on every retry


async def test_final_failure_flags_the_appointment_and_alerts_the_owner(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, clock: Clock, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    fakes.sendgrid.ledger.refuse["customer0@example.com"] = 500
    fakes.twilio.ledger.refuse[salon.customers[0].phone or ""] = 503
    dispatcher = make_dispatcher()
    for _ in range(4):
        await dispatcher.run_once()
        clock.advance(timedelta(minutes=5))
    [confirmation] = await outbox(session_factory, "confirmation")
    assert (confirmation.status, confirmation.attempts) == ("failed", 4)
    async with session_factory() as session:
        flag = await session.scalar(text(
            "SELECT confirmation_failed FROM appointments WHERE id = :id"), {"id": booked.id})
    alerts = await AdminReads(session_factory).open_alerts(salon.id)
    assert flag is True
    assert [a.kind for a in alerts] == ["confirmation_failed"]
    [alert] = await outbox(session_factory, "owner_alert")
    assert alert.status == "sent"
    owner_mail = [b for b in fakes.sendgrid.ledger.delivered.values()
                  if "could not be delivered" in str(b["subject"])]
    assert len(owner_mail) == 1


async def test_a_refused_request_fails_without_retrying(
    salon: Salon, uow: BookingUnitOfWork, make_dispatcher: Callable[..., Dispatcher],
    fakes: Fakes, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    fakes.sendgrid.ledger.refuse["customer0@example.com"] = 400
    await make_dispatcher().run_once()
    [confirmation] = await outbox(session_factory, "confirmation")
    assert (confirmation.status, confirmation.attempts) == ("failed", 1)


async def test_a_video_link_added_after_booking_is_read_at_send_time(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    result = await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow, NOW)
    appointment = result.appointment
    link = "https://meet.google.com/abc-defg-hij"
    async with session_factory() as session, session.begin():  # as calendar_sync saves it
        await session.execute(update(AppointmentRow).where(AppointmentRow.id == appointment.id)
                              .values(meeting_link=link))
    payload = describe(appointment, salon.catalog) | {"location_type": "virtual"}
    async with session_factory() as session:
        loader = AudienceLoader(DeliveryReads(session))
        found = await loader.load("reminder", payload, appointment.id)
    assert found.meeting_link == link
    reminder = Renderer("secret", "https://booking.example").render("reminder", payload, found,
                                                                    NOW)
    assert f"Online: {link}" in reminder.text
