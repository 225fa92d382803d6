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

from calendar_sync.connections import ConnectionStore
from calendar_sync.errors import CalendarError, EventGone, UnknownChannel
from calendar_sync.ports import Channel, Connection

log = logging.getLogger(__name__)
RENEW_BEFORE = timedelta(hours=12)


class Channels:
    def __init__(
        self, store: ConnectionStore, webhook_url: str, lifetime: timedelta = timedelta(days=7)
    ) -> None:
        self.store = store
        self.db = store.db
        self.webhook_url = webhook_url
        self.lifetime = lifetime

    async def watch(self, connection: Connection, now: datetime) -> list[Channel]:
        """Open one channel per calendar of `connection`."""
        return [await self._open(connection, calendar_id, now)
                for calendar_id in connection.calendar_ids]

    async def _open(self, connection: Connection, calendar_id: str, now: datetime
                    ) -> Channel:
        body = {"id": uuid.uuid4().hex, "type": "web_hook", "address": self.webhook_url,
                "token": secrets.token_urlsafe(32),
                "expiration": str(int((now + self.lifetime).timestamp() * 1000))}
        answer = await self.store.use(connection, lambda api: api.watch(calendar_id, body))
        expires = datetime.fromtimestamp(int(answer["expiration"]) / 1000, UTC)
        channel = Channel(body["id"], connection.id, calendar_id, answer["resourceId"],
                          body["token"], expires)
        await self.db.add_channel(channel)
        return channel

    async def verify(self, channel_id: str, token: str) -> Channel:
        row = await self.db.channel(channel_id)
        if row is None or not hmac.compare_digest(row.token.encode(), token.encode()):
            raise UnknownChannel(f"no channel {channel_id!r} with that token")
        return row

    async def renew_due(self, now: datetime, before: timedelta = RENEW_BEFORE) -> int:
        """Replace channels expiring within `before`; a broken connection's are left to lapse."""
        due = await self.db.channels_expiring_before(now + before)
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
        for row in await self.db.channels_of(connection.id):
            await self._stop(connection, row)

    async def _stop(self, connection: Connection, row: Channel) -> None:
        """Stop at Google (an unknown or expired channel is already stopped) and forget it."""
        try:
            await self.store.use(connection, lambda api: api.stop_channel(row.id, row.resource_id))
        except EventGone:
            log.info("channel %s was already gone at Google", row.id)
        await self.db.drop_channel(row.id)
