"""Booking rules beyond the catalog, and the cancellation decision.

The catalog says how long a free cancellation lasts and what a late one costs; these rules say
how many bookings a customer may hold, whether the owner approves each one, and how long holds,
waitlist offers, no-show grace periods and unpaid pending bookings last. Defaults apply to
businesses with no row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from scheduling.booking.model import Actor, Appointment, PaymentStatus, Status
from scheduling.catalog import CancellationPolicy
from scheduling.errors import InvalidRequest, PolicyViolation


@dataclass(frozen=True, slots=True)
class BookingRules:
    max_active_per_customer: int = 5
    require_approval: bool = False
    hold_ttl: timedelta = timedelta(minutes=5)
    claim_window: timedelta = timedelta(hours=2)
    no_show_grace: timedelta = timedelta(minutes=15)
    payment_window: timedelta = timedelta(minutes=30)
    """How long a pending booking waits for its deposit before the slot is released."""
    max_per_contact_day: int = 4
    max_per_contact_week: int = 10
    """New bookings one phone or e-mail may make in a day and in a week (the owner's own
    bookings are not counted against it): one script cannot hoard a day's slots under made-up
    names, whatever profile each booking lands on."""
    max_live_holds_per_customer: int = 2
    deposits_online: bool = False
    """Deposits are paid online (Stripe) before the booking is confirmed; False: the booking
    is confirmed at once and the deposit is paid at the salon (no provider needs setting up)."""

    def __post_init__(self) -> None:
        if self.max_active_per_customer < 1:
            raise InvalidRequest("a customer must be allowed at least one booking")
        caps = (self.max_per_contact_day, self.max_per_contact_week,
                self.max_live_holds_per_customer)
        if min(caps) < 1:
            raise InvalidRequest("every per-contact cap must allow at least one")


class CancelOutcome(StrEnum):
    FREE = "free"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class CancelDecision:
    status: Status
    fee: Decimal
    refund: Decimal
    payment_status: PaymentStatus


def hours_before(appointment: Appointment, now: datetime) -> float:
    return (appointment.start - now).total_seconds() / 3600


def may_change(
    appointment: Appointment, policy: CancellationPolicy, by: Actor, now: datetime, verb: str
) -> CancelOutcome:
    """Whether `by` may cancel or move `appointment` now, and at what cost.

    The owner always may. A customer may for free until `free_cancellation_hours` before the
    start; after that only when the policy sets a late fee (a late cancel), never to move it,
    and never once it has started.
    """
    if by is not Actor.CUSTOMER:
        return CancelOutcome.FREE
    left = hours_before(appointment, now)
    if left >= policy.free_cancellation_hours:
        return CancelOutcome.FREE
    if left > 0 and verb == "cancel" and policy.late_cancel_fee > 0:
        return CancelOutcome.LATE
    hours = policy.free_cancellation_hours
    sentences = {  # whole sentences: verbs are not glued together from fragments
        "cancel": f"appointments can only be cancelled up to {hours} hours before they start",
        "reschedule": f"appointments can only be moved (rescheduled) up to {hours} hours "
                      "before they start",
    }
    rule = sentences.get(verb, f"appointments can only be changed up to {hours} hours before "
                               "they start")
    raise PolicyViolation(
        "cancellation_window",
        f"{rule}; {max(left, 0):.1f} hours are left",
        free_cancellation_hours=policy.free_cancellation_hours,
        hours_left=round(max(left, 0.0), 2),
        late_cancel_fee=str(policy.late_cancel_fee),
    )


def cancel_decision(
    appointment: Appointment, outcome: CancelOutcome, policy: CancellationPolicy
) -> CancelDecision:
    """Status, fee and refund: a free cancel refunds what was paid, a late one keeps the fee."""
    paid = appointment.payment.amount if appointment.payment.status is PaymentStatus.PAID else 0
    fee = policy.late_cancel_fee if outcome is CancelOutcome.LATE else Decimal("0")
    refund = max(Decimal(paid) - fee, Decimal("0"))
    status = Status.LATE_CANCEL if outcome is CancelOutcome.LATE else Status.CANCELLED
    return CancelDecision(status, fee, refund, _refunded(appointment.payment.status, paid, refund))


def _refunded(current: PaymentStatus, paid: Decimal | int, refund: Decimal) -> PaymentStatus:
    if current is not PaymentStatus.PAID or refund == 0:
        return current
    return PaymentStatus.REFUNDED if refund == paid else PaymentStatus.PARTIALLY_REFUNDED
