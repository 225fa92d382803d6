"""No-show protection: a service that asks for no deposit but for a card saved to confirm
(`Service.card_required`, when the business takes its payments online).

The booking waits, pending (payment status `card_pending`), while the customer saves a card
through the provider's checkout in setup mode, which charges nothing. The provider's word that
the card was saved (`settle`) records the card for the booking's fees, marks the payment
`card_saved` and confirms the booking with its confirmation, in the one transaction that
records the event: a replayed event, or the other event saying the same (Stripe sends both
`checkout.session.completed` and `setup_intent.succeeded`), changes nothing. A late cancel or
a no-show then goes through the fee path (`scheduling.booking.fees`), which charges that card.
Unsaved by the end of the payment window, the booking is released like an unpaid one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from scheduling.booking import messages
from scheduling.booking.fees import SavedCard, costs
from scheduling.booking.model import (
    Actor,
    Appointment,
    AuditEntry,
    PaymentStatus,
    Status,
    transition,
)
from scheduling.booking.online_payments import PaymentUnitOfWork, ProviderEvent
from scheduling.booking.payments import WAITING_KINDS
from scheduling.catalog import Catalog, Service
from scheduling.errors import NotFound

CARD_PURPOSE = "card"
"""A checkout's purpose when it only saves a card (a deposit's is "deposit")."""
CARD_NOT_SAVED = "no card was saved to confirm it"
"""Why the release job cancels a booking still waiting for its card."""
SAVED_FOR = frozenset({Status.PENDING, Status.CONFIRMED})
"""Where a saved card is still of use: a cancelled or moved booking has no fee to come."""


class CardOutcome(StrEnum):
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    SAVED = "card_saved"
    ALREADY_SAVED = "card_already_saved"
    TOO_LATE = "card_too_late"
    """The booking was released (or moved, cancelled) before the card came: nothing kept."""


class CardsPort(Protocol):
    async def save(self, appointment: Appointment, card: SavedCard, now: datetime) -> None:
        """The card kept for this appointment's fees (saved again: nothing new)."""
        ...


class CardUnitOfWork(PaymentUnitOfWork, Protocol):
    @property
    def cards(self) -> CardsPort: ...


def terms(catalog: Catalog, service: Service) -> str:
    """What the customer agrees to, said before their yes: "We'll save your card to confirm
    it; you're charged $40 only if you do not come, nothing now." Never "" for a service
    that asks for a card, even with no fee set (then nothing is ever charged)."""
    found = costs(catalog, service.id)
    charged = (f"you're charged only {' or '.join(found)}" if found
               else "nothing is charged")
    return f"We'll save your card to confirm it; {charged}, nothing now."


async def settle(event: ProviderEvent, card: SavedCard | None, uow: CardUnitOfWork,
                 now: datetime) -> CardOutcome:
    """Apply the provider's word that `card` was saved for `event.appointment_id`, once."""
    async with uow:
        if not await uow.payments.first_time(event, now):
            return CardOutcome.DUPLICATE
        outcome = await _apply(event, card, uow, now)
        ours = outcome is not CardOutcome.IGNORED
        await uow.payments.settled(event.id, outcome.value,
                                   event.appointment_id if ours else None)
        await uow.commit()
    return outcome


async def _apply(event: ProviderEvent, card: SavedCard | None, uow: CardUnitOfWork,
                 now: datetime) -> CardOutcome:
    if event.appointment_id is None or card is None:
        return CardOutcome.IGNORED
    try:
        current = await uow.appointments.get(event.appointment_id, lock=True)
    except NotFound:  # a forged or foreign reference: recorded, nothing else
        return CardOutcome.IGNORED
    if current.payment.status is PaymentStatus.CARD_SAVED:
        return CardOutcome.ALREADY_SAVED
    if current.payment.status is not PaymentStatus.CARD_PENDING or \
            current.status not in SAVED_FOR:
        return CardOutcome.TOO_LATE
    await uow.cards.save(current, card, now)
    await _confirm(uow, current, event, now)
    return CardOutcome.SAVED


async def _confirm(uow: CardUnitOfWork, current: Appointment, event: ProviderEvent,
                   now: datetime) -> None:
    """The payment marked `card_saved`; a booking pending only for it is confirmed, with its
    confirmation (one the owner still has to approve stays pending)."""
    rules = await uow.appointments.rules(current.business_id)
    catalog = await uow.catalog.get(current.business_id)
    payment = replace(current.payment, status=PaymentStatus.CARD_SAVED)
    reason, data = "card saved for fees", {"reference": str(event.reference), "by": event.id}
    if current.status is Status.PENDING and not rules.require_approval:
        done, entry = transition(current, Status.CONFIRMED, now=now, actor=Actor.SYSTEM,
                                 reason=reason, payment=payment)
    else:
        done = replace(current, payment=payment, updated_at=now)
        entry = AuditEntry(done.id, now, Actor.SYSTEM, current.status.value,
                           current.status.value, reason)
    await uow.appointments.update(done, catalog.service(done.service_id).capacity)
    await uow.appointments.record([replace(entry, data=data)])
    await uow.outbox.cancel_pending(done.id, WAITING_KINDS)
    if done.status is not current.status:
        await uow.outbox.add(messages.confirmed(done, catalog, now), now)


def card_event(event: ProviderEvent) -> bool:
    """Whether a provider's event reports a card saved (not a payment)."""
    return event.purpose == CARD_PURPOSE
