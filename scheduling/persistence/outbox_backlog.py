"""How far the dispatcher is behind: messages due and not yet sent, and since when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduling.persistence.outbox import OutboxRow


async def backlog(connection: AsyncConnection, now: datetime) -> tuple[int, datetime | None]:
    """(messages pending and due by `now`, the earliest due time among them)."""
    row = (await connection.execute(
        select(func.count(), func.min(OutboxRow.due_at))
        .where(OutboxRow.status == "pending", OutboxRow.due_at <= now))).one()
    return int(row[0]), row[1]
