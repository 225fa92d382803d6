"""The database engine, catalog and clock the actions share, made on first use.

rasa-sdk has no start-up hook (the action server imports `actions` and serves; there is no
place to build resources and pass them in), so the engine is created lazily from
DATABASE_URL the first time an action needs it, and reused for the process' life. Tests
point it at their database with `configure(url)` before running actions.

The catalog is read by nearly every action, several times per form turn (service, staff,
time zone); reading it costs six queries. The composition root lets the runtime keep it for a
few seconds (`catalog_ttl`), which is what an owner's edit may take to reach the chat; with
`listen` (the action server) the copy is also dropped the moment an edit commits anywhere
(`catalog_changes`), so the time limit only matters while that connection is down. Booking
itself never trusts this copy: the booking services read the catalog in their transaction.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from scheduling.catalog import Catalog
from scheduling.desk.setup.values import MessageParts
from scheduling.errors import NotFound
from scheduling.occupancy import BusyTimeSource
from scheduling.persistence import catalog_changes
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.persistence.front_desk_store import FrontDeskUnitOfWork
from scheduling.persistence.setup_uow import SetupUnitOfWork

BusySourceFactory = Callable[[async_sessionmaker[AsyncSession]], BusyTimeSource]


class Runtime:
    """One engine and session factory per action-server process."""

    def __init__(self) -> None:
        self._url: str | None = None
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._business_id: UUID | None = None
        self._busy_from: BusySourceFactory | None = None
        self._busy: BusyTimeSource | None = None
        self._catalog_ttl = 0.0
        self._catalog: tuple[float, Catalog] | None = None
        self._listen = False
        self._listener: asyncio.Task[None] | None = None
        self._edits = 0
        """Edits announced so far: a read that an edit overtook is not kept."""

    def configure(self, url: str, busy_from: BusySourceFactory | None = None,
                  catalog_ttl: float = 0.0, listen: bool = False) -> None:
        """Use `url` from now on (the next use builds a new engine). `busy_from` makes the
        outside calendars' busy-time source on that engine's sessions; the composition root
        (`python -m assistant actions`) passes Google's when it is configured. The catalog
        read is reused for `catalog_ttl` seconds (0: read on every use), and with `listen`
        until an edit is announced."""
        self._url, self._engine, self._sessions, self._business_id = url, None, None, None
        self._busy_from, self._busy = busy_from, None
        self._catalog_ttl, self._catalog = catalog_ttl, None
        if self._listener is not None:
            self._listener.cancel()
        self._listen, self._listener = listen, None

    def _factory(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            url = self._url or os.environ.get("DATABASE_URL")
            if not url:
                raise RuntimeError("DATABASE_URL is not set for the action server")
            self._engine = make_engine(url, pool_size=5, max_overflow=5)
            self._sessions = make_session_factory(self._engine)
            self._busy = self._busy_from(self._sessions) if self._busy_from else None
        return self._sessions

    def uow(self) -> DeskUnitOfWork:
        factory = self._factory()
        return DeskUnitOfWork(factory, busy=self._busy)

    def front_desk_uow(self) -> FrontDeskUnitOfWork:
        """A unit of work with the front desk's store: a series asked for by chat is booked
        through the same `series.book_series` as at the desk."""
        return FrontDeskUnitOfWork(self._factory(), busy=self._busy)

    async def business_id(self) -> UUID:
        """The business this assistant speaks for: the first one in the database."""
        if self._business_id is None:
            async with self.uow() as uow:
                ids = await uow.catalog.business_ids()
            if not ids:
                raise NotFound("business", "any")
            self._business_id = ids[0]
        return self._business_id

    async def catalog(self) -> Catalog:
        """The business's catalog, read at most `catalog_ttl` seconds ago."""
        if self._listen and self._listener is None:  # on the server's loop, at first use
            self._listener = asyncio.ensure_future(catalog_changes.listen(
                self._url or os.environ.get("DATABASE_URL", ""), self._forget_catalog))
        if self._catalog is not None and time.monotonic() - self._catalog[0] < self._catalog_ttl:
            return self._catalog[1]
        self._business_id = None  # the wizard or an import may have replaced the business
        business_id = await self.business_id()
        read_at, edits = time.monotonic(), self._edits
        async with self.uow() as uow:
            catalog = await uow.catalog.get(business_id)
        if edits == self._edits:
            self._catalog = (read_at, catalog)
        return catalog

    def _forget_catalog(self) -> None:
        self._catalog, self._edits = None, self._edits + 1

    async def message_parts(self) -> MessageParts:
        """The business's own words (what to bring, address and parking notes), read fresh:
        one row, and an owner's edit shows in the next answer."""
        business_id = await self.business_id()
        async with SetupUnitOfWork(self._factory(), busy=self._busy) as uow:
            return await uow.setup.message_parts(business_id)

    async def customer_zone(self, customer_id: UUID) -> str | None:
        """The time zone a customer reads times in, when their profile names one."""
        async with self.uow() as uow:
            customer = await uow.catalog.get_customer(customer_id)
        return customer.time_zone

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        self.configure(self._url or "", self._busy_from, self._catalog_ttl, self._listen)


def now() -> datetime:
    return datetime.now(UTC)


runtime = Runtime()
