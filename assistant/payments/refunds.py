"""Sending the refunds the booking changes queue (outbox kind "refund"): a free cancellation
of a paid deposit, or money that arrived after its booking was released.

The outbox lease and its retries are the dispatcher's (`RefundStore` on the outbox); the
provider sees the outbox id as its idempotency key, so a refund retried after a timeout (whose
answer we never read) is made once. A busy provider (429, 5xx, timeout) is tried again with
backoff; when the tries run out, or the provider refuses, the message fails and the owner is
e-mailed: a refund is never dropped without someone being told. A deposit paid in person is
refunded at the desk, so its message is withdrawn with that reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from assistant.payments.outbox_worker import POLICY, OutboxWorker, utc_now
from assistant.payments.stripe_api import ProviderBusy, ProviderRefused, StripeApi
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.online_payments import RefundResult
from scheduling.notifications.delivery import Attempt, Claimed
from scheduling.notifications.policy import RetryPolicy
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.payment_store import RefundAnswer, RefundStore

log = logging.getLogger(__name__)
IN_PERSON = "paid in person: refund it at the desk"


class RefundWorker(OutboxWorker):
    store: RefundStore

    def __init__(self, factory: SessionFactory, provider: StripeApi,
                 clock: Callable[[], datetime] = utc_now, policy: RetryPolicy = POLICY) -> None:
        super().__init__(RefundStore(factory), provider, clock, policy)

    async def _one(self, message: Claimed) -> None:
        reference = str(message.payload.get("reference") or "")
        if not reference.startswith("pi_"):
            await self.store.skipped(message, IN_PERSON, self.clock())
            return
        amount = Decimal(str(message.payload["amount"]))
        key = f"refund-{message.id}"
        try:
            currency = await self.store.currency(UUID(str(message.payload.get("business_id"))))
            made = await self.provider.refund(reference, amount, currency, key)
        except ProviderBusy as busy:
            await self._later(message, RefundAnswer(reference, amount, RefundResult(
                "retrying", None, str(busy)), Attempt("payment", "stripe", reference, key,
                                                      "failed", error=str(busy))))
            return
        except ProviderRefused as refused:
            await self._failed(message, RefundAnswer(reference, amount, RefundResult(
                "failed", None, str(refused)), Attempt("payment", "stripe", reference, key,
                                                       "failed", error=str(refused),
                                                       retryable=False)))
            return
        attempt = Attempt("payment", "stripe", reference, key, "sent", made,
                          summary=f"refund {amount}")
        await self.store.sent(message, RefundAnswer(reference, amount,
                                                    RefundResult("succeeded", made), attempt),
                              self.clock())

    async def _later(self, message: Claimed, answer: RefundAnswer) -> None:
        retry_at = self.policy.next_attempt(message.attempts + 1, self.clock())
        if retry_at is None:
            failed = RefundResult("failed", None, f"gave up: {answer.result.error}")
            await self._failed(message, RefundAnswer(answer.reference, answer.amount, failed,
                                                     answer.attempt))
            return
        await self.store.retry(message, answer, self.clock(), retry_at)
        log.warning("refund %s deferred to %s: %s", message.id, retry_at, answer.result.error)

    async def _failed(self, message: Claimed, answer: RefundAnswer) -> None:
        now, error = self.clock(), answer.result.error or ""
        alert = OutboxMessage("owner_alert", f"owner_alert:{message.id}", now,
                              message.payload | {"failed_kind": "refund", "error": error,
                                                 "refund": str(answer.amount)},
                              message.appointment_id)
        await self.store.failed(message, answer, now, alert)
        log.error("refund %s failed, the owner is told: %s", message.id, error)
