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

from calendar_sync.errors import CalendarError, GoogleUnavailable
from calendar_sync.ports import CalendarStore, DueEvent, Outcome
from scheduling.errors import DomainError

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
    db: CalendarStore, handle: Handler, now: datetime,
    batch: int = 20, schedule: RetrySchedule | None = None,
) -> int:
    """Handle up to `batch` due rows in one transaction; returns how many were taken."""
    plan = schedule or RetrySchedule()

    async def deliver(event: DueEvent) -> Outcome:
        return await _deliver(event, handle, now, plan)
    return await db.deliver_due(KIND, now, batch, deliver)


async def _deliver(event: DueEvent, handle: Handler, now: datetime,
                   schedule: RetrySchedule) -> Outcome:
    try:
        outcome = await handle(event.payload, now)
    except GoogleUnavailable as error:
        return _retry(event, str(error), now, schedule)
    except (CalendarError, DomainError) as error:
        return _fail(event, f"{type(error).__name__}: {error}")
    log.info("calendar event %s for %s: %s", event.payload.get("op"), event.appointment_id,
             outcome)
    return Outcome("sent")


def _retry(event: DueEvent, error: str, now: datetime, schedule: RetrySchedule) -> Outcome:
    if event.attempts >= schedule.attempts:
        return _fail(event, f"gave up after {event.attempts} attempts: {error}")
    due = now + schedule.delay(event.attempts)
    log.warning("calendar event for %s delayed to %s: %s", event.appointment_id, due, error)
    return Outcome("pending", error, due)


def _fail(event: DueEvent, error: str) -> Outcome:
    log.error("calendar event for %s failed: %s", event.appointment_id, error)
    return Outcome("failed", error)
