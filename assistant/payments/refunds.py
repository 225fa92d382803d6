"""Sending the refunds the booking changes queue (outbox kind "refund"): a free cancellation
of a paid deposit, or money that arrived after its booking was released.

The outbox lease and its retries are the dispatcher's (`OutboxStore`); the provider sees the
outbox id as its idempotency key, so a refund retried after a timeout (whose answer we never
read) is made once. A busy provider (429, 5xx, timeout) is tried again with backoff; when the
tries run out, or the provider refuses, the message fails and the owner is alerted: a refund
is never dropped without someone being told. A deposit paid in person is refunded at the
desk, so its message is withdrawn with that reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from assistant.payments.stripe_api import ProviderBusy, ProviderRefused, StripeApi
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.online_payments import RefundResult
from scheduling.notifications.delivery import Attempt, Claimed
from scheduling.notifications.policy import RetryPolicy
from scheduling.persistence import outbox_store
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.outbox import Outbox
from scheduling.persistence.payment_store import currency_of, save_refund

log = logging.getLogger(__name__)
KINDS = ("refund",)
LEASE = timedelta(minutes=5)
POLICY = RetryPolicy(retries=8, base=timedelta(minutes=1))
"""About four hours of tries before the owner is asked to look."""
IN_PERSON = "paid in person: refund it at the desk"


def utc_now() -> datetime:
    return datetime.now(UTC)


class RefundWorker:
    def __init__(self, factory: SessionFactory, provider: StripeApi,
                 clock: Callable[[], datetime] = utc_now, policy: RetryPolicy = POLICY) -> None:
        self.factory, self.provider, self.clock, self.policy = factory, provider, clock, policy

    async def run_once(self) -> int:
        """Send what is due; how many refund messages were handled."""
        async with self.factory() as session:
            batch = await outbox_store.claim(session, self.clock(), KINDS, 20, LEASE)
        for message in batch:
            await self._one(message)
        return len(batch)

    async def _one(self, message: Claimed) -> None:
        reference = str(message.payload.get("reference") or "")
        if not reference.startswith("pi_"):
            async with self.factory() as session:
                await outbox_store.mark_skipped(session, message, IN_PERSON, self.clock())
            return
        amount = Decimal(str(message.payload["amount"]))
        key = f"refund-{message.id}"
        try:
            currency = await self._currency(message.payload.get("business_id"))
            made = await self.provider.refund(reference, amount, currency, key)
        except ProviderBusy as busy:
            await self._later(message, reference, amount, key, str(busy))
            return
        except ProviderRefused as refused:
            await self._failed(message, reference, amount, key, str(refused))
            return
        await self._done(message, reference, amount, key, made)

    async def _currency(self, business_id: object) -> str:
        async with self.factory() as session:
            return await currency_of(session, UUID(str(business_id)))

    async def _done(self, message: Claimed, reference: str, amount: Decimal, key: str,
                    refund_id: str) -> None:
        now = self.clock()
        attempt = Attempt("payment", "stripe", reference, key, "sent", refund_id,
                          summary=f"refund {amount}")
        async with self.factory() as session:
            await self._record(session, message, reference, amount,
                               RefundResult("succeeded", refund_id), now)
            await outbox_store.mark_sent(session, message, [attempt], now)

    async def _later(self, message: Claimed, reference: str, amount: Decimal, key: str,
                     error: str) -> None:
        retry_at = self.policy.next_attempt(message.attempts + 1, self.clock())
        if retry_at is None:
            await self._failed(message, reference, amount, key, f"gave up: {error}")
            return
        now = self.clock()
        attempt = Attempt("payment", "stripe", reference, key, "failed", error=error)
        async with self.factory() as session:
            await self._record(session, message, reference, amount,
                               RefundResult("retrying", None, error), now)
            await outbox_store.mark_retry(session, message, [attempt], now, error, retry_at)
        log.warning("refund %s deferred to %s: %s", message.id, retry_at, error)

    async def _failed(self, message: Claimed, reference: str, amount: Decimal, key: str,
                      error: str) -> None:
        now = self.clock()
        attempt = Attempt("payment", "stripe", reference, key, "failed", error=error,
                          retryable=False)
        async with self.factory() as session:
            await self._record(session, message, reference, amount,
                               RefundResult("failed", None, error), now)
            alert = OutboxMessage("owner_alert", f"owner_alert:{message.id}", now,
                                  message.payload | {"failed_kind": "refund", "error": error,
                                                     "refund": str(amount)},
                                  message.appointment_id)
            await Outbox(session).add([alert], now)
            await outbox_store.mark_failed(session, message, [attempt], now, error)
        log.error("refund %s failed, the owner is alerted: %s", message.id, error)

    @staticmethod
    async def _record(session: AsyncSession, message: Claimed, reference: str,
                      amount: Decimal, result: RefundResult, now: datetime) -> None:
        if message.appointment_id is not None:
            await save_refund(session, message.id, message.appointment_id, amount, reference,
                              result, now)
