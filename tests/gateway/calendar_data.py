"""A salon week for the calendar tests: the demo with its Harbour branch (Chicago, an hour behind
Main Street's New York), Marcus working at both, time off, a blocked day, a closed day, a date
override, and appointments in every state the desk sees (checked in, pending deposit, no-show,
cancelled, one at the other branch), written as rows so each is known to the test.

`DAY` is a Tuesday at least a week ahead, so its free gaps are still bookable.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from scheduling.hours import Closure, DateOverride, TimeOff, spans
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.catalog_tables import CustomerRow
from tests.branches import DANA, HARBOUR, MAIN_STREET, SHAVE, two_branch_catalog

NEW_YORK, CHICAGO = ZoneInfo("America/New_York"), ZoneInfo("America/Chicago")
ANA, MARCUS, PRIYA = demo_id("staff/ana"), demo_id("staff/marcus"), demo_id("staff/priya")
CUT, MENS, COLOUR = (demo_id(f"service/{n}") for n in ("Women's cut", "Men's cut", "Colour"))


def _tuesday() -> date:
    ahead = datetime.now(UTC).date() + timedelta(days=8)
    return ahead + timedelta(days=(1 - ahead.weekday()) % 7)


DAY = _tuesday()


def at(day: date, clock: str, zone: ZoneInfo = NEW_YORK) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), zone)


def calendar_catalog() -> Catalog:
    base = two_branch_catalog()
    harbour = replace(base.business.locations[1],
                      closures=(Closure(DAY + timedelta(days=2), DAY + timedelta(days=2),
                                        "Inventory"),))
    business = replace(base.business, locations=(base.business.locations[0], harbour))
    wednesday = DAY + timedelta(days=1)
    staff = []
    for member in base.staff:
        if member.id == ANA:
            member = replace(member, time_off=(TimeOff(
                at(wednesday, "00:00"), at(wednesday + timedelta(days=1), "00:00"),
                "blocked"),))
        if member.id == MARCUS:
            member = replace(member, location_ids=frozenset({MAIN_STREET, HARBOUR}),
                             time_off=(TimeOff(at(DAY, "15:00"), at(DAY, "16:00"), "dentist"),))
        if member.id == PRIYA:
            member = replace(member, overrides=(DateOverride(DAY + timedelta(days=3),
                                                             spans("10:00-12:00")),))
        staff.append(member)
    return replace(base, business=business, staff=tuple(staff))


# name, staff, service, location, start, minutes, status, extra columns
APPOINTMENTS: tuple[tuple[str, UUID, UUID, UUID, datetime, int, str, dict[str, Any]], ...] = (
    ("Carla Checkin", ANA, CUT, MAIN_STREET, at(DAY, "09:00"), 45, "confirmed",
     {"checked_in_at": at(DAY, "08:55")}),
    ("Petra Deposit", ANA, COLOUR, MAIN_STREET, at(DAY, "10:00"), 90, "pending",
     {"payment_required": True, "payment_amount": Decimal("30.00"),
      "payment_status": "pending"}),
    ("Cora Cancel", ANA, CUT, MAIN_STREET, at(DAY, "14:00"), 45, "cancelled",
     {"cancelled_by": "customer", "cancel_reason": "ill", "cancelled_at": at(DAY, "08:00")}),
    ("Nico Noshow", MARCUS, MENS, MAIN_STREET, at(DAY, "10:00"), 30, "no_show", {}),
    ("Hank Harbour", MARCUS, MENS, HARBOUR, at(DAY, "16:00", CHICAGO), 30, "confirmed", {}),
    ("Dina Shave", DANA, SHAVE, HARBOUR, at(DAY, "09:00", CHICAGO), 40, "confirmed",
     {"contact_name": None}),
    ("Gina Held", ANA, CUT, MAIN_STREET, at(DAY, "16:00"), 30, "held",
     {"customer_id": None, "hold_expires_at": at(DAY, "16:00")}),
)


def appointment_id(name: str) -> UUID:
    return demo_id(f"calendar-test/{name}")


def _row(name: str, staff: UUID, service: UUID, location: UUID, start: datetime, minutes: int,
         status: str, extra: dict[str, Any]) -> dict[str, Any]:
    end = start + timedelta(minutes=minutes)
    kind = calendar_catalog().service(service)
    row: dict[str, Any] = {
        "id": appointment_id(name), "business_id": demo_id("business/shear-delight"),
        "customer_id": demo_id(f"calendar-test/customer/{name}"), "service_id": service,
        "staff_id": staff, "location_id": location, "session_id": appointment_id(name),
        "starts_at": start, "ends_at": end, "blocked_start": start - kind.buffer_before,
        "blocked_end": end + kind.buffer_after,
        "customer_time_zone": "America/New_York", "contact_name": name,
        "contact_phone": None, "contact_email": None, "status": status, "channel": "admin",
        "price": Decimal("40.00"), "seats": 1, "participants": [], "notes": "",
        "location_type": "in_person", "address": "", "meeting_link": None,
        "payment_required": False, "payment_amount": Decimal("0"),
        "payment_status": "not_required", "idempotency_key": None,
        "created_at": start - timedelta(days=3), "updated_at": start - timedelta(days=3),
    }
    return row | extra


async def seed(factory: async_sessionmaker[AsyncSession]) -> Catalog:
    """Save the catalog, a customer per appointment and the appointments."""
    catalog = calendar_catalog()
    async with factory() as session:
        await CatalogRepository(session).save(catalog)
        for name, *_ in APPOINTMENTS:
            await session.execute(insert(CustomerRow).values(
                id=demo_id(f"calendar-test/customer/{name}"), business_id=catalog.business.id,
                name=name, notifications={}, preferences={},
                created_at=datetime.now(UTC) - timedelta(days=30)))
        for entry in APPOINTMENTS:
            await session.execute(insert(AppointmentRow).values(**_row(*entry)))
        await session.commit()
    return catalog
