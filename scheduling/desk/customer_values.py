"""What the front desk reads and writes about customers, as frozen values: the list's lines,
one customer's profile and visits, and what an erasure did. Pages get these, never rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from scheduling.catalog import CustomerPreferences, NotificationPreferences

PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class CustomerQuery:
    """A search of the list. `text` matches names and e-mails by part; `phone` (the text read
    as a number, normalised to E.164 by the caller) and `digits` (part of a number) match
    phones. `staff_id` limits the list to customers with an appointment with that person."""

    business_id: UUID
    text: str = ""
    phone: str | None = None
    digits: str = ""
    staff_id: UUID | None = None
    page: int = 1
    size: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class CustomerLine:
    id: UUID
    name: str
    phone: str | None
    email: str | None
    visits: int
    """Completed appointments."""
    no_shows: int
    last_visit: datetime | None
    """The latest appointment that has started (not a cancelled or moved one)."""
    next_visit: datetime | None
    """The soonest booked appointment still to start."""
    blocked: bool
    erased: bool


@dataclass(frozen=True, slots=True)
class CustomerPage:
    lines: tuple[CustomerLine, ...]
    page: int
    total: int
    size: int = PAGE_SIZE

    @property
    def more(self) -> bool:
        return self.page * self.size < self.total


@dataclass(frozen=True, slots=True)
class Visit:
    """One appointment of the customer's history."""

    id: UUID
    start: datetime
    time_zone: str
    service: str
    staff: str
    staff_id: UUID
    status: str
    price: Decimal
    channel: str


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    id: UUID
    business_id: UUID
    name: str
    phone: str | None
    email: str | None
    phone_verified: bool
    email_verified: bool
    created_at: datetime
    notes: str
    preferences: CustomerPreferences
    notifications: NotificationPreferences
    blocked: bool
    block_reason: str
    erased_at: datetime | None
    visits: tuple[Visit, ...] = ()
    waiting: int = 0
    """Waitlist entries still waiting or offered."""
    staff_ids: frozenset[UUID] = field(default_factory=frozenset)
    """Everyone the customer has had an appointment with (what a staff account may see)."""


@dataclass(frozen=True, slots=True)
class Erasure:
    """What erasing did: `already` when the data had been erased before (nothing done)."""

    customer_id: UUID
    cancelled: int = 0
    already: bool = False
