"""Receipts: what was received once, so a provider's retry (or a replay) is not acted on twice.

`first` inserts with ON CONFLICT DO NOTHING: exactly one of any number of concurrent deliveries
of the same (source, key) learns it is the first. The first one's answer can be stored and
handed back to the later ones.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from scheduling.persistence.limit_tables import ReceiptRow

MAX_KEY = 300


def _key(key: str) -> str:
    """The key as stored: a longer one (the senders choose ids) by its SHA-256."""
    if len(key) <= MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


async def first(session: AsyncSession, source: str, key: str, now: datetime,
                keep: timedelta) -> bool:
    """Record (source, key) unless already there; True when this call recorded it.

    Does not commit; until the caller commits, a concurrent delivery of the same key waits.
    """
    statement = (insert(ReceiptRow)
                 .values(source=source, key=_key(key), received_at=now, expires_at=now + keep)
                 .on_conflict_do_nothing(index_elements=["source", "key"])
                 .returning(ReceiptRow.key))
    return (await session.execute(statement)).first() is not None


async def answer(session: AsyncSession, source: str, key: str, reply: str) -> None:
    """Keep what the first delivery was answered, for the retries."""
    await session.execute(update(ReceiptRow)
                          .where(ReceiptRow.source == source, ReceiptRow.key == _key(key))
                          .values(reply=reply))


async def seen(session: AsyncSession | AsyncConnection, source: str, key: str) -> bool:
    return bool(await session.scalar(select(exists().where(
        ReceiptRow.source == source, ReceiptRow.key == _key(key)))))


async def reply_of(session: AsyncSession, source: str, key: str) -> str | None:
    """The first delivery's answer; None while it is still being worked on (or had none)."""
    return await session.scalar(select(ReceiptRow.reply).where(
        ReceiptRow.source == source, ReceiptRow.key == _key(key)))


async def forget(session: AsyncSession, source: str, key: str) -> bool:
    """The first delivery failed: its retry must be handled, not answered as a repeat.
    False when there was nothing to forget."""
    result = await session.execute(delete(ReceiptRow).where(ReceiptRow.source == source,
                                                            ReceiptRow.key == _key(key)))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def prune(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(ReceiptRow).where(ReceiptRow.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def take_answer(session: AsyncSession, source: str, key: str) -> str | None:
    """The answer, deleting its receipt in the same statement: of any number of concurrent
    takers exactly one gets it; None while there is no answer yet (the receipt stays)."""
    return await session.scalar(delete(ReceiptRow).where(
        ReceiptRow.source == source, ReceiptRow.key == _key(key), ReceiptRow.reply.is_not(None))
        .returning(ReceiptRow.reply))
