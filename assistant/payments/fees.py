"""Charging the late-cancel and no-show fees the booking changes queue (outbox kind
"fee_charge", `scheduling.booking.fees`), and keeping the card a paid deposit saved for them.

With a card the customer agreed to keep, the fee is charged off-session; the outbox id is the
idempotency key, so a try retried after a timeout (whose answer we never read) charges once.
A busy provider (429, 5xx, timeout) is tried again with backoff; when the tries run out the
owner is e-mailed. A declined card, one whose bank wants the customer there
(`authentication_required`), or no card at all: the customer is sent a pay link for the fee
(`fee_due`, SMS and e-mail) in the transaction that records it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from assistant.payments.outbox_worker import POLICY, OutboxWorker, utc_now
from assistant.payments.stripe_api import CardDeclined, ProviderBusy, ProviderRefused, StripeApi
from scheduling.booking import fees
from scheduling.booking.fees import FeeKind, FeeStatus
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.online_payments import ProviderEvent
from scheduling.notifications.delivery import Attempt, Claimed
from scheduling.notifications.policy import RetryPolicy
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.fee_store import FeeAnswer, FeeWorkStore

log = logging.getLogger(__name__)
WORDS = {FeeKind.NO_SHOW: "No-show fee", FeeKind.LATE_CANCEL: "Late cancellation fee"}


async def keep_card(provider: StripeApi, store: FeeWorkStore, event: ProviderEvent,
                    now: datetime) -> None:
    """A paid deposit whose customer agreed to keep the card: the card recorded with the
    appointment (before the payment is applied, so a failure here is Stripe's retry)."""
    if (event.customer is None or event.reference is None or event.appointment_id is None
            or fees.fee_kind_of(event) is not None):
        return
    card = await provider.card_of(event.reference)
    if card is not None:
        await store.save_card(event.appointment_id, card, now)


class FeeWorker(OutboxWorker):
    """Charges (or asks for) the fees that are due."""

    store: FeeWorkStore

    def __init__(self, factory: SessionFactory, provider: StripeApi,
                 clock: Callable[[], datetime] = utc_now, policy: RetryPolicy = POLICY) -> None:
        super().__init__(FeeWorkStore(factory), provider, clock, policy)

    async def _one(self, message: Claimed) -> None:
        assert message.appointment_id is not None
        kind, amount = FeeKind(message.payload["fee_kind"]), Decimal(message.payload["fee"])
        card, currency = await self.store.card_and_currency(
            message.appointment_id, UUID(str(message.payload["business_id"])))
        key = f"fee-{message.id}"
        if card is None:
            attempt = Attempt("payment", "stripe", "", key, "skipped", error="no card saved")
            await self._ask(message, FeeAnswer(amount, kind, FeeStatus.REQUESTED, attempt))
            return
        words = f"{WORDS[kind]}: {message.payload.get('service', '')}"
        try:
            made = await self.provider.charge(card, amount, currency, key, words,
                                              str(message.appointment_id))
        except ProviderBusy as busy:
            await self._later(message, FeeAnswer(amount, kind, FeeStatus.RETRYING, Attempt(
                "payment", "stripe", card.customer, key, "failed", error=str(busy)),
                error=str(busy)))
            return
        except (CardDeclined, ProviderRefused) as refused:
            said = f"{getattr(refused, 'code', 'refused')}: {refused}"[:300]
            await self._ask(message, FeeAnswer(amount, kind, FeeStatus.DECLINED, Attempt(
                "payment", "stripe", card.customer, key, "failed", error=said,
                retryable=False), error=said))
            return
        attempt = Attempt("payment", "stripe", card.customer, key, "sent", made,
                          summary=f"{WORDS[kind].lower()} {amount}")
        await self.store.done(message, FeeAnswer(amount, kind, FeeStatus.CHARGED, attempt,
                                                 made), self.clock())

    async def _ask(self, message: Claimed, answer: FeeAnswer) -> None:
        """No card, or one that cannot be charged: the customer's pay link for the fee."""
        now = self.clock()
        assert message.appointment_id is not None
        await self.store.done(message, answer, now,
                              fees.pay_link(message.appointment_id, message.payload,
                                            answer.status is FeeStatus.DECLINED, now))
        log.info("fee %s: %s, pay link sent", message.id, answer.status.value)

    async def _later(self, message: Claimed, answer: FeeAnswer) -> None:
        now = self.clock()
        retry_at = self.policy.next_attempt(message.attempts + 1, now)
        if retry_at is None:
            alert = OutboxMessage("owner_alert", f"owner_alert:{message.id}", now,
                                  message.payload | {"failed_kind": "fee",
                                                     "error": answer.error or ""},
                                  message.appointment_id)
            gave_up = FeeAnswer(answer.amount, answer.kind, FeeStatus.FAILED, answer.attempt,
                                error=f"gave up: {answer.error}")
            await self.store.failed(message, gave_up, now, alert)
            log.error("fee %s failed, the owner is told: %s", message.id, answer.error)
            return
        await self.store.retry(message, answer, now, retry_at)
        log.warning("fee %s deferred to %s: %s", message.id, retry_at, answer.error)
