"""Push channels (`events.watch`) on connected calendars: opened on connect, renewed before
Google expires them, stopped on disconnect, and checked on every notification.

Each channel gets its own random token, which Google echoes in `X-Goog-Channel-Token`: a
notification is believed only if id and token match a channel we opened.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendar_sync.connections import Connection, ConnectionStore
from calendar_sync.errors import CalendarError, EventGone, UnknownChannel
from scheduling.persistence.calendar_tables import CalendarChannelRow

log = logging.getLogger(__name__)
RENEW_BEFORE = timedelta(hours=12)


class Channels:
    def __init__(
        self, store: ConnectionStore, webhook_url: str, lifetime: timedelta = timedelta(days=7)
    ) -> None:
        self.store = store
        self.factory: async_sessionmaker[AsyncSession] = store.session_factory
        self.webhook_url = webhook_url
        self.lifetime = lifetime

    async def watch(self, connection: Connection, now: datetime) -> list[CalendarChannelRow]:
        """Open one channel per calendar of `connection`."""
        return [await self._open(connection, calendar_id, now)
                for calendar_id in connection.calendar_ids]

    async def _open(self, connection: Connection, calendar_id: str, now: datetime
                    ) -> CalendarChannelRow:
        body = {"id": uuid.uuid4().hex, "type": "web_hook", "address": self.webhook_url,
                "token": secrets.token_urlsafe(32),
                "expiration": str(int((now + self.lifetime).timestamp() * 1000))}
        answer = await self.store.use(connection, lambda api: api.watch(calendar_id, body))
        expires = datetime.fromtimestamp(int(answer["expiration"]) / 1000, UTC)
        row = CalendarChannelRow(id=body["id"], connection_id=connection.id,
                                 calendar_id=calendar_id, resource_id=answer["resourceId"],
                                 token=body["token"], expires_at=expires)
        async with self.factory() as session, session.begin():
            session.add(row)
        return row

    async def verify(self, channel_id: str, token: str) -> CalendarChannelRow:
        async with self.factory() as session:
            row = await session.get(CalendarChannelRow, channel_id)
        if row is None or not hmac.compare_digest(row.token.encode(), token.encode()):
            raise UnknownChannel(f"no channel {channel_id!r} with that token")
        return row

    async def renew_due(self, now: datetime, before: timedelta = RENEW_BEFORE) -> int:
        """Replace channels expiring within `before`; a broken connection's are left to lapse."""
        query = select(CalendarChannelRow).where(CalendarChannelRow.expires_at < now + before)
        async with self.factory() as session:
            due = list(await session.scalars(query))
        renewed = 0
        for row in due:
            connection = await self.store.get(row.connection_id)
            try:
                if connection.status == "active":
                    await self._open(connection, row.calendar_id, now)
                    renewed += 1
                await self._stop(connection, row)
            except CalendarError as error:
                log.warning("channel %s not renewed: %s", row.id, error)
        return renewed

    async def stop_all(self, connection: Connection) -> None:
        async with self.factory() as session:
            rows = list(await session.scalars(select(CalendarChannelRow).where(
                CalendarChannelRow.connection_id == connection.id)))
        for row in rows:
            await self._stop(connection, row)

    async def _stop(self, connection: Connection, row: CalendarChannelRow) -> None:
        """Stop at Google (an unknown or expired channel is already stopped) and forget it."""
        try:
            await self.store.use(connection, lambda api: api.stop_channel(row.id, row.resource_id))
        except EventGone:
            log.info("channel %s was already gone at Google", row.id)
        async with self.factory() as session, session.begin():
            await session.execute(delete(CalendarChannelRow).where(CalendarChannelRow.id == row.id))
