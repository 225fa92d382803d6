"""The calendar worker: delivers the outbox's `calendar_event` rows to Google, with retries.

The notifications dispatcher sends only its own kinds and leaves these rows alone, so this
worker claims them itself: due, pending rows, oldest first, locked with `FOR UPDATE SKIP
LOCKED` so several workers never take the same row. A row Google could not take yet
(`GoogleUnavailable`) stays pending and comes due again after an exponential backoff, so a
booking made while Google is down gets its event once Google is back; a row that cannot
succeed (revoked grant, refused request) or that ran out of attempts becomes `failed` with the
error recorded. The booking itself never waits for any of this.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendar_sync.errors import CalendarError, GoogleUnavailable
from scheduling.errors import DomainError
from scheduling.persistence.outbox import OutboxRow

log = logging.getLogger(__name__)
KIND = "calendar_event"
Handler = Callable[[Mapping[str, Any], datetime], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)
    attempts: int = 20
    """With these defaults a row keeps trying for about 15 hours of Google being down."""

    def delay(self, attempts: int) -> timedelta:
        return min(self.first * (1 << min(max(attempts - 1, 0), 30)), self.longest)


async def run_due(
    factory: async_sessionmaker[AsyncSession], handle: Handler, now: datetime,
    batch: int = 20, schedule: RetrySchedule | None = None,
) -> int:
    """Handle up to `batch` due rows in one transaction; returns how many were taken."""
    schedule = schedule or RetrySchedule()
    query = (
        select(OutboxRow)
        .where(OutboxRow.kind == KIND, OutboxRow.status == "pending", OutboxRow.due_at <= now)
        .order_by(OutboxRow.created_at, OutboxRow.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    async with factory() as session, session.begin():
        rows = list(await session.scalars(query))
        for row in rows:
            await _deliver(row, handle, now, schedule)
    return len(rows)


async def _deliver(row: OutboxRow, handle: Handler, now: datetime,
                   schedule: RetrySchedule) -> None:
    row.attempts += 1
    try:
        outcome = await handle(row.payload, now)
    except GoogleUnavailable as error:
        _retry(row, str(error), now, schedule)
    except (CalendarError, DomainError) as error:
        _fail(row, f"{type(error).__name__}: {error}")
    else:
        log.info("calendar event %s for %s: %s", row.payload.get("op"), row.appointment_id,
                 outcome)
        row.status, row.last_error = "sent", None


def _retry(row: OutboxRow, error: str, now: datetime, schedule: RetrySchedule) -> None:
    if row.attempts >= schedule.attempts:
        _fail(row, f"gave up after {row.attempts} attempts: {error}")
        return
    row.last_error = error
    row.due_at = now + schedule.delay(row.attempts)
    log.warning("calendar event for %s delayed to %s: %s", row.appointment_id, row.due_at, error)


def _fail(row: OutboxRow, error: str) -> None:
    log.error("calendar event for %s failed: %s", row.appointment_id, error)
    row.status, row.last_error = "failed", error
