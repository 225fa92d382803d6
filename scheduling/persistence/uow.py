"""The PostgreSQL unit of work: one transaction per command, rolled back unless committed.

Services take a unit of work (the `scheduling.ports` protocol: this one, or the in-memory fake
in tests) and call `commit()` once.
Repositories are attached by the subclasses that need them, so each service sees only its own.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence import driver


class SqlUnitOfWork:
    """A unit of work over one `AsyncSession`; subclasses build repositories in `_start`."""

    session: AsyncSession

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self._start()
        return self

    def _start(self) -> None:
        """Hook for subclasses: make repositories on `self.session`."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        """Undo what was not committed, keeping the pooled connection's prepared statements
        (`driver.rollback`): a read or a lost race no longer costs the next bookings on that
        connection their prepared hot path."""
        await driver.rollback(self.session)
        await self.session.rollback()
