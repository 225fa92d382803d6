"""Deposits paid online through a provider: the checkout a pending booking is paid through,
and the provider's word that it was paid.

The provider is called outside any transaction (a slow network must not hold a booking's row
lock); what it answers is then recorded in one. A provider event is applied at most once: its
id is inserted in the same transaction that marks the booking paid and queues the
confirmation, so a replay, or the same event delivered twice at once, changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from scheduling.booking import payments
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import Actor, Appointment
from scheduling.booking.payments import MarkPaid, Outcome, PaidIn
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest, NotFound
from scheduling.ports import BookingUnitOfWork

SHORTEST_CHECKOUT = timedelta(minutes=31)
"""A provider's checkout lasts at least 30 minutes (Stripe's floor), whatever is left of the
business's payment window; money arriving after the booking was released goes back."""


@dataclass(frozen=True, slots=True)
class Checkout:
    session_id: str
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """A payment the provider reports: which booking (None: not one of ours), its payment id
    and the amount received (None: not paid, e.g. a checkout awaiting a bank transfer)."""

    id: str
    type: str
    appointment_id: UUID | None
    reference: str | None
    amount: Decimal | None
    purpose: str = "deposit"
    """What the checkout was for: "deposit", or `fees.FEE_PURPOSE` and the fee's kind."""
    customer: str | None = None
    """The provider's customer the card was saved to, when the customer agreed to keep it."""


PAID_TWICE = "the deposit was already paid"
"""A payment for a deposit recorded with another reference (a second checkout, or paid at
the desk meanwhile): the money goes back."""


class EventOutcome(StrEnum):
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    PAID = Outcome.PAID.value
    ALREADY_PAID = Outcome.ALREADY_PAID.value
    REFUSED = "refused"
    REFUNDING = "refunding"
    """Paid after the booking was released, or paid twice: the refund is queued."""


@dataclass(frozen=True, slots=True)
class RefundResult:
    """What the provider answered a refund: `status` succeeded, pending, retrying or failed."""

    status: str
    provider_id: str | None = None
    error: str | None = None
    amount: Decimal | None = None


class PaymentsPort(Protocol):
    async def checkout(self, appointment_id: UUID) -> Checkout | None:
        """The booking's latest checkout, if one was made."""
        ...

    async def save_checkout(self, appointment_id: UUID, checkout: Checkout, amount: Decimal,
                            now: datetime) -> None: ...

    async def first_time(self, event: ProviderEvent, now: datetime) -> bool:
        """Record the event; False when it was recorded before (waits for a concurrent
        transaction recording it, then answers False)."""
        ...

    async def settled(self, event_id: str, outcome: str, appointment_id: UUID | None
                      ) -> None:
        """The event's outcome, and the booking it paid for when it is one of ours."""
        ...


class PaymentUnitOfWork(BookingUnitOfWork, Protocol):
    @property
    def payments(self) -> PaymentsPort: ...


NewCheckout = Callable[[Appointment, Catalog, datetime], Awaitable[Checkout]]


def checkout_deadline(appointment: Appointment, window: timedelta, now: datetime) -> datetime:
    """When the checkout stops taking money: the end of the payment window, at least
    `SHORTEST_CHECKOUT` from now."""
    return max(appointment.created_at + window, now + SHORTEST_CHECKOUT)


async def checkout(appointment_id: UUID, uow: PaymentUnitOfWork, now: datetime,
                   new: NewCheckout) -> Checkout:
    """The booking's checkout (paying its deposit, or saving a card to confirm it): the live
    one, else a new one from the provider (`new`, called outside the transaction). A booking
    not waiting for either, or past its payment window, is refused with the reason."""
    async with uow:
        current = await uow.appointments.get(appointment_id)
        window = (await uow.appointments.rules(current.business_id)).payment_window
        live = await uow.payments.checkout(appointment_id)
        catalog = await uow.catalog.get(current.business_id)
    if not payments.awaiting_online_step(current):  # a deposit to pay, or a card to save
        raise InvalidRequest("this booking is not waiting for a payment", field="appointment")
    if now >= current.created_at + window:
        raise InvalidRequest("the time to pay the deposit has passed", field="appointment")
    if live is not None and live.expires_at > now + timedelta(minutes=1):
        return live
    made = await new(current, catalog, checkout_deadline(current, window, now))
    async with uow:
        await uow.payments.save_checkout(appointment_id, made, current.payment.amount, now)
        await uow.commit()
    return made


async def settle(event: ProviderEvent, uow: PaymentUnitOfWork, now: datetime) -> EventOutcome:
    """Apply a provider's payment once: the booking paid (and confirmed, with its
    confirmation queued) in the transaction that records the event; money for a booking
    released meanwhile is sent back through a queued refund."""
    async with uow:
        if not await uow.payments.first_time(event, now):
            return EventOutcome.DUPLICATE
        outcome = await _apply(event, uow, now)
        ours = outcome not in (EventOutcome.IGNORED, EventOutcome.REFUSED)
        await uow.payments.settled(event.id, outcome.value,
                                   event.appointment_id if ours else None)
        await uow.commit()
    return outcome


async def _apply(event: ProviderEvent, uow: PaymentUnitOfWork, now: datetime) -> EventOutcome:
    if event.appointment_id is None or event.amount is None or event.reference is None:
        return EventOutcome.IGNORED
    cmd = MarkPaid(event.appointment_id, PaidIn.ONLINE, event.reference, event.amount,
                   by=f"provider event {event.id}")
    try:
        current = await uow.appointments.get(event.appointment_id, lock=True)
    except NotFound:  # a forged or foreign reference: recorded, nothing else
        return EventOutcome.IGNORED
    try:
        outcome = payments.settles(current, cmd)
    except InvalidRequest:  # less than the deposit, or no deposit: recorded, not applied
        return EventOutcome.REFUSED
    if outcome is Outcome.PAID:
        await payments.record_paid(uow, current, cmd, now, Actor.SYSTEM)
        return EventOutcome.PAID
    if outcome is Outcome.TOO_LATE:
        await uow.outbox.add([late_refund(current, event, now)], now)
        return EventOutcome.REFUNDING
    if current.payment.reference != event.reference:  # a second payment, not a second word
        await uow.outbox.add([late_refund(current, event, now, PAID_TWICE)], now)
        return EventOutcome.REFUNDING
    return EventOutcome.ALREADY_PAID


def late_refund(appointment: Appointment, event: ProviderEvent, now: datetime,
                reason: str = "paid after the booking was released") -> OutboxMessage:
    """The whole amount back: the booking it paid for was released (or moved) before it
    arrived, or its deposit had been paid already."""
    payload = {"appointment_id": str(appointment.id), "amount": str(event.amount),
               "business_id": str(appointment.business_id),
               "reference": event.reference, "reason": reason}
    return OutboxMessage("refund", f"refund:{appointment.id}:late:{event.reference}", now,
                         payload, appointment.id)
