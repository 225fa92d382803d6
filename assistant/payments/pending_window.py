"""Before a booking is released unpaid, Stripe is asked whether its checkout was paid.

A webhook can be lost, or still on its way when the payment window ends; releasing the booking
then would tell a customer who paid "payment not received" and refund them later. So just
before the release job, each booking past its window with a checkout made has that checkout
read back; one that was paid is settled exactly as its webhook would settle it (the card kept
for fees, the booking confirmed with its confirmation, once: the webhook arriving afterwards
finds it paid with the same payment). A setup-mode checkout that saved a card (no-show
protection) is settled the same way, by `card_checkout.card_saved`. Stripe busy or refusing:
the booking is released as before, and a payment that still arrives is refunded.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from assistant.payments.card_checkout import card_saved
from assistant.payments.fees import keep_card
from assistant.payments.stripe_api import ProviderBusy, ProviderRefused, StripeApi
from scheduling.booking import online_payments, saved_cards
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.fee_store import FeeWorkStore
from scheduling.persistence.payment_store import PaymentUnitOfWork

log = logging.getLogger(__name__)


async def settle_paid_checkouts(factory: SessionFactory, provider: StripeApi, now: datetime
                                ) -> list[UUID]:
    """The bookings past their window whose checkout Stripe says was paid, now settled."""
    uow = PaymentUnitOfWork(factory)
    async with uow:
        due = [(a.id, await uow.payments.checkout(a.id))
               for a in await uow.appointments.unpaid_past_window(now)]
    settled = []
    for appointment_id, checkout in due:
        if checkout is None:
            continue
        try:
            event = await provider.paid_checkout(checkout.session_id)
            if event is None:
                continue
            if saved_cards.card_event(event):
                outcome: StrEnum = await card_saved(provider, factory, event, now)
                log.info("checkout of %s saved a card, no webhook yet: %s", appointment_id,
                         outcome.value)
                settled.append(appointment_id)
                continue
            await keep_card(provider, FeeWorkStore(factory), event, now)
        except (ProviderBusy, ProviderRefused) as error:
            log.warning("checkout of %s not read back (%s): released if unpaid",
                        appointment_id, error)
            continue
        outcome = await online_payments.settle(event, PaymentUnitOfWork(factory), now)
        log.info("checkout of %s paid, no webhook yet: %s", appointment_id, outcome.value)
        settled.append(appointment_id)
    return settled
