"""`CalendarStore` on PostgreSQL: every SQL statement of `calendar_sync`, each in its own short
transaction, returning the frozen values of `calendar_sync.ports`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendar_sync.config import GoogleConfig
from calendar_sync.ports import (
    AppointmentFacts,
    Channel,
    Connection,
    Deliver,
    DueEvent,
    EventLink,
)
from calendar_sync.service import CalendarServices, build
from scheduling.booking.model import ACTIVE
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.calendar_tables import (
    CalendarChannelRow,
    CalendarConnectionRow,
    CalendarEventLinkRow,
    CalendarSettingsRow,
    CalendarSyncStateRow,
)
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.outbox import OutboxRow


def _connection(row: CalendarConnectionRow) -> Connection:
    return Connection(row.id, row.staff_id, tuple(row.calendar_ids), row.event_calendar_id,
                      row.status, row.busy_version, row.account_email, row.last_error)


def _channel(row: CalendarChannelRow) -> Channel:
    return Channel(row.id, row.connection_id, row.calendar_id, row.resource_id, row.token,
                   row.expires_at)


def _link(row: CalendarEventLinkRow) -> EventLink:
    return EventLink(row.appointment_id, row.connection_id, row.calendar_id, row.event_id,
                     row.starts_at, row.ends_at, row.meet_link)


class SqlCalendarStore:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def _write(self, *statements: object) -> None:
        async with self.session_factory() as session, session.begin():
            for statement in statements:
                await session.execute(statement)  # type: ignore[call-overload]

    async def save_connection(self, staff_id: UUID, sealed: str, now: datetime,
                              account_email: str | None, calendar_ids: Sequence[str]) -> None:
        values = {
            "account_email": account_email, "calendar_ids": list(calendar_ids),
            "event_calendar_id": calendar_ids[0], "token_cipher": sealed,
            "status": "active", "last_error": None, "updated_at": now,
        }
        await self._write(insert(CalendarConnectionRow).values(
            id=uuid4(), staff_id=staff_id, busy_version=0, created_at=now, **values
        ).on_conflict_do_update(index_elements=["staff_id"], set_=values))

    async def connections(self, staff_ids: Sequence[UUID], active_only: bool
                          ) -> list[Connection]:
        query = select(CalendarConnectionRow).where(
            CalendarConnectionRow.staff_id.in_(list(staff_ids)))
        if active_only:
            query = query.where(CalendarConnectionRow.status == "active")
        async with self.session_factory() as session:
            return [_connection(row) for row in (await session.scalars(query)).all()]

    async def connection(self, connection_id: UUID) -> Connection | None:
        async with self.session_factory() as session:
            row = await session.get(CalendarConnectionRow, connection_id)
            return _connection(row) if row else None

    async def sealed_tokens(self, connection_id: UUID) -> str | None:
        async with self.session_factory() as session:
            return await session.scalar(select(CalendarConnectionRow.token_cipher)
                                        .where(CalendarConnectionRow.id == connection_id))

    async def _update_connection(self, connection_id: UUID, **values: object) -> None:
        await self._write(update(CalendarConnectionRow)
                          .where(CalendarConnectionRow.id == connection_id)
                          .values(updated_at=func.now(), **values))

    async def set_tokens(self, connection_id: UUID, sealed: str) -> None:
        await self._update_connection(connection_id, token_cipher=sealed)

    async def set_status(self, connection_id: UUID, status: str, error: str | None) -> None:
        await self._update_connection(connection_id, status=status, last_error=error)

    async def bump_busy_version(self, connection_id: UUID) -> None:
        await self._update_connection(connection_id,
                                      busy_version=CalendarConnectionRow.busy_version + 1)

    async def add_channel(self, channel: Channel) -> None:
        async with self.session_factory() as session, session.begin():
            session.add(CalendarChannelRow(
                id=channel.id, connection_id=channel.connection_id,
                calendar_id=channel.calendar_id, resource_id=channel.resource_id,
                token=channel.token, expires_at=channel.expires_at))

    async def channel(self, channel_id: str) -> Channel | None:
        async with self.session_factory() as session:
            row = await session.get(CalendarChannelRow, channel_id)
            return _channel(row) if row else None

    async def _channels(self, *conditions: object) -> list[Channel]:
        async with self.session_factory() as session:
            query = select(CalendarChannelRow).where(*conditions)  # type: ignore[arg-type]
            return [_channel(row) for row in await session.scalars(query)]

    async def channels_expiring_before(self, moment: datetime) -> list[Channel]:
        return await self._channels(CalendarChannelRow.expires_at < moment)

    async def channels_of(self, connection_id: UUID) -> list[Channel]:
        return await self._channels(CalendarChannelRow.connection_id == connection_id)

    async def drop_channel(self, channel_id: str) -> None:
        await self._write(delete(CalendarChannelRow).where(CalendarChannelRow.id == channel_id))

    async def appointment_facts(self, appointment_id: UUID) -> AppointmentFacts | None:
        query = (
            select(AppointmentRow, CustomerRow, CalendarSettingsRow.invite_customer)
            .outerjoin(CustomerRow, CustomerRow.id == AppointmentRow.customer_id)
            .outerjoin(CalendarSettingsRow,
                       CalendarSettingsRow.business_id == AppointmentRow.business_id)
            .where(AppointmentRow.id == appointment_id)
        )
        async with self.session_factory() as session:
            found = (await session.execute(query)).first()
            if found is None:
                return None
            row, customer, invite = found
            return AppointmentFacts(
                row.staff_id, row.status in ACTIVE, row.notes,
                customer.name if customer else "", customer.email if customer else None,
                customer.phone if customer else None, bool(invite),
            )

    async def link(self, appointment_id: UUID) -> EventLink | None:
        async with self.session_factory() as session:
            row = await session.get(CalendarEventLinkRow, appointment_id)
            return _link(row) if row else None

    async def link_by_event(self, connection_id: UUID, calendar_id: str, event_id: str
                            ) -> EventLink | None:
        query = select(CalendarEventLinkRow).where(
            CalendarEventLinkRow.connection_id == connection_id,
            CalendarEventLinkRow.calendar_id == calendar_id,
            CalendarEventLinkRow.event_id == event_id,
        )
        async with self.session_factory() as session:
            row = (await session.scalars(query)).first()
            return _link(row) if row else None

    async def save_link(self, link: EventLink, now: datetime) -> None:
        async with self.session_factory() as session, session.begin():
            await session.merge(CalendarEventLinkRow(
                appointment_id=link.appointment_id, connection_id=link.connection_id,
                calendar_id=link.calendar_id, event_id=link.event_id, starts_at=link.start,
                ends_at=link.end, meet_link=link.meet_link, updated_at=now,
            ))
            if link.meet_link:
                await session.execute(
                    update(AppointmentRow)
                    .where(AppointmentRow.id == link.appointment_id,
                           AppointmentRow.meeting_link.is_(None))
                    .values(meeting_link=link.meet_link))

    async def move_link(self, old_appointment_id: UUID, link: EventLink, now: datetime
                        ) -> None:
        await self._write(update(CalendarEventLinkRow)
                          .where(CalendarEventLinkRow.appointment_id == old_appointment_id)
                          .values(appointment_id=link.appointment_id, starts_at=link.start,
                                  ends_at=link.end, sync_note=None, updated_at=now))

    async def note_link(self, appointment_id: UUID, note: str, now: datetime) -> None:
        await self._write(update(CalendarEventLinkRow)
                          .where(CalendarEventLinkRow.appointment_id == appointment_id)
                          .values(sync_note=note, updated_at=now))

    async def drop_link(self, appointment_id: UUID) -> None:
        await self._write(delete(CalendarEventLinkRow)
                          .where(CalendarEventLinkRow.appointment_id == appointment_id))

    async def sync_token(self, connection_id: UUID, calendar_id: str) -> str | None:
        async with self.session_factory() as session:
            row = await session.get(CalendarSyncStateRow, (connection_id, calendar_id))
            return row.sync_token if row else None

    async def save_sync_token(self, connection_id: UUID, calendar_id: str, token: str | None,
                              now: datetime) -> None:
        values = {"sync_token": token, "synced_at": now}
        await self._write(insert(CalendarSyncStateRow).values(
            connection_id=connection_id, calendar_id=calendar_id, **values
        ).on_conflict_do_update(index_elements=["connection_id", "calendar_id"], set_=values))

    async def deliver_due(self, kind: str, now: datetime, batch: int, deliver: Deliver) -> int:
        query = (
            select(OutboxRow)
            .where(OutboxRow.kind == kind, OutboxRow.status == "pending", OutboxRow.due_at <= now)
            .order_by(OutboxRow.created_at, OutboxRow.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        async with self.session_factory() as session, session.begin():
            rows = list(await session.scalars(query))
            for row in rows:
                row.attempts += 1
                outcome = await deliver(DueEvent(row.id, dict(row.payload), row.attempts,
                                                 row.appointment_id))
                row.status, row.last_error = outcome.status, outcome.last_error
                if outcome.due_at is not None:
                    row.due_at = outcome.due_at
        return len(rows)


def build_on(session_factory: async_sessionmaker[AsyncSession], config: GoogleConfig,
             token_key: str, public_url: str, **options: Any) -> CalendarServices:
    """The calendar services on PostgreSQL: what a composition root calls (`options` as for
    `calendar_sync.service.build`)."""
    return build(SqlCalendarStore(session_factory), lambda: BookingUnitOfWork(session_factory),
                 config, token_key, public_url, **options)
