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
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID, uuid4

from google.oauth2.credentials import Credentials
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendar_sync.config import SCOPES, GoogleConfig
from calendar_sync.crypto import TokenCipher
from calendar_sync.errors import ConnectionBroken
from calendar_sync.google_api import CalendarApi
from scheduling.errors import NotFound
from scheduling.persistence.calendar_tables import CalendarConnectionRow

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Connection:
    id: UUID
    staff_id: UUID
    calendar_ids: tuple[str, ...]
    event_calendar_id: str
    status: str
    busy_version: int
    account_email: str | None = None
    last_error: str | None = None


def _connection(row: CalendarConnectionRow) -> Connection:
    return Connection(row.id, row.staff_id, tuple(row.calendar_ids), row.event_calendar_id,
                      row.status, row.busy_version, row.account_email, row.last_error)


class ConnectionStore:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], cipher: TokenCipher,
        config: GoogleConfig,
    ) -> None:
        self.session_factory = session_factory
        self.cipher = cipher
        self.config = config

    async def save(
        self, staff_id: UUID, credentials: Credentials, now: datetime,
        account_email: str | None = None, calendar_ids: Sequence[str] = ("primary",),
    ) -> Connection:
        """Connect (or reconnect) a staff member; events go to the first calendar."""
        values = {
            "account_email": account_email, "calendar_ids": list(calendar_ids),
            "event_calendar_id": calendar_ids[0], "token_cipher": self._seal(credentials),
            "status": "active", "last_error": None, "updated_at": now,
        }
        statement = insert(CalendarConnectionRow).values(
            id=uuid4(), staff_id=staff_id, busy_version=0, created_at=now, **values
        ).on_conflict_do_update(index_elements=["staff_id"], set_=values)
        async with self.session_factory() as session, session.begin():
            await session.execute(statement)
        return await self.by_staff(staff_id, active_only=False)

    async def by_staff(self, staff_id: UUID, active_only: bool = True) -> Connection:
        found = await self.for_staff([staff_id], active_only)
        if not found:
            raise NotFound("calendar connection", staff_id)
        return found[0]

    async def for_staff(
        self, staff_ids: Sequence[UUID], active_only: bool = True
    ) -> list[Connection]:
        query = select(CalendarConnectionRow).where(
            CalendarConnectionRow.staff_id.in_(list(staff_ids))
        )
        if active_only:
            query = query.where(CalendarConnectionRow.status == "active")
        async with self.session_factory() as session:
            return [_connection(row) for row in (await session.scalars(query)).all()]

    async def get(self, connection_id: UUID) -> Connection:
        async with self.session_factory() as session:
            row = await session.get(CalendarConnectionRow, connection_id)
        if row is None:
            raise NotFound("calendar connection", connection_id)
        return _connection(row)

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
        async with self.session_factory() as session:
            row = await session.get(CalendarConnectionRow, connection_id)
        if row is None:
            raise NotFound("calendar connection", connection_id)
        stored = json.loads(self.cipher.decrypt(row.token_cipher))
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
        await self._update(connection_id, token_cipher=self._seal(credentials))

    async def mark(self, connection_id: UUID, status: str, error: str | None) -> None:
        """Record a connection's state: `revoked`, `error`, `disconnected` or `active`."""
        log.warning("calendar connection %s is %s: %s", connection_id, status, error)
        await self._update(connection_id, status=status, last_error=error)

    async def bump_version(self, connection_id: UUID) -> None:
        """Tell every process's busy-time cache that this connection's calendars changed."""
        await self._update(connection_id, busy_version=CalendarConnectionRow.busy_version + 1)

    async def _update(self, connection_id: UUID, **values: object) -> None:
        statement = (
            update(CalendarConnectionRow)
            .where(CalendarConnectionRow.id == connection_id)
            .values(updated_at=func.now(), **values)
        )
        async with self.session_factory() as session, session.begin():
            await session.execute(statement)
