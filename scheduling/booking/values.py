"""Frozen values the booking use cases read through their ports, besides `Appointment`.

They are the domain's, not the database's: repositories build them from rows (or, in tests,
keep them in memory), and nothing that crosses a unit-of-work boundary is an ORM row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from scheduling.booking.policies import BookingRules
from scheduling.catalog import Catalog, Customer
from scheduling.errors import InvalidRequest


class DuplicateIdempotencyKey(InvalidRequest):
    """Another transaction committed the same key first; the caller replays its result."""


@dataclass(frozen=True, slots=True)
class BookingContext:
    """What one booking reads before it places."""

    catalog: Catalog
    """The business, all its locations, one service and the staff who might give it."""
    rules: BookingRules
    customer: Customer
    blocked: bool
    """The business no longer accepts this customer's bookings."""


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """What a booking's phone or e-mail has done before, read in one statement."""

    counts: tuple[int, ...]
    """Bookings made with it from each moment asked about."""
    blocked: bool
    """A customer the business blocked has this phone or e-mail: someone blocked cannot come
    back under another name on a fresh profile."""


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    id: UUID
    business_id: UUID
    customer_id: UUID
    service_id: UUID
    staff_id: UUID | None
    windows: tuple[tuple[datetime, datetime], ...]
    status: str
    created_at: datetime

    def wants(self, start: datetime) -> bool:
        return any(low <= start < high for low, high in self.windows)


@dataclass(frozen=True, slots=True)
class Offer:
    id: UUID
    entry_id: UUID
    hold_id: UUID | None
    staff_id: UUID
    start: datetime
    offered_at: datetime
    expires_at: datetime
    status: str
