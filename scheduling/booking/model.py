"""The appointment and its status lifecycle.

An appointment is a frozen value; every change goes through `transition`, which refuses illegal
moves and returns the audit entry describing the move, so no code path can change a status
without leaving a trace.

    held ──> pending (payment or approval) ──> confirmed ──> completed | no_show
      │           │                               │
      └─(expires) └──> cancelled | late_cancel <──┘──> rescheduled (moved to a new appointment)

`held` is a short reservation while the customer decides; it becomes the appointment itself
when booked, so the slot is never free in between.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from scheduling.catalog import LocationType
from scheduling.errors import InvalidRequest
from scheduling.occupancy import Buffered


class Status(StrEnum):
    HELD = "held"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    LATE_CANCEL = "late_cancel"
    RESCHEDULED = "rescheduled"


ACTIVE = frozenset({Status.HELD, Status.PENDING, Status.CONFIRMED})
"""Statuses that occupy staff time; the database's exclusion constraint uses the same set."""

BOOKED = frozenset({Status.PENDING, Status.CONFIRMED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.HELD: frozenset({Status.PENDING, Status.CONFIRMED}),
    Status.PENDING: frozenset(
        {Status.CONFIRMED, Status.CANCELLED, Status.LATE_CANCEL, Status.RESCHEDULED}
    ),
    Status.CONFIRMED: frozenset(
        {Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED, Status.LATE_CANCEL,
         Status.RESCHEDULED}
    ),
}


class Channel(StrEnum):
    WEB = "web"
    SMS = "sms"
    VOICE = "voice"
    API = "api"
    ADMIN = "admin"


class Actor(StrEnum):
    """Who caused a change: it decides which policies apply and who gets told."""

    CUSTOMER = "customer"
    OWNER = "owner"
    SYSTEM = "system"


class PaymentStatus(StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    PAID = "paid"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    CARD_PENDING = "card_pending"
    """No deposit, but the service asks for a card saved to confirm (no-show protection):
    the booking waits, pending, until the customer saves one."""
    CARD_SAVED = "card_saved"
    """The card was saved: late-cancel and no-show fees are charged to it."""


class IllegalTransition(InvalidRequest):
    """A status change the lifecycle does not allow (completing a cancelled appointment...)."""

    code = "illegal_transition"

    def __init__(self, current: Status, wanted: Status) -> None:
        self.current, self.wanted = current, wanted
        super().__init__(f"an appointment that is {current} cannot become {wanted}", field="status")


@dataclass(frozen=True, slots=True)
class Payment:
    required: bool = False
    amount: Decimal = Decimal("0")
    status: PaymentStatus = PaymentStatus.NOT_REQUIRED
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Cancellation:
    by: Actor
    reason: str
    fee: Decimal = Decimal("0")
    refund: Decimal = Decimal("0")
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    customer_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """The name, phone and e-mail an appointment was booked with: its notices go there, and
    a customer who proves one of them sees it. Kept apart from the customer's profile so a
    request that proved nothing can book without changing or redirecting anyone's profile."""

    name: str = ""
    phone: str | None = None
    email: str | None = None

    def reaches(self, phone: str | None, email: str | None) -> bool:
        """Whether this contact is the given phone or e-mail (e-mail case-insensitively)."""
        return bool((phone and self.phone == phone)
                    or (email and self.email and self.email.lower() == email.lower()))


@dataclass(frozen=True, slots=True)
class Appointment(Buffered):
    """`blocked_start`/`blocked_end` (from `Buffered`) are the range the database keeps
    exclusive per staff member."""

    id: UUID
    business_id: UUID
    customer_id: UUID | None
    service_id: UUID
    staff_id: UUID
    location_id: UUID
    start: datetime
    end: datetime
    buffer_before: timedelta
    buffer_after: timedelta
    customer_time_zone: str
    status: Status
    channel: Channel
    created_at: datetime
    updated_at: datetime
    price: Decimal = Decimal("0")
    seats: int = 1
    participants: tuple[Participant, ...] = ()
    notes: str = ""
    location_type: LocationType = LocationType.IN_PERSON
    address: str = ""
    meeting_link: str | None = None
    payment: Payment = Payment()
    idempotency_key: str | None = None
    hold_expires_at: datetime | None = None
    series_id: UUID | None = None
    rescheduled_from: UUID | None = None
    rescheduled_to: UUID | None = None
    cancellation: Cancellation | None = None
    checked_in_at: datetime | None = None
    confirmed_at: datetime | None = None
    completed_at: datetime | None = None
    contact: Contact | None = None

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the audit trail: who moved what from which status to which, when and why."""

    subject_id: UUID
    at: datetime
    actor: Actor
    from_status: str | None
    to_status: str
    reason: str = ""
    subject: str = "appointment"
    data: dict[str, Any] | None = None


def transition(
    appointment: Appointment, to: Status, *, now: datetime, actor: Actor, reason: str = "",
    **changes: Any,
) -> tuple[Appointment, AuditEntry]:
    """The appointment in status `to` (with `changes` applied) and its audit entry."""
    if to not in TRANSITIONS.get(appointment.status, frozenset()):
        raise IllegalTransition(appointment.status, to)
    stamps: dict[str, Any] = {"updated_at": now}
    if to is Status.CONFIRMED:
        stamps["confirmed_at"] = now
    if to is Status.COMPLETED:
        stamps["completed_at"] = now
    moved = replace(appointment, status=to, **stamps, **changes)
    entry = AuditEntry(appointment.id, now, actor, appointment.status.value, to.value, reason)
    return moved, entry


def created(appointment: Appointment, actor: Actor, reason: str = "") -> AuditEntry:
    """The audit entry for an appointment (or hold) coming into existence."""
    return AuditEntry(
        appointment.id, appointment.updated_at, actor, None, appointment.status.value, reason
    )
