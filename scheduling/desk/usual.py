"""A returning customer's "usual": what "same as last time" books.

Read only from appointments the customer holds (booked with a contact they proved, the rule
"my appointments" follows), so a profile another request booked on never shows its bookings
to whoever proves the number. The usual is the service they book most often of their recent
visits (the latest breaks a tie), with the person and the weekday and time of their latest
visit for it; the next such weekday at that time is where the search starts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling.booking.model import Appointment
from scheduling.desk.customers import holds
from scheduling.ports import DeskUnitOfWork

RECENT = 10
"""How many of the latest visits count towards the usual."""


@dataclass(frozen=True, slots=True)
class Usual:
    service_id: UUID
    staff_id: UUID
    location_id: UUID
    last_start: datetime


async def usual(uow: DeskUnitOfWork, customer_id: UUID) -> Usual | None:
    """The customer's usual, or None when they have no visit of their own on record."""
    async with uow:
        customer = await uow.catalog.get_customer(customer_id)
        past = [a for a in await uow.desk.history(customer_id) if holds(customer, a)]
    return pick(past)


def pick(past: list[Appointment]) -> Usual | None:
    """The usual among `past` (any order)."""
    recent = sorted(past, key=lambda a: a.start, reverse=True)[:RECENT]
    if not recent:
        return None
    counts = Counter(a.service_id for a in recent)
    top = max(counts.values())
    latest = next(a for a in recent if counts[a.service_id] == top)
    return Usual(latest.service_id, latest.staff_id, latest.location_id, latest.start)


def next_alike(last: datetime, zone: ZoneInfo, after: datetime) -> datetime:
    """The first time after `after` on the same weekday and wall-clock time as `last` in
    `zone` (10 AM stays 10 AM across a daylight-saving change)."""
    local = last.astimezone(zone)
    day = after.astimezone(zone).date()
    day += timedelta(days=(local.weekday() - day.weekday()) % 7)
    candidate = datetime.combine(day, local.time(), zone)
    return candidate if candidate > after else datetime.combine(day + timedelta(days=7),
                                                                local.time(), zone)
