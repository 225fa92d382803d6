"""Hot-path statements sent straight to the psycopg connection, inside the session's transaction.

A statement through `AsyncSession.execute` spends more CPU in SQLAlchemy than in the driver
(the ORM execution context, the cache key, result wrapping, identity-map loading, a greenlet
hop); a booking runs about eight of them and was CPU-bound on that (docs/booking-throughput.md).
The statements here are plain SQL, written or compiled from Core once at import, executed on
the connection the session already holds: same transaction, same locks, so they see and are
seen by everything else the session does. Pending ORM changes are flushed first, and driver
errors come out as SQLAlchemy's `DBAPIError` subclasses, like any other statement's.

They are prepared on their first run on a connection: psycopg would prepare on the sixth,
parsing and planning each of the first five, and with 64 clients a pooled connection books
only about ten times in the bench.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql import ClauseElement

Params = Mapping[str, Any] | Sequence[Any]
_DIALECT = PGDialect_psycopg()  # type: ignore[no-untyped-call]
_HELD = "scheduling.persistence.driver"
"""Key in `Session.info`: the transaction the driver connection was taken under, and it (the
connection stays the same until that transaction ends)."""


def compiled(statement: ClauseElement, column_keys: list[str] | None = None) -> str:
    """The SQL of a Core statement in the driver's `%(name)s` style, rendered once
    (`column_keys`: the columns an INSERT names, the others left to their defaults)."""
    return str(statement.compile(dialect=_DIALECT, column_keys=column_keys))


async def connection(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    """The psycopg connection under `session`'s transaction (begun if it was not)."""
    sync = session.sync_session
    if sync.new or sync.deleted or sync.dirty:
        await session.flush()
    transaction = sync.get_transaction()
    known = sync.info.get(_HELD)
    if transaction is not None and known is not None and known[0] is transaction:
        return known[1]  # type: ignore[no-any-return]
    held = await session.connection()
    raw = await held.get_raw_connection()
    driver: psycopg.AsyncConnection[Any] = raw.driver_connection  # type: ignore[assignment]
    sync.info[_HELD] = (sync.get_transaction(), driver)
    return driver


def values_sql(head: str, row: str, rows: int, tail: str = "") -> str:
    """`head VALUES row, row, ... tail` for `rows` rows: one statement, one round trip, and
    plain parameters (arrays cost the driver more to encode than the rows they carry)."""
    return f"{head} VALUES {', '.join([row] * rows)}{tail}"


async def fetch(session: AsyncSession, sql: str, params: Params) -> list[tuple[Any, ...]]:
    """Every row `sql` returns, as tuples."""
    driver = await connection(session)
    try:
        cursor = await driver.execute(sql, params, prepare=True)
        return await cursor.fetchall()
    except psycopg.Error as error:
        raise _wrapped(sql, params, error) from error


async def run(session: AsyncSession, sql: str, params: Params) -> int:
    """Execute `sql`; how many rows it touched."""
    driver = await connection(session)
    try:
        cursor = await driver.execute(sql, params, prepare=True)
    except psycopg.Error as error:
        raise _wrapped(sql, params, error) from error
    return cursor.rowcount


async def rollback(session: AsyncSession) -> None:
    """End `session`'s transaction with ROLLBACK and keep its connection's prepared statements.

    psycopg's own `rollback()` forgets them and sends `DEALLOCATE ALL` (a rollback may undo DDL
    a statement was prepared against), so every unit of work that ended without committing (a
    read, a lost race) made the next bookings on that pooled connection prepare and plan the
    hot-path statements again. A unit of work runs no DDL, so the statements stay valid; the
    ROLLBACK itself is sent as psycopg's `rollback()` sends it, under the connection's lock.
    The caller runs the session's own rollback right after: it finds the connection idle and
    only resets its state, or meets a broken connection the way it always did. Nothing is sent
    when the session holds no transaction, is bound to a connection rather than an engine (it
    does not own that connection's transaction), or had a flush fail (the session then allows
    nothing but its own rollback).
    """
    transaction = session.sync_session.get_transaction()
    if not isinstance(session.bind, AsyncEngine) or transaction is None:
        return  # bound to a connection: the transaction is its owner's (a test's outer one)
    if not transaction.is_active:
        return  # a flush failed: only the session's own rollback may end it
    try:
        raw = await (await session.connection()).get_raw_connection()
    except SQLAlchemyError:
        return  # no usable connection: the session's rollback deals with it as it always did
    driver: psycopg.AsyncConnection[Any] = raw.driver_connection  # type: ignore[assignment]
    async with driver.lock:
        if driver.pgconn.transaction_status == pq.TransactionStatus.IDLE:
            return
        with contextlib.suppress(psycopg.Error):  # the session's rollback meets it and cleans up
            await driver.wait(driver._exec_command(b"ROLLBACK"))


def _wrapped(sql: str, params: Params, error: psycopg.Error) -> DBAPIError:
    wrapped = DBAPIError.instance(sql, params, error, psycopg.Error, dialect=_DIALECT)
    return wrapped  # type: ignore[return-value]
