"""What `calendar_sync` keeps about appointments: which Google event is whose, and what it
needs to describe one (status, staff, customer contact, the business's invitation setting).
Stored through the `CalendarStore` port."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from calendar_sync.ports import AppointmentFacts, CalendarStore, EventLink

__all__ = ["AppointmentFacts", "EventLink", "EventLinks"]


class EventLinks:
    def __init__(self, db: CalendarStore) -> None:
        self.db = db

    async def facts(self, appointment_id: UUID) -> AppointmentFacts | None:
        return await self.db.appointment_facts(appointment_id)

    async def get(self, appointment_id: UUID) -> EventLink | None:
        return await self.db.link(appointment_id)

    async def by_event(self, connection_id: UUID, calendar_id: str, event_id: str
                       ) -> EventLink | None:
        return await self.db.link_by_event(connection_id, calendar_id, event_id)

    async def save(self, link: EventLink, now: datetime) -> None:
        """Record the event and, for a virtual visit, put its Meet link on the appointment
        (unless one was given at booking) so confirmations and the API can show it."""
        await self.db.save_link(link, now)

    async def move(self, old: EventLink, appointment_id: UUID, start: datetime, end: datetime,
                   now: datetime) -> EventLink:
        """Point the event at the appointment a move created, with its new times."""
        moved = EventLink(appointment_id, old.connection_id, old.calendar_id, old.event_id,
                          start, end, old.meet_link)
        await self.db.move_link(old.appointment_id, moved, now)
        return moved

    async def note(self, appointment_id: UUID, note: str, now: datetime) -> None:
        """Why a change made in Google could not be applied here (shown to the admin)."""
        await self.db.note_link(appointment_id, note, now)

    async def drop(self, appointment_id: UUID) -> None:
        await self.db.drop_link(appointment_id)
