"""Reads behind the front desk's new-booking form: the customer being booked for, found by
what the owner types, and the seats still free in a group session.

Booking itself is `customers.book_for` (one appointment) or `series.book_series` (a
recurring one), channel ADMIN, like any other booking; nothing here writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling.availability import AvailabilityQuery
from scheduling.booking.commands import BookAppointment
from scheduling.booking.openings import open_slots
from scheduling.booking.results import BookingResult
from scheduling.catalog import Catalog
from scheduling.desk import customers
from scheduling.desk.series import SeriesPort
from scheduling.errors import InvalidRequest
from scheduling.ports import DeskUnitOfWork

MATCHES = 8
SEARCH_LIMIT = 100


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    """A customer the owner may pick; `blocked` ones are shown but cannot be booked."""

    id: UUID
    name: str
    phone: str | None
    email: str | None
    blocked: bool


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the owner typed, read as one of: a phone's digits, an e-mail, a name."""

    business_id: UUID
    digits: str | None = None
    email: str | None = None
    name: str | None = None

    @classmethod
    def of(cls, business_id: UUID, typed: str) -> Lookup | None:
        """None for nothing worth searching (under two characters)."""
        text = " ".join(typed.split())[:SEARCH_LIMIT]
        if len(text) < 2 or not text.isprintable():
            return None
        if "@" in text:
            return cls(business_id, email=text.lower())
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 4 and not re.search(r"[^\d\s()+.-]", text):
            return cls(business_id, digits=digits)
        return cls(business_id, name=text)


class FrontDeskPort(SeriesPort, Protocol):
    async def customers_matching(self, lookup: Lookup, limit: int) -> list[CustomerMatch]:
        """Customers whose phone holds the digits, e-mail holds the text, or name holds it
        (ignoring case), by name."""


class FrontDeskUnitOfWork(DeskUnitOfWork, Protocol):
    @property
    def front_desk(self) -> FrontDeskPort: ...


async def book(
    cmd: BookAppointment, proof: customers.Proof, uow: FrontDeskUnitOfWork, now: datetime
) -> BookingResult:
    """`customers.book_for`, which locks the contact first, so a double submit for a new
    customer books once instead of failing on their phone; the desk asks only for a name."""
    if cmd.contact is None:
        raise InvalidRequest("a name is required", field="contact")
    return await customers.book_for(cmd, proof, uow, now)


async def find_customers(uow: FrontDeskUnitOfWork, lookup: Lookup) -> list[CustomerMatch]:
    async with uow:
        return await uow.front_desk.customers_matching(lookup, MATCHES)


async def seats_left(
    uow: DeskUnitOfWork, catalog: Catalog, query: AvailabilityQuery
) -> dict[datetime, int]:
    """Seats still free at each bookable start of `query` (a group service's), on the one
    availability path."""
    async with uow:
        slots = await open_slots(uow.appointments, catalog, query)
    left: dict[datetime, int] = {}
    for slot in slots:
        left[slot.start] = max(left.get(slot.start, 0), slot.seats_left)
    return left


def day_range(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as the instants it starts and ends."""
    start = datetime.combine(day, time(), zone)
    return start, datetime.combine(day + timedelta(days=1), time(), zone)
