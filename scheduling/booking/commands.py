"""What callers ask the booking services to do: frozen values, checked on construction.

Rasa actions, the REST API and the admin pages build these; the services never see a request
object or a dialogue state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.booking.model import Actor, Channel, Contact, Participant
from scheduling.errors import InvalidRequest
from scheduling.hours import require_aware


@dataclass(frozen=True, slots=True)
class SlotChoice:
    """A start for a service; `staff_id`/`location_id` None let the engine choose;
    `access_code` is an early-access code the customer entered (issue 20's releases)."""

    business_id: UUID
    service_id: UUID
    start: datetime
    staff_id: UUID | None = None
    location_id: UUID | None = None
    access_code: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.access_code,) if self.access_code else ()

    def __post_init__(self) -> None:
        require_aware(self.start, "start")


@dataclass(frozen=True, slots=True)
class HoldSlot:
    slot: SlotChoice
    customer_id: UUID | None = None
    seats: int = 1
    ttl: timedelta | None = None
    """None: the business's hold time (five minutes unless it set another)."""

    def __post_init__(self) -> None:
        if self.ttl is not None and self.ttl <= timedelta(0):
            raise InvalidRequest("a hold must last some time", field="ttl")


@dataclass(frozen=True, slots=True)
class BookAppointment:
    """Book `slot` for `customer_id`; the same `idempotency_key` always yields the same
    appointment. `contact` is what the booking was made with (its notices go there; None: the
    customer's profile); `customer_id` None lets `scheduling.desk.customers.book_for` find or
    register the customer from `contact` in the booking's own transaction. `participants` (a
    group) count as seats; none means the customer alone. `hold_id` turns an earlier hold into
    the appointment without freeing the slot. `waive_notice` (the front desk only, channel
    ADMIN) books sooner than the service's minimum notice; `series_id` links the occurrences
    of a recurring booking."""

    slot: SlotChoice
    customer_id: UUID | None
    idempotency_key: str
    channel: Channel = Channel.WEB
    customer_time_zone: str | None = None
    notes: str = ""
    participants: tuple[Participant, ...] = ()
    meeting_link: str | None = None
    hold_id: UUID | None = None
    payment_reference: str | None = None
    contact: Contact | None = None
    waive_notice: bool = False
    series_id: UUID | None = None

    def __post_init__(self) -> None:
        if not self.idempotency_key.strip():
            raise InvalidRequest("an idempotency key is required", field="idempotency_key")
        if self.waive_notice and self.channel is not Channel.ADMIN:
            raise InvalidRequest("only the front desk may book within the minimum notice",
                                 field="waive_notice")

    @property
    def seats(self) -> int:
        return max(1, len(self.participants))


@dataclass(frozen=True, slots=True)
class CancelAppointment:
    appointment_id: UUID
    by: Actor
    reason: str = ""
    account: str = ""
    """The desk account (its e-mail) cancelling for the owner, named in the audit trail."""


@dataclass(frozen=True, slots=True)
class RescheduleAppointment:
    """Move to `start` (optionally another staff member); `hold_id` is a hold on the new slot."""

    appointment_id: UUID
    start: datetime
    by: Actor = Actor.CUSTOMER
    staff_id: UUID | None = None
    hold_id: UUID | None = None
    reason: str = ""
    account: str = ""
    """The desk account (its e-mail) moving it for the owner, named in the audit trail."""

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
