"""Connected Google accounts: stored with encrypted tokens, used through `ConnectionStore.use`.

`use` is the one way to talk to Google for a connection: it decrypts the tokens, runs the
synchronous client in a thread, saves a refreshed access token, and records a revoked or broken
grant on the connection (status + error, for the admin dashboard) instead of letting it stop
anything else.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

from google.oauth2.credentials import Credentials

from calendar_sync.config import SCOPES, GoogleConfig
from calendar_sync.crypto import TokenCipher
from calendar_sync.errors import ConnectionBroken
from calendar_sync.google_api import CalendarApi
from calendar_sync.ports import CalendarStore, Connection
from scheduling.errors import NotFound

log = logging.getLogger(__name__)
T = TypeVar("T")
__all__ = ["Connection", "ConnectionStore"]


class ConnectionStore:
    def __init__(self, db: CalendarStore, cipher: TokenCipher, config: GoogleConfig) -> None:
        self.db = db
        self.cipher = cipher
        self.config = config

    async def save(
        self, staff_id: UUID, credentials: Credentials, now: datetime,
        account_email: str | None = None, calendar_ids: Sequence[str] = ("primary",),
    ) -> Connection:
        """Connect (or reconnect) a staff member; events go to the first calendar."""
        await self.db.save_connection(staff_id, self._seal(credentials), now, account_email,
                                      calendar_ids)
        return await self.by_staff(staff_id, active_only=False)

    async def by_staff(self, staff_id: UUID, active_only: bool = True) -> Connection:
        found = await self.for_staff([staff_id], active_only)
        if not found:
            raise NotFound("calendar connection", staff_id)
        return found[0]

    async def for_staff(
        self, staff_ids: Sequence[UUID], active_only: bool = True
    ) -> list[Connection]:
        return await self.db.connections(staff_ids, active_only)

    async def get(self, connection_id: UUID) -> Connection:
        found = await self.db.connection(connection_id)
        if found is None:
            raise NotFound("calendar connection", connection_id)
        return found

    async def use(self, connection: Connection, work: Callable[[CalendarApi], T]) -> T:
        """Run `work` with a client for `connection` in a worker thread (see module doc)."""
        credentials = await self.credentials(connection.id)
        before = credentials.token
        try:
            result = await asyncio.to_thread(self._run, credentials, work)
        except ConnectionBroken as error:
            await self.mark(connection.id, "revoked", str(error))
            raise
        if credentials.token != before:
            await self._store_tokens(connection.id, credentials)
        return result

    def _run(self, credentials: Credentials, work: Callable[[CalendarApi], T]) -> T:
        return work(CalendarApi(credentials, self.config))

    async def credentials(self, connection_id: UUID) -> Credentials:
        sealed = await self.db.sealed_tokens(connection_id)
        if sealed is None:
            raise NotFound("calendar connection", connection_id)
        stored = json.loads(self.cipher.decrypt(sealed))
        expiry = stored.get("expiry")
        return Credentials(  # type: ignore[no-untyped-call]
            token=stored.get("token"), refresh_token=stored.get("refresh_token"),
            token_uri=self.config.token_uri, client_id=self.config.client_id,
            client_secret=self.config.client_secret, scopes=stored.get("scopes") or list(SCOPES),
            # google-auth compares expiry with a naive UTC now
            expiry=datetime.fromisoformat(expiry).replace(tzinfo=None) if expiry else None,
        )

    def _seal(self, credentials: Credentials) -> str:
        """Only what identifies the grant; the client id and secret come from the settings."""
        expiry = credentials.expiry.replace(tzinfo=UTC).isoformat() if credentials.expiry else None
        return self.cipher.encrypt(json.dumps({
            "token": credentials.token, "refresh_token": credentials.refresh_token,
            "expiry": expiry, "scopes": list(credentials.scopes or SCOPES),
        }))

    async def _store_tokens(self, connection_id: UUID, credentials: Credentials) -> None:
        await self.db.set_tokens(connection_id, self._seal(credentials))

    async def mark(self, connection_id: UUID, status: str, error: str | None) -> None:
        """Record a connection's state: `revoked`, `error`, `disconnected` or `active`."""
        log.warning("calendar connection %s is %s: %s", connection_id, status, error)
        await self.db.set_status(connection_id, status, error)

    async def bump_version(self, connection_id: UUID) -> None:
        """Tell every process's busy-time cache that this connection's calendars changed."""
        await self.db.bump_busy_version(connection_id)
