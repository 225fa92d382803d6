"""Everything `calendar_sync` offers, built once at start-up from its configuration.

The composition root (the gateway, the CLI, the bench) calls `build` and keeps the result;
nothing here is made at import time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from calendar_sync.busy import BusyCache, GoogleBusyTimes
from calendar_sync.channels import Channels
from calendar_sync.config import GoogleConfig
from calendar_sync.connections import ConnectionStore
from calendar_sync.crypto import TokenCipher
from calendar_sync.errors import CalendarError
from calendar_sync.event_links import EventLinks
from calendar_sync.events import EventContext, Links, handle_calendar_outbox, no_links
from calendar_sync.oauth import revoke_grant
from calendar_sync.ports import CalendarStore
from calendar_sync.sync import CalendarSync
from calendar_sync.worker import run_due
from scheduling.persistence.booking_uow import BookingUnitOfWork

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/webhooks/google/calendar"
CALLBACK_PATH = "/oauth/google/callback"


@dataclass(frozen=True)
class CalendarServices:
    config: GoogleConfig
    cipher: TokenCipher
    store: ConnectionStore
    busy: GoogleBusyTimes
    channels: Channels
    sync: CalendarSync
    events: EventContext
    public_url: str
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    """What "now" is for requests that arrive without one (Google's pushes, OAuth callbacks)."""

    @property
    def redirect_uri(self) -> str:
        return self.public_url.rstrip("/") + CALLBACK_PATH

    async def handle(self, payload: Mapping[str, Any], now: datetime) -> str:
        """The outbox handler with this configuration bound (for a dispatcher's registry)."""
        return await handle_calendar_outbox(payload, self.events, now)


def build(
    db: CalendarStore, booking_uow: Callable[[], BookingUnitOfWork], config: GoogleConfig,
    token_key: str, public_url: str, manage_links: Links = no_links,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CalendarServices:
    """`db` keeps calendar_sync's rows; `booking_uow` opens the booking transactions that
    changes made in Google go through."""
    cipher = TokenCipher(token_key)
    store = ConnectionStore(db, cipher, config)
    cache = BusyCache()
    links = EventLinks(db)
    channels = Channels(store, public_url.rstrip("/") + WEBHOOK_PATH)
    sync = CalendarSync(store, links, channels, cache, booking_uow)
    return CalendarServices(config, cipher, store, GoogleBusyTimes(store, cache), channels, sync,
                            EventContext(store, links, manage_links), public_url, clock)


async def work_once(services: CalendarServices, now: datetime) -> int:
    """One round of background work: due calendar events, then channels near expiry."""
    handled = await run_due(services.store.db, services.handle, now)
    await services.channels.renew_due(now)
    return handled


async def run_forever(services: CalendarServices, every: timedelta = timedelta(seconds=15)
                      ) -> None:
    """The background loop the gateway runs; one failed round is logged, not fatal."""
    while True:
        try:
            await work_once(services, services.clock())
        except (CalendarError, OSError) as error:
            log.warning("calendar work round failed: %s", error)
        await asyncio.sleep(every.total_seconds())


async def disconnect(services: CalendarServices, staff_id: UUID) -> None:
    """Stop the channels, revoke the grant at Google, and mark the connection disconnected."""
    connection = await services.store.by_staff(staff_id, active_only=False)
    try:
        await services.channels.stop_all(connection)
    except CalendarError as error:
        log.warning("channels of %s not stopped at Google (they will lapse): %s", staff_id, error)
    credentials = await services.store.credentials(connection.id)
    await asyncio.to_thread(revoke_grant, services.config, credentials)
    await services.store.mark(connection.id, "disconnected", None)
