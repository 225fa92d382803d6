"""Changes made in Google, applied here: push notification, then incremental sync.

A notification first bumps the connection's `busy_version` (every busy-time cache drops that
calendar at once, so a new or moved owner event blocks booking immediately), then lists what
changed since the stored sync token (a 410 means a full resync). Among the changes, the events
of our own appointments are applied through the booking services, as the owner: deleted in
Google cancels the appointment (the customer is told and offered new times), moved in Google
reschedules it. A move the booking rules refuse is noted on the event link for the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from calendar_sync.busy import BusyCache
from calendar_sync.channels import Channels
from calendar_sync.connections import Connection, ConnectionStore
from calendar_sync.errors import SyncTokenExpired
from calendar_sync.event_links import EventLink, EventLinks
from calendar_sync.google_api import CalendarApi, Json
from scheduling.booking import changes
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor
from scheduling.errors import DomainError
from scheduling.persistence.booking_uow import BookingUnitOfWork

log = logging.getLogger(__name__)
FULL_SYNC_FROM = timedelta(days=1)


class CalendarSync:
    def __init__(
        self, store: ConnectionStore, links: EventLinks, channels: Channels, cache: BusyCache,
        booking_uow: Callable[[], BookingUnitOfWork],
    ) -> None:
        self.store, self.links, self.channels, self.cache = store, links, channels, cache
        self.booking_uow = booking_uow

    async def on_push(self, channel_id: str, token: str, state: str, now: datetime) -> str:
        """Handle one notification; `UnknownChannel` if id and token are not ours."""
        channel = await self.channels.verify(channel_id, token)
        await self.store.bump_version(channel.connection_id)
        self.cache.drop(channel.connection_id)
        connection = await self.store.get(channel.connection_id)
        if state == "sync" or channel.calendar_id != connection.event_calendar_id:
            return "busy time refreshed"
        applied = await self.sync(connection, now)
        return f"synced {applied} booking change(s)"

    async def sync(self, connection: Connection, now: datetime) -> int:
        """Incremental sync of the events calendar; returns how many bookings changed."""
        calendar_id = connection.event_calendar_id
        token = await self._token(connection, calendar_id)
        since = (now - FULL_SYNC_FROM).isoformat()
        try:
            items, next_token = await self.store.use(
                connection, lambda api: _changes(api, calendar_id, token, since))
        except SyncTokenExpired:
            log.info("sync token of %s expired: full resync", connection.id)
            items, next_token = await self.store.use(
                connection, lambda api: _changes(api, calendar_id, None, since))
        applied = 0
        for item in items:
            applied += await self._apply(connection, calendar_id, item, now)
        await self._save_token(connection, calendar_id, next_token, now)
        return applied

    async def _apply(self, connection: Connection, calendar_id: str, item: Json,
                     now: datetime) -> int:
        link = await self.links.by_event(connection.id, calendar_id, item["id"])
        if link is None:
            return 0
        if item.get("status") == "cancelled":
            return await self._cancel(link, now)
        start = item.get("start", {}).get("dateTime")
        if start is None:
            await self.links.note(link.appointment_id, "moved to an all-day event", now)
            return 0
        if datetime.fromisoformat(start.replace("Z", "+00:00")) == link.start:
            return 0
        return await self._move(link, datetime.fromisoformat(start.replace("Z", "+00:00")), now)

    async def _cancel(self, link: EventLink, now: datetime) -> int:
        command = CancelAppointment(link.appointment_id, Actor.OWNER,
                                    "event deleted in Google Calendar")
        try:
            await changes.cancel(command, self.booking_uow(), now)
        except DomainError as error:
            log.info("appointment %s not cancelled: %s", link.appointment_id, error)
            await self.links.drop(link.appointment_id)
            return 0
        await self.links.drop(link.appointment_id)
        return 1

    async def _move(self, link: EventLink, start: datetime, now: datetime) -> int:
        command = RescheduleAppointment(link.appointment_id, start, by=Actor.OWNER,
                                        reason="event moved in Google Calendar")
        try:
            result = await changes.reschedule(command, self.booking_uow(), now)
        except DomainError as error:
            await self.links.note(link.appointment_id, f"move to {start} not applied: {error}",
                                  now)
            return 0
        await self.links.move(link, result.new.id, result.new.start, result.new.end, now)
        return 1

    async def _token(self, connection: Connection, calendar_id: str) -> str | None:
        return await self.store.db.sync_token(connection.id, calendar_id)

    async def _save_token(self, connection: Connection, calendar_id: str, token: str | None,
                          now: datetime) -> None:
        await self.store.db.save_sync_token(connection.id, calendar_id, token, now)


def _changes(api: CalendarApi, calendar_id: str, token: str | None, since: str
             ) -> tuple[list[Any], str | None]:
    """Every page of changes, and the token to resume from next time."""
    items: list[Any] = []
    page: str | None = None
    while True:
        answer = api.list_events(calendar_id, token, page, since)
        items += answer.get("items", [])
        page = answer.get("nextPageToken")
        if not page:
            return items, answer.get("nextSyncToken")
