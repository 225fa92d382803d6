"""The outbox dispatcher: claim due messages, send them outside any transaction, record each.

Guarantee (see `scheduling.persistence.outbox_store` for the lease): a message is handed to its
provider at least once while it stays pending and its retries last; it is handed over again only
if the dispatcher that held it died (or overran its lease) after the provider took it and before
the result was committed. Every hand-over carries the same idempotency key
(`<outbox id>:<channel>`), so a provider or fake that honours the key delivers it exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from uuid import UUID

from assistant.notifications.audience import AudienceLoader
from assistant.notifications.planning import Delivery, Plan, plan_message, short_link_request
from assistant.notifications.render import Renderer
from assistant.notifications.senders import EmailSender, SendError, SmsSender
from assistant.notifications.sms_limits import SmsCaps, refusal
from assistant.notifications.twilio_sms import RecipientOptedOut
from scheduling.notifications.delivery import Attempt, Claimed
from scheduling.notifications.policy import RetryPolicy
from scheduling.persistence import optouts_store, short_links
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.delivery_reads import delivery_reads
from scheduling.persistence.outbox_store import OutboxStore

log = logging.getLogger(__name__)

KINDS = ("confirmation", "owner_notice", "reminder", "cancellation", "reschedule",
         "owner_change", "waitlist_offer", "no_show", "daily_agenda", "owner_alert",
         "verification_code", "handoff", "pending_payment", "fee_due", "release_reminder")
"""The outbox kinds this dispatcher sends; others (calendar events, refunds) belong to other
workers and are left alone."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DispatchConfig:
    batch: int = 50
    lease: timedelta = timedelta(minutes=5)
    concurrency: int = 8
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sms_caps: SmsCaps = field(default_factory=SmsCaps)
    """Texts to numbers nobody verified (`sms_limits`)."""


class Dispatcher:
    def __init__(self, factory: SessionFactory, renderer: Renderer,
                 email: EmailSender, sms: SmsSender, clock: Callable[[], datetime] = utc_now,
                 config: DispatchConfig | None = None) -> None:
        self.factory = factory
        self.outbox = OutboxStore(factory)
        self.renderer = renderer
        self.senders: dict[str, EmailSender | SmsSender] = {"email": email, "sms": sms}
        self.clock = clock
        self.config = config or DispatchConfig()

    async def run_once(self) -> int:
        """Drain what is due now, batch by batch; returns how many messages were handled."""
        handled = 0
        while True:
            batch = await self.outbox.claim(self.clock(), KINDS, self.config.batch,
                                            self.config.lease)
            if not batch:
                return handled
            await self._handle(batch)
            handled += len(batch)

    async def _handle(self, batch: Sequence[Claimed]) -> None:
        codes = await self._short_codes(batch)
        async with delivery_reads(self.factory) as reads:
            loader = AudienceLoader(reads)
            plans = [await plan_message(loader, self.renderer, m, self.clock(), codes.get(m.id))
                     for m in batch]
        limit = asyncio.Semaphore(self.config.concurrency)
        await asyncio.gather(*(self._finish(m, p, limit) for m, p in zip(batch, plans,
                                                                        strict=True)))

    async def _short_codes(self, batch: Sequence[Claimed]) -> dict[UUID, str]:
        """The short link of each message's SMS, issued in one transaction before planning
        (which only reads). A message sent again gets the code it had."""
        wanted = {m.id: r for m in batch if (r := short_link_request(self.renderer, m))}
        codes = await short_links.issue(self.factory, wanted.values(), self.clock())
        return {message: codes[(r.subject, r.action)] for message, r in wanted.items()}

    async def _finish(self, message: Claimed, plan: Plan, limit: asyncio.Semaphore) -> None:
        if message.reclaimed:
            log.warning("outbox %s: an earlier send ended without a result; sending again "
                        "with the same idempotency key", message.id)
        async with limit:
            attempts = [*plan.skipped, *[await self._send(message, d) for d in plan.deliveries]]
        await self._record(message, plan, attempts)

    async def _send(self, message: Claimed, delivery: Delivery) -> Attempt:
        sender = self.senders[delivery.channel]
        key = f"{message.id}:{delivery.channel}"
        attempt = partial(Attempt, delivery.channel, sender.provider, delivery.recipient, key,
                          summary=delivery.summary)
        if delivery.channel == "sms":
            refused = await refusal(self.factory, self.config.sms_caps, delivery.recipient,
                                    message.payload.get("business_id"), self.clock())
            if refused is not None:
                log.warning("outbox %s: SMS to %s skipped: %s", message.id, delivery.recipient,
                            refused)
                return attempt("skipped", error=refused)
        try:
            sid = await asyncio.to_thread(sender.send, delivery.build(key))  # type: ignore[arg-type]
        except RecipientOptedOut as error:
            await optouts_store.opt_out(self.factory, delivery.recipient, self.clock())
            return attempt("skipped", error=str(error))
        except SendError as error:
            return attempt("failed", error=str(error), retryable=error.retryable)
        return attempt("sent", provider_message_id=sid)

    async def _record(self, message: Claimed, plan: Plan, attempts: list[Attempt]) -> None:
        now = self.clock()
        if plan.skip_reason:
            await self.outbox.skipped(message, plan.skip_reason, now)
            return
        failures = [a for a in attempts if a.status == "failed"]
        if plan.error or (not attempts and not message.done_channels):
            error = plan.error or "no e-mail address or phone number to send to"
            await self.outbox.failed(message, attempts, now, error)
        elif not failures:
            await self.outbox.sent(message, attempts, now)
        else:
            await self._retry_or_fail(message, attempts, failures, now)

    async def _retry_or_fail(self, message: Claimed, attempts: list[Attempt],
                             failures: list[Attempt], now: datetime) -> None:
        error = "; ".join(str(a.error) for a in failures)
        retry_at = self.config.retry.next_attempt(message.attempts + 1, now)
        if retry_at is not None and all(a.retryable for a in failures):
            log.info("outbox %s (%s) failed, retrying at %s: %s", message.id, message.kind,
                     retry_at.isoformat(), error)
            await self.outbox.retry(message, attempts, now, error, retry_at)
        else:
            log.error("outbox %s (%s) failed for good: %s", message.id, message.kind, error)
            await self.outbox.failed(message, attempts, now, error)
