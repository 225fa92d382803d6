"""Deleting rows that behave as if absent: rate-limit buckets full again, receipts past their
keep, short links long expired. Only the tables' size changes."""

from __future__ import annotations

from datetime import datetime

from scheduling.persistence import limits, receipts, short_links
from scheduling.persistence.database import SessionFactory


async def prune_expired(factory: SessionFactory, now: datetime) -> None:
    async with factory() as session:
        await limits.prune(session, now)
        await receipts.prune(session, now)
        await short_links.prune(session, now)
        await session.commit()
