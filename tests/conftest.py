"""Shared fixtures: a fresh, migrated PostgreSQL database for each test run.

With TEST_DATABASE_URL set (any database on the server; used only to create and drop ours) the
run creates `test_<random>` there; otherwise it starts an embedded server in a temporary folder.
Either way the database is new, migrated to head, and dropped at the end.

Tests that commit use `database_url`/`session_factory` and clean up with `clean_tables`; tests
that only read and write inside one transaction use `db_session`, which is rolled back.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import pytest
from psycopg.errors import DeadlockDetected
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistant.embedded_db import admin_server, fresh_database
from scheduling.persistence import tables
from scheduling.persistence.database import make_engine, make_session_factory

DATABASE_FIXTURES = frozenset({"postgres_admin_url", "database_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reaches PostgreSQL through a fixture (its own or one it depends on) is a
    `db` test whether or not its module says so: `-m "not db"` then selects exactly what runs
    without a database (the booking rules on the in-memory fake, the pure core)."""
    for item in items:
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A superuser URL on a server the tests may create databases on."""
    with admin_server(os.environ.get("TEST_DATABASE_URL"), "booking-test-pg-") as url:
        yield url


@pytest.fixture(scope="session")
def database_url(postgres_admin_url: str) -> Iterator[str]:
    """A new database, migrated to head, dropped after the run."""
    with fresh_database(postgres_admin_url, "test") as url:
        yield url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=20, max_overflow=70)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_session_factory(engine)


@pytest.fixture
async def db_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside an outer transaction that is rolled back: the test leaves no trace.

    Its own `commit()` calls release savepoints only.
    """
    async with engine.connect() as connection:
        outer = await connection.begin()
        session = AsyncSession(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await outer.rollback()


@pytest.fixture
async def clean_tables(engine: AsyncEngine) -> AsyncIterator[None]:
    """Empty every mapped table after a test that commits for real (races, services).

    TRUNCATE locks every table at once; a gateway app's background job still finishing a
    query can deadlock with it, and Postgres then rolls one side back. That side is retried.
    """
    yield
    names = ", ".join(f'"{table.name}"' for table in tables.metadata.sorted_tables)
    for attempt in range(5):
        try:
            async with engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        except DBAPIError as error:
            if not isinstance(error.orig, DeadlockDetected) or attempt == 4:
                raise
            await asyncio.sleep(0.2)
