"""What the refund and fee workers share: each claims the due messages of its own outbox kind
under a lease (so two gateways never send one twice) and hands them to the provider one by one.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from assistant.payments.stripe_api import StripeApi
from scheduling.notifications.delivery import Claimed
from scheduling.notifications.policy import RetryPolicy

LEASE = timedelta(minutes=5)
POLICY = RetryPolicy(retries=8, base=timedelta(minutes=1))
"""About four hours of tries before the owner is asked to look."""
BATCH = 20


def utc_now() -> datetime:
    return datetime.now(UTC)


class ClaimingStore(Protocol):
    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[Claimed]: ...


class OutboxWorker(abc.ABC):
    """Subclasses say what one message means to the provider (`_one`)."""

    def __init__(self, store: ClaimingStore, provider: StripeApi,
                 clock: Callable[[], datetime] = utc_now, policy: RetryPolicy = POLICY) -> None:
        self.store, self.provider, self.clock, self.policy = store, provider, clock, policy

    async def run_once(self) -> int:
        """Handle what is due now; how many messages were handled."""
        batch = await self.store.claim(self.clock(), BATCH, LEASE)
        for message in batch:
            await self._one(message)
        return len(batch)

    @abc.abstractmethod
    async def _one(self, message: Claimed) -> None:
        """Send one claimed message to the provider and record its answer."""
