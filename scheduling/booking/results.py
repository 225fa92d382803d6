"""What the booking services return: frozen values, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from scheduling.booking.model import Appointment


@dataclass(frozen=True, slots=True)
class HoldResult:
    hold_id: UUID
    staff_id: UUID
    location_id: UUID
    start: datetime
    end: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class BookingResult:
    """`replayed` is True when the idempotency key had already booked this appointment."""

    appointment: Appointment
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class CancelResult:
    appointment: Appointment
    fee: Decimal
    refund: Decimal
    offer_new_times: bool
    waitlist_offer_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class RescheduleResult:
    old: Appointment
    new: Appointment
    waitlist_offer_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What a periodic job changed: ids per outcome."""

    no_show: tuple[UUID, ...] = ()
    completed: tuple[UUID, ...] = ()
    expired: tuple[UUID, ...] = ()
    at_salon: tuple[UUID, ...] = ()
    """Left waiting to pay online when the business switched to deposits at the salon."""
