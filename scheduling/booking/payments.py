"""Deposits that are really paid: at the salon (the owner marks them paid) or online (the
provider's webhook does), each in one transaction with the messages it queues.

A deposit at the salon leaves the booking confirmed and the amount owed (`owed`); paying
online confirms a booking that was pending for it. Either way the payment is recorded once:
marking a paid deposit paid again, or a replayed provider event, changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from scheduling.booking import messages
from scheduling.booking.model import (
    Actor,
    Appointment,
    AuditEntry,
    PaymentStatus,
    Status,
    transition,
)
from scheduling.booking.policies import BookingRules
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork

PAYABLE = frozenset({Status.PENDING, Status.CONFIRMED, Status.COMPLETED})
"""Where a deposit can still be paid: a cancelled or moved booking is settled elsewhere."""
WAITING_KINDS = ("pending_payment",)


class PaidIn(StrEnum):
    """How the customer paid: in person at the desk, or through the provider."""

    CASH = "cash"
    CARD = "card"
    ONLINE = "online"


class Outcome(StrEnum):
    PAID = "paid"
    ALREADY_PAID = "already_paid"
    TOO_LATE = "too_late"
    """The booking was cancelled (or moved) before the money came: it must go back."""


@dataclass(frozen=True, slots=True)
class MarkPaid:
    appointment_id: UUID
    paid_in: PaidIn
    reference: str | None = None
    """The provider's payment id (online), None in person."""
    amount: Decimal | None = None
    """What the provider says was paid (online); in person it is the deposit."""
    by: str = ""
    """Who recorded it (the owner's account), kept in the audit entry."""


@dataclass(frozen=True, slots=True)
class PaymentResult:
    appointment: Appointment
    outcome: Outcome


def owed(appointment: Appointment) -> Decimal:
    """The deposit still to pay (nothing once paid, refunded or not required)."""
    payment = appointment.payment
    due = payment.required and payment.status is PaymentStatus.PENDING
    return payment.amount if due else Decimal("0")


def at_salon(appointment: Appointment) -> bool:
    """Confirmed with its deposit still owed: the customer pays when they come in."""
    return owed(appointment) > 0 and appointment.status is not Status.PENDING


def awaiting_online(appointment: Appointment) -> bool:
    """Pending until its deposit is paid online (the only bookings a pay link is for)."""
    return owed(appointment) > 0 and appointment.status is Status.PENDING


def awaiting_card(appointment: Appointment) -> bool:
    """Pending until a card is saved to confirm it (no-show protection): its link opens a
    checkout that saves the card and charges nothing."""
    return messages.card_to_save(appointment)


def awaiting_online_step(appointment: Appointment) -> bool:
    """Waiting for the customer online: a deposit to pay or a card to save."""
    return awaiting_online(appointment) or awaiting_card(appointment)


def settles(appointment: Appointment, cmd: MarkPaid) -> Outcome:
    """What recording this payment would do, refusing one that makes no sense."""
    if not appointment.payment.required:
        raise InvalidRequest("this appointment has no deposit to pay", field="appointment")
    if appointment.payment.status is not PaymentStatus.PENDING:
        return Outcome.ALREADY_PAID
    if appointment.status not in PAYABLE:
        if cmd.paid_in is PaidIn.ONLINE:
            return Outcome.TOO_LATE
        raise InvalidRequest(f"a {appointment.status.value.replace('_', ' ')} appointment "
                             "cannot be marked paid", field="appointment")
    if cmd.amount is not None and cmd.amount < appointment.payment.amount:
        raise InvalidRequest(f"{cmd.amount} paid is less than the {appointment.payment.amount} "
                             "deposit", field="amount")
    return Outcome.PAID


def paid(appointment: Appointment, cmd: MarkPaid, rules: BookingRules, now: datetime,
         actor: Actor) -> tuple[Appointment, AuditEntry]:
    """The appointment with its deposit paid; a booking pending only for it is confirmed
    (one still waiting for the owner's approval stays pending)."""
    reference = cmd.reference or f"in person ({cmd.paid_in.value})"
    payment = replace(appointment.payment, status=PaymentStatus.PAID, reference=reference)
    reason = f"deposit paid {'online' if cmd.paid_in is PaidIn.ONLINE else 'at the salon'}" \
             f" ({cmd.paid_in.value})"
    data = {"reference": reference, "paid_in": cmd.paid_in.value, "by": cmd.by}
    if appointment.status is Status.PENDING and not rules.require_approval:
        done, entry = transition(appointment, Status.CONFIRMED, now=now, actor=actor,
                                 reason=reason, payment=payment)
        return done, replace(entry, data=data)
    done = replace(appointment, payment=payment, updated_at=now)
    status = appointment.status.value
    return done, AuditEntry(done.id, now, actor, status, status, reason, data=data)


async def mark_paid(cmd: MarkPaid, uow: BookingUnitOfWork, now: datetime,
                    actor: Actor = Actor.OWNER) -> PaymentResult:
    """Record the deposit paid (the owner at the desk, or the provider's webhook as SYSTEM):
    the appointment, its audit entry and, when it becomes confirmed, its confirmation, in one
    transaction. Paid already: nothing changes. Too late (cancelled meanwhile): nothing
    changes here; the caller sends the money back."""
    async with uow:
        current = await uow.appointments.get(cmd.appointment_id, lock=True)
        outcome = settles(current, cmd)
        if outcome is not Outcome.PAID:
            return PaymentResult(current, outcome)
        done = await record_paid(uow, current, cmd, now, actor)
        await uow.commit()
    return PaymentResult(done, Outcome.PAID)


async def record_paid(uow: BookingUnitOfWork, current: Appointment, cmd: MarkPaid,
                      now: datetime, actor: Actor) -> Appointment:
    """Inside the caller's transaction, on `current` locked: the payment, its audit entry,
    the waiting message withdrawn and, when the booking becomes confirmed, its
    confirmation."""
    rules = await uow.appointments.rules(current.business_id)
    catalog = await uow.catalog.get(current.business_id)
    done, entry = paid(current, cmd, rules, now, actor)
    await uow.appointments.update(done, catalog.service(done.service_id).capacity)
    await uow.appointments.record([entry])
    await uow.outbox.cancel_pending(done.id, WAITING_KINDS)
    if done.status is not current.status:
        await uow.outbox.add(messages.confirmed(done, catalog, now), now)
    return done
