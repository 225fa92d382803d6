"""A unit of work that ends without committing keeps its connection's prepared statements.

psycopg's own rollback sends `DEALLOCATE ALL`: every read and every lost race used to throw
away the pooled connection's prepared hot-path statements (docs/booking-throughput.md). One
pooled connection here, so every unit of work runs on the same server backend.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from scheduling.persistence import driver
from scheduling.persistence.catalog_tables import BusinessRow
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.uow import SqlUnitOfWork

pytestmark = pytest.mark.db

PROBE = "SELECT count(*) FROM uow_probe WHERE note = %(note)s"
PREPARED = text("SELECT name, generic_plans + custom_plans FROM pg_prepared_statements"
                " WHERE statement = :sql")


class Refused(Exception):
    """A domain refusal raised inside a unit of work (as a lost race's `SlotUnavailable`)."""


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE uow_probe (note text NOT NULL)"))
    yield engine
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE uow_probe"))
    await engine.dispose()


async def probe(factory: async_sessionmaker[AsyncSession]) -> tuple[str, int] | None:
    """The probe statement's server-side name and executions on the pooled connection."""
    async with factory() as session:
        row = (await session.execute(PREPARED, {"sql": PROBE.replace("%(note)s", "$1")})).first()
        await session.commit()
    return None if row is None else (row[0], row[1])


async def test_reads_refusals_and_undone_writes_keep_the_prepared_statements(
    one_connection: AsyncEngine,
) -> None:
    factory = make_session_factory(one_connection)
    async with SqlUnitOfWork(factory) as uow:
        assert await driver.fetch(uow.session, PROBE, {"note": "x"}) == [(0,)]
        await uow.commit()
    first = await probe(factory)
    assert first is not None and first[1] == 1

    async with SqlUnitOfWork(factory) as uow:  # a read: ends without committing
        await driver.fetch(uow.session, PROBE, {"note": "x"})
    with pytest.raises(Refused):  # a write, then a refusal: undone
        async with SqlUnitOfWork(factory) as uow:
            await driver.run(uow.session, "INSERT INTO uow_probe VALUES (%(note)s)", {"note": "x"})
            assert await driver.fetch(uow.session, PROBE, {"note": "x"}) == [(1,)]
            raise Refused
    async with SqlUnitOfWork(factory) as uow:  # an explicit rollback, then more work
        await driver.run(uow.session, "INSERT INTO uow_probe VALUES (%(note)s)", {"note": "x"})
        await uow.rollback()
        assert await driver.fetch(uow.session, PROBE, {"note": "x"}) == [(0,)]

    assert await probe(factory) == (first[0], 4)  # the same statement, executed four times


async def test_a_session_bound_to_a_connection_leaves_its_owners_transaction(
    one_connection: AsyncEngine,
) -> None:
    async with one_connection.connect() as connection:
        outer = await connection.begin()
        await connection.execute(text("INSERT INTO uow_probe VALUES ('outer')"))
        joined = async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        async with SqlUnitOfWork(joined) as uow:
            await driver.run(uow.session, "INSERT INTO uow_probe VALUES (%(note)s)",
                             {"note": "inner"})
        rows = (await connection.execute(text("SELECT note FROM uow_probe"))).scalars().all()
        assert rows == ["outer"]
        await outer.rollback()


async def test_a_failed_flush_comes_out_as_itself(one_connection: AsyncEngine) -> None:
    factory = make_session_factory(one_connection)
    with pytest.raises(IntegrityError):  # not the session's "rollback first" complaint
        async with SqlUnitOfWork(factory) as uow:
            uow.session.add(BusinessRow(id=uuid.uuid4(), name=None, time_zone="UTC", contact={},
                                        policies={}))
            await uow.session.flush()
    async with SqlUnitOfWork(factory) as uow:  # the connection is usable again
        assert await driver.fetch(uow.session, PROBE, {"note": "x"}) == [(0,)]
