"""Deposits paid online through Stripe, and refunds: the provider client made at start-up
(only with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET set), the pay link and webhook routes
(`routes`, `fee_routes`), and the workers sending queued refunds (`refunds`) and charging
late-cancel and no-show fees (`fees`).

Without keys nothing here runs: deposits are paid at the salon (`BookingRules.deposits_online`
is refused on the admin page, and a booking left waiting for an online payment gets a pay
link page that says how to pay instead).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from assistant.gateway import resources
from assistant.interval import every
from assistant.payments.fees import FeeWorker
from assistant.payments.refunds import RefundWorker
from assistant.payments.stripe_api import StripeApi
from assistant.settings import Settings
from assistant.ticks import once_per_tick, runs_jobs
from scheduling.persistence.database import make_session_factory

log = logging.getLogger(__name__)
PROVIDER = web.AppKey("payment_provider", StripeApi)
REFUNDS = web.AppKey("refund_worker", RefundWorker)
FEES = web.AppKey("fee_worker", FeeWorker)
REFUND_SECONDS = 15


def provider_of(settings: Settings) -> StripeApi | None:
    key, secret = settings.stripe_secret_key, settings.stripe_webhook_secret
    if not (key and secret):
        return None
    return StripeApi(key.get_secret_value(), secret.get_secret_value(),
                     settings.stripe_api_base)


async def payments(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx, after `resources.database`: the provider and the refund worker."""
    provider = provider_of(app[resources.SETTINGS])
    if provider is None:
        yield
        return
    app[PROVIDER] = provider
    factory = make_session_factory(app[resources.ENGINE])
    worker = RefundWorker(factory, provider)
    app[REFUNDS] = worker
    app[FEES] = fees = FeeWorker(factory, provider)
    log.info("Stripe payments on: pay links, webhook at /webhooks/stripe, refunds and fees "
             "every %ss", REFUND_SECONDS)
    try:
        async with contextlib.AsyncExitStack() as timers:
            if runs_jobs(app):  # else `assistant worker` sends refunds and charges fees
                for name, job in (("stripe refunds", worker.run_once),
                                  ("stripe fees", fees.run_once)):
                    claimed = once_per_tick(factory, name, REFUND_SECONDS, job)
                    await timers.enter_async_context(every(REFUND_SECONDS, claimed, name))
            yield
    finally:
        await provider.close()
