"""The rows `calendar_sync` keeps about appointments: which Google event is whose, and what it
needs to describe one (status, staff, customer contact, the business's invitation setting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.model import ACTIVE
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.calendar_tables import CalendarEventLinkRow, CalendarSettingsRow
from scheduling.persistence.catalog_tables import CustomerRow


@dataclass(frozen=True, slots=True)
class EventLink:
    appointment_id: UUID
    connection_id: UUID
    calendar_id: str
    event_id: str
    start: datetime
    end: datetime
    meet_link: str | None = None


@dataclass(frozen=True, slots=True)
class AppointmentFacts:
    """What an event says about an appointment beyond the outbox payload."""

    staff_id: UUID
    active: bool
    notes: str
    customer_name: str
    customer_email: str | None
    customer_phone: str | None
    invite_customer: bool


def _link(row: CalendarEventLinkRow) -> EventLink:
    return EventLink(row.appointment_id, row.connection_id, row.calendar_id, row.event_id,
                     row.starts_at, row.ends_at, row.meet_link)


class EventLinks:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def facts(self, appointment_id: UUID) -> AppointmentFacts | None:
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

    async def get(self, appointment_id: UUID) -> EventLink | None:
        async with self.session_factory() as session:
            row = await session.get(CalendarEventLinkRow, appointment_id)
        return _link(row) if row else None

    async def by_event(self, connection_id: UUID, calendar_id: str, event_id: str
                       ) -> EventLink | None:
        query = select(CalendarEventLinkRow).where(
            CalendarEventLinkRow.connection_id == connection_id,
            CalendarEventLinkRow.calendar_id == calendar_id,
            CalendarEventLinkRow.event_id == event_id,
        )
        async with self.session_factory() as session:
            row = (await session.scalars(query)).first()
        return _link(row) if row else None

    async def save(self, link: EventLink, now: datetime) -> None:
        """Record the event and, for a virtual visit, put its Meet link on the appointment
        (unless one was given at booking) so confirmations and the API can show it."""
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
                    .values(meeting_link=link.meet_link)
                )

    async def move(self, old: EventLink, appointment_id: UUID, start: datetime, end: datetime,
                   now: datetime) -> EventLink:
        """Point the event at the appointment a move created, with its new times."""
        async with self.session_factory() as session, session.begin():
            await session.execute(
                update(CalendarEventLinkRow)
                .where(CalendarEventLinkRow.appointment_id == old.appointment_id)
                .values(appointment_id=appointment_id, starts_at=start, ends_at=end,
                        sync_note=None, updated_at=now)
            )
        return EventLink(appointment_id, old.connection_id, old.calendar_id, old.event_id,
                         start, end, old.meet_link)

    async def note(self, appointment_id: UUID, note: str, now: datetime) -> None:
        """Why a change made in Google could not be applied here (shown to the admin)."""
        async with self.session_factory() as session, session.begin():
            await session.execute(
                update(CalendarEventLinkRow)
                .where(CalendarEventLinkRow.appointment_id == appointment_id)
                .values(sync_note=note, updated_at=now)
            )

    async def drop(self, appointment_id: UUID) -> None:
        async with self.session_factory() as session, session.begin():
            await session.execute(delete(CalendarEventLinkRow).where(
                CalendarEventLinkRow.appointment_id == appointment_id
            ))
