"""When to try a message again, and when a message has lost its point.

Pure functions of the message and `now`, so the dispatcher and the tests agree on every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """`retries` more tries after the first, `base` * `factor` ** n apart (30 s, 1 min, 2 min)."""

    retries: int = 3
    base: timedelta = timedelta(seconds=30)
    factor: float = 2.0

    def next_attempt(self, tries_so_far: int, now: datetime) -> datetime | None:
        """When to try again after `tries_so_far` failed tries; None when they are used up."""
        if tries_so_far > self.retries:
            return None
        return now + self.base * self.factor ** (tries_so_far - 1)


def _instant(payload: Json, key: str) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def stale_reason(kind: str, payload: Json, now: datetime) -> str | None:
    """Why a message due earlier should no longer be sent (None: send it).

    A reminder after the start, a waitlist offer after its claim deadline and a daily agenda
    after its day only confuse; news of a booking, a change or a cancellation stays true and is
    sent however late, since the customer still needs to know.
    """
    deadlines = {"reminder": "start", "waitlist_offer": "expires_at", "daily_agenda": "day_end"}
    key = deadlines.get(kind)
    deadline = _instant(payload, key) if key else None
    if deadline is not None and now >= deadline:
        return f"skipped: its moment has passed ({key} {deadline.isoformat()})"
    return None
