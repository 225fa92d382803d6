"""Two-way sync: Google pushes to the gateway's webhook, incremental sync applies the change.

The gateway routes run on 127.0.0.1 with the calendar services pointed at the fake, which
sends its notifications there as Google would."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendar_sync.connections import Connection, ConnectionStore
from calendar_sync.service import CalendarServices, disconnect, work_once
from scheduling.booking import services as booking
from scheduling.booking.model import Appointment
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.calendar_tables import CalendarEventLinkRow, CalendarSyncStateRow
from scheduling.persistence.outbox import OutboxRow
from tests.booking.booking_builders import NOW, Salon, ny
from tests.calendar_sync.conftest import connect_staff
from tests.fakes.google_calendar import FakeGoogle, rfc3339

pytestmark = pytest.mark.db
ANA = "ana@example.com"


@pytest.fixture
async def ana(google: FakeGoogle, store: ConnectionStore, salon: Salon,
              calendar: CalendarServices) -> Connection:
    connection = await connect_staff(google, store, salon, "Ana", ANA)
    await calendar.channels.watch(connection, NOW)
    await calendar.sync.sync(connection, NOW)
    return connection


async def booked_with_event(salon: Salon, calendar: CalendarServices,
                            factory: async_sessionmaker[AsyncSession]) -> Appointment:
    uow = BookingUnitOfWork(factory)
    appointment = (await booking.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await work_once(calendar, NOW)
    return appointment


async def test_owner_event_blocks_time_as_soon_as_google_pushes(
    google: FakeGoogle, calendar: CalendarServices, ana: Connection
) -> None:
    day = ny(3, 15, 0)
    assert await calendar.busy.busy_times([ana.staff_id], day, day + timedelta(1)) == []
    google.state.put(ANA, {"start": {"dateTime": rfc3339(ny(3, 15, 14))},
                           "end": {"dateTime": rfc3339(ny(3, 15, 15))}})
    assert await google.push(ANA) == [200]
    busy = await calendar.busy.busy_times([ana.staff_id], day, day + timedelta(1))
    assert [(b.start, b.end) for b in busy] == [(ny(3, 15, 14), ny(3, 15, 15))]


async def test_event_deleted_in_google_cancels_as_the_owner(
    google: FakeGoogle, calendar: CalendarServices, ana: Connection, salon: Salon,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    appointment = await booked_with_event(salon, calendar, session_factory)
    google.state.delete(ANA, appointment.id.hex)
    assert await google.push(ANA) == [200]
    async with session_factory() as session:
        row = await session.get(AppointmentRow, appointment.id)
        notice = (await session.scalars(select(OutboxRow).where(
            OutboxRow.appointment_id == appointment.id, OutboxRow.kind == "cancellation"))).one()
    assert row is not None and (row.status, row.cancelled_by) == ("cancelled", "owner")
    assert notice.payload["offer_new_times"] is True
    assert await calendar.events.links.get(appointment.id) is None


async def test_event_moved_in_google_reschedules_the_appointment(
    google: FakeGoogle, calendar: CalendarServices, ana: Connection, salon: Salon,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    appointment = await booked_with_event(salon, calendar, session_factory)
    google.state.move(ANA, appointment.id.hex, ny(3, 16, 11), ny(3, 16, 11, 45))
    assert await google.push(ANA) == [200]
    async with session_factory() as session:
        old = await session.get(AppointmentRow, appointment.id)
    assert old is not None and old.status == "rescheduled" and old.rescheduled_to is not None
    link = await calendar.events.links.get(old.rescheduled_to)
    assert link is not None and link.start == ny(3, 16, 11)
    await work_once(calendar, NOW)  # our own patch echoes back unchanged
    assert await google.push(ANA) == [200]
    async with session_factory() as session:
        new = await session.get(AppointmentRow, old.rescheduled_to)
    assert new is not None and new.status == "confirmed" and new.starts_at == ny(3, 16, 11)


async def test_move_the_rules_refuse_is_noted_not_applied(
    google: FakeGoogle, calendar: CalendarServices, ana: Connection, salon: Salon,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    appointment = await booked_with_event(salon, calendar, session_factory)
    google.state.move(ANA, appointment.id.hex, ny(3, 16, 22), ny(3, 16, 22, 45))
    await google.push(ANA)
    async with session_factory() as session:
        row = await session.get(AppointmentRow, appointment.id)
    assert row is not None and row.status == "confirmed"
    link = await calendar.events.links.get(appointment.id)
    async with session_factory() as session:
        note = (await session.get(CalendarEventLinkRow, appointment.id)).sync_note  # type: ignore[union-attr]
    assert link is not None and link.start == ny(3, 12, 10) and "not applied" in (note or "")


async def test_expired_sync_token_means_a_full_resync(
    google: FakeGoogle, calendar: CalendarServices, ana: Connection,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    google.state.invalidate_sync_tokens()
    assert await google.push(ANA) == [200]
    assert google.count("GET", "/calendars/primary/events") == 3  # connect, 410, full
    async with session_factory() as session:
        state = (await session.scalars(select(CalendarSyncStateRow))).one()
    assert state.sync_token == f"sync-{google.state.seq}"


async def test_unknown_channel_or_token_is_refused(
    google: FakeGoogle, calendar: CalendarServices, ana: Connection
) -> None:
    channel = next(iter(google.state.channels.values()))
    url = calendar.channels.webhook_url
    async with aiohttp.ClientSession() as http:
        for channel_id, token in ((channel["id"], "forged"), ("nope", channel["token"])):
            headers = {"X-Goog-Channel-ID": channel_id, "X-Goog-Channel-Token": token,
                       "X-Goog-Resource-State": "exists"}
            async with http.post(url, headers=headers) as answer:
                assert answer.status == 403
        async with http.post(url) as answer:
            assert answer.status == 400


async def test_channels_renew_before_expiry_and_stop_on_disconnect(
    google: FakeGoogle, calendar: CalendarServices, ana: Connection, store: ConnectionStore
) -> None:
    [old] = list(google.state.channels)
    assert await calendar.channels.renew_due(NOW + timedelta(days=6, hours=13)) == 1
    assert list(google.state.channels) != [old] and len(google.state.channels) == 1
    await disconnect(calendar, ana.staff_id)
    assert google.state.channels == {} and google.state.refresh == {}
    assert (await store.by_staff(ana.staff_id, active_only=False)).status == "disconnected"
