"""Booking, moving and cancelling become Google events through the outbox, Meet links included,
and a booking made while Google is down gets its event when Google is back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendar_sync.connections import ConnectionStore
from calendar_sync.event_links import EventLinks
from calendar_sync.events import EventContext, handle_calendar_outbox
from calendar_sync.store import SqlCalendarStore
from calendar_sync.worker import RetrySchedule, run_due
from scheduling.booking import changes, services
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor, Appointment
from scheduling.catalog import LocationType, Service
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.calendar_tables import CalendarSettingsRow
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.outbox import OutboxRow
from tests.booking.booking_builders import NOW, Salon, build_salon, ny, save_salon
from tests.calendar_sync.conftest import connect_staff
from tests.fakes.google_calendar import FakeGoogle

pytestmark = pytest.mark.db
ANA = "ana@example.com"


@pytest.fixture
async def salon(
    session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> Salon:
    """The test salon plus a virtual consultation."""
    built = build_salon()
    virtual = Service(uuid4(), "Video consult", timedelta(minutes=30), Decimal("40"),
                      required_skills=frozenset({"cut"}), location_type=LocationType.VIRTUAL,
                      min_notice=timedelta(hours=2), max_advance_days=90)
    catalog = replace(built.catalog, services=(*built.catalog.services, virtual))
    salon = Salon(catalog, built.customers)
    await save_salon(session_factory, salon)
    return salon


@pytest.fixture
def context(store: ConnectionStore, session_factory: async_sessionmaker[AsyncSession]
            ) -> EventContext:
    return EventContext(store, EventLinks(SqlCalendarStore(session_factory)),
                        lambda a: {"cancel": f"https://b.example/c/{a}"})


async def deliver(factory: async_sessionmaker[AsyncSession], context: EventContext,
                  now: object = NOW) -> int:
    async def handle(payload: object, at: object) -> str:
        return await handle_calendar_outbox(payload, context, at)  # type: ignore[arg-type]
    return await run_due(SqlCalendarStore(factory), handle, now, schedule=RetrySchedule())  # type: ignore[arg-type]


async def book(factory: async_sessionmaker[AsyncSession], salon: Salon, service: str,
               start: datetime, staff: str = "Ana") -> Appointment:
    uow = BookingUnitOfWork(factory)
    return (await services.book(salon.booking(service, start, staff=staff), uow, NOW)).appointment


async def calendar_rows(factory: async_sessionmaker[AsyncSession]) -> list[OutboxRow]:
    async with factory() as session:
        query = select(OutboxRow).where(OutboxRow.kind == "calendar_event")
        return list(await session.scalars(query.order_by(OutboxRow.created_at)))


async def test_booking_creates_an_event_with_details(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, context: EventContext,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await connect_staff(google, store, salon, "Ana", ANA)
    booked = await book(session_factory, salon, "Cut", ny(3, 12, 10))
    assert await deliver(session_factory, context) == 1
    event = google.state.calendars[ANA][booked.id.hex]
    assert event["summary"] == "Cut: Customer 0" and event["location"] == "1 Main St"
    assert salon.customers[0].phone in event["description"]
    assert f"https://b.example/c/{booked.id}" in event["description"]
    assert datetime.fromisoformat(event["start"]["dateTime"]) == ny(3, 12, 10)
    assert "conferenceData" not in event and "attendees" not in event
    assert [r.status for r in await calendar_rows(session_factory)] == ["sent"]


async def test_virtual_booking_gets_a_meet_link_on_the_appointment(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, context: EventContext,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await connect_staff(google, store, salon, "Ana", ANA)
    booked = await book(session_factory, salon, "Video consult", ny(3, 12, 11))
    await deliver(session_factory, context)
    event = google.state.calendars[ANA][booked.id.hex]
    assert event["hangoutLink"].startswith("https://meet.google.com/")
    link = await context.links.get(booked.id)
    async with session_factory() as session:
        row = await session.get(AppointmentRow, booked.id)
    assert link is not None and row is not None
    assert link.meet_link == row.meeting_link == event["hangoutLink"]


async def test_invited_customer_is_an_attendee(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, context: EventContext,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await connect_staff(google, store, salon, "Ana", ANA)
    async with session_factory() as session, session.begin():
        session.add(CalendarSettingsRow(business_id=salon.id, invite_customer=True))
        await session.execute(update(CustomerRow).where(CustomerRow.id == salon.customers[0].id)
                              .values(email="c0@example.com"))
    booked = await book(session_factory, salon, "Cut", ny(3, 12, 10))
    await deliver(session_factory, context)
    event = google.state.calendars[ANA][booked.id.hex]
    assert event["attendees"] == [{"email": "c0@example.com", "displayName": "Customer 0"}]


async def test_move_patches_the_event_and_cancel_deletes_it(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, context: EventContext,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await connect_staff(google, store, salon, "Ana", ANA)
    uow = BookingUnitOfWork(session_factory)
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await deliver(session_factory, context)
    moved = await changes.reschedule(RescheduleAppointment(booked.id, ny(3, 15, 14)), uow, NOW)
    await deliver(session_factory, context)
    event = google.state.calendars[ANA][booked.id.hex]
    assert datetime.fromisoformat(event["start"]["dateTime"]) == ny(3, 15, 14)
    link = await context.links.get(moved.new.id)
    assert link is not None and link.event_id == booked.id.hex
    await changes.cancel(CancelAppointment(moved.new.id, Actor.OWNER), uow, NOW)
    await deliver(session_factory, context)
    assert event["status"] == "cancelled" and await context.links.get(moved.new.id) is None
    assert {r.status for r in await calendar_rows(session_factory)} == {"sent"}
    assert len(google.state.calendars[ANA]) == 1


async def test_google_down_never_blocks_a_booking_and_the_event_catches_up(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, context: EventContext,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await connect_staff(google, store, salon, "Ana", ANA)
    google.fail_next(503, 100)
    booked = await book(session_factory, salon, "Cut", ny(3, 12, 10))
    await deliver(session_factory, context)
    [row] = await calendar_rows(session_factory)
    assert (row.status, row.attempts) == ("pending", 1) and row.due_at > NOW
    assert "503" in (row.last_error or "")
    assert await deliver(session_factory, context) == 0  # not due yet
    google.failures.clear()
    assert await deliver(session_factory, context, row.due_at) == 1
    [row] = await calendar_rows(session_factory)
    assert row.status == "sent" and booked.id.hex in google.state.calendars[ANA]


async def test_unconnected_staff_and_cancelled_before_delivery_are_skipped(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, context: EventContext,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    uow = BookingUnitOfWork(session_factory)
    await services.book(salon.booking("Cut", ny(3, 12, 10), staff="Ben"), uow, NOW)
    await connect_staff(google, store, salon, "Ana", ANA)
    gone = (await services.book(salon.booking("Cut", ny(3, 12, 14)), uow, NOW)).appointment
    await changes.cancel(CancelAppointment(gone.id, Actor.OWNER), uow, NOW)
    assert await deliver(session_factory, context) == 3
    assert google.state.calendars[ANA] == {}
    assert {r.status for r in await calendar_rows(session_factory)} == {"sent"}
