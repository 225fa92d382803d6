"""A week of the two-branch salon's appointments with every figure the analytics page shows
worked out by hand, around the start of daylight saving time (Sunday 2026-03-08 in the US).

Range 2026-03-06 .. 2026-03-10 (five days: Mar 7 and Mar 9 empty on the business's clock).
Main Street is New York, Harbour is Chicago (an hour behind). Rows, (local start):

  m1 Mar 6 09:00 NY  Ana    Women's cut 65  completed    web
  m2 Mar 6 10:00 NY  Marcus Colour 120      completed    sms    deposit 30 paid
  m9 Mar 6 13:00 NY  Priya  Colour 120      cancelled    api    deposit 30 refunded in full
  h1 Mar 6 09:00 CHI Dana   Shave 45        completed    voice
  m3 Mar 8 23:30 NY  Priya  Men's cut 40    no_show      voice  (03:30 UTC on Mar 9)
  h3 Mar 9 23:30 CHI Dana   Shave 45        completed    admin  (Mar 10 01:30 in New York)
  m4 Mar 10 11:00 NY Ana    Colour 120      confirmed    api    deposit 30 paid
  m5 Mar 10 12:00 NY Ana    Colour 120      pending      web    deposit 30 not yet paid
  m6 Mar 10 14:00 NY Marcus Colour 120      late_cancel  admin  deposit 30 paid, fee 25, 5 back
  m7 Mar 10 15:00 NY Marcus Men's cut 40    cancelled    sms
  m8 Mar 10 16:00 NY Priya  Colour 120      rescheduled  web    deposit 30 paid (moved to m4)
  h2 Mar 10 10:00 CHI Dana  Men's cut 40    confirmed    web
Outside: o1 Mar 11 00:30 NY (after the range's EDT midnight; inside were it read as EST),
o2 Mar 5 23:30 NY, and a held row on Mar 10 (holds are never counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.demo import demo_catalog, demo_id
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_tables import CustomerRow
from tests import branches

NY, CHI = ZoneInfo("America/New_York"), ZoneInfo("America/Chicago")
FIRST, LAST = date(2026, 3, 6), date(2026, 3, 10)
BUSINESS = demo_catalog().business.id
CUSTOMER = uuid5(demo_id("ledger"), "customer")
ANA, MARCUS, PRIYA = (demo_id(f"staff/{n}") for n in ("ana", "marcus", "priya"))
WOMENS, MENS, COLOUR = (demo_id(f"service/{n}") for n in ("Women's cut", "Men's cut", "Colour"))
PRICES = {WOMENS: "65", MENS: "40", COLOUR: "120", branches.SHAVE: "45"}
DEPOSIT = Decimal("30")
PAID = {"payment_required": True, "payment_amount": DEPOSIT, "payment_status": "paid"}


@dataclass(frozen=True)
class Expected:
    """The figures, worked out by hand from the rows above."""

    by_status: dict[str, int]
    by_channel: dict[str, int]
    by_day: list[int]
    by_service: dict[UUID, int]
    by_staff: dict[UUID, int]
    booked: Decimal
    completed: Decimal
    deposits_kept: Decimal
    deposits_owed: Decimal
    late_cancel_fees: Decimal
    paid: Decimal


EVERYWHERE = Expected(
    by_status={"completed": 4, "no_show": 1, "confirmed": 2, "pending": 1, "late_cancel": 1,
               "cancelled": 2, "rescheduled": 1},
    by_channel={"web": 4, "sms": 2, "voice": 2, "api": 2, "admin": 2},
    by_day=[4, 0, 1, 0, 7],
    by_service={WOMENS: 1, COLOUR: 6, MENS: 3, branches.SHAVE: 2},
    by_staff={ANA: 3, MARCUS: 3, PRIYA: 3, branches.DANA: 3},
    booked=Decimal("595"),  # 65 + 120 + 40 + 120 + 120 + 45 + 40 + 45
    completed=Decimal("275"),  # 65 + 120 + 45 + 45
    deposits_kept=Decimal("85"),  # m2 30 + m4 30 + m6 (30 - 5) + m9 (30 - 30)
    deposits_owed=Decimal("30"),  # m5
    late_cancel_fees=Decimal("25"),  # m6
    paid=Decimal("330"),  # completed 275 + deposits kept on m4 30 and m6 25
)
HARBOUR = Expected(
    by_status={"completed": 2, "confirmed": 1}, by_channel={"voice": 1, "admin": 1, "web": 1},
    by_day=[1, 0, 0, 1, 1],  # on Chicago's clock h3 is on the 9th
    by_service={branches.SHAVE: 2, MENS: 1}, by_staff={branches.DANA: 3},
    booked=Decimal("130"), completed=Decimal("90"), deposits_kept=Decimal("0"),
    deposits_owed=Decimal("0"), late_cancel_fees=Decimal("0"), paid=Decimal("90"),
)


def ledger_id(name: str) -> UUID:
    return uuid5(demo_id("ledger"), name)


def _row(name: str, when: tuple[int, int, int], zone: ZoneInfo, staff: UUID, service: UUID,
         status: str, channel: str, **extra: Any) -> dict[str, Any]:
    day, hour, minute = when
    start = datetime(2026, 3, day, hour, minute, tzinfo=zone)
    end = start + timedelta(minutes=30)
    location = branches.HARBOUR if zone is CHI else branches.MAIN_STREET
    return {
        "id": ledger_id(name), "business_id": BUSINESS,
        "customer_id": None if status == "held" else CUSTOMER, "service_id": service,
        "staff_id": staff, "location_id": location, "session_id": ledger_id(f"session/{name}"),
        "starts_at": start, "ends_at": end, "blocked_start": start, "blocked_end": end,
        "customer_time_zone": zone.key, "contact_name": "Lena Ledger",
        "contact_phone": "+15550007001", "contact_email": "lena@example.com", "status": status,
        "channel": channel, "price": Decimal(PRICES[service]), "seats": 1, "participants": [],
        "notes": "", "location_type": "in_person", "address": "", "meeting_link": None,
        "payment_required": False, "payment_amount": Decimal("0"),
        "payment_status": "not_required", "idempotency_key": None,
        "created_at": datetime(2026, 3, 1, 12, tzinfo=NY), "updated_at": start,
        "hold_expires_at": start if status == "held" else None,
    } | extra


def _cancel(fee: str, refund: str, status: str) -> dict[str, Any]:
    return {**PAID, "payment_status": status, "cancelled_by": "customer", "cancel_reason": "",
            "cancel_fee": Decimal(fee), "refund_amount": Decimal(refund),
            "cancelled_at": datetime(2026, 3, 5, 12, tzinfo=NY)}


def rows() -> list[dict[str, Any]]:
    return [
        _row("m1", (6, 9, 0), NY, ANA, WOMENS, "completed", "web"),
        _row("m2", (6, 10, 0), NY, MARCUS, COLOUR, "completed", "sms", **PAID),
        _row("m9", (6, 13, 0), NY, PRIYA, COLOUR, "cancelled", "api",
             **_cancel("0", "30", "refunded")),
        _row("h1", (6, 9, 0), CHI, branches.DANA, branches.SHAVE, "completed", "voice"),
        _row("m3", (8, 23, 30), NY, PRIYA, MENS, "no_show", "voice"),
        _row("h3", (9, 23, 30), CHI, branches.DANA, branches.SHAVE, "completed", "admin"),
        _row("m4", (10, 11, 0), NY, ANA, COLOUR, "confirmed", "api", **PAID),
        _row("m5", (10, 12, 0), NY, ANA, COLOUR, "pending", "web",
             **(PAID | {"payment_status": "pending"})),
        _row("m6", (10, 14, 0), NY, MARCUS, COLOUR, "late_cancel", "admin",
             **_cancel("25", "5", "partially_refunded")),
        _row("m7", (10, 15, 0), NY, MARCUS, MENS, "cancelled", "sms",
             **(_cancel("0", "0", "not_required") | {"payment_required": False,
                                                     "payment_amount": Decimal("0")})),
        _row("m8", (10, 16, 0), NY, PRIYA, COLOUR, "rescheduled", "web", **PAID,
             rescheduled_to=ledger_id("m4")),
        _row("h2", (10, 10, 0), CHI, branches.DANA, MENS, "confirmed", "web"),
        _row("o1", (11, 0, 30), NY, ANA, MENS, "confirmed", "web"),
        _row("o2", (5, 23, 30), NY, ANA, MENS, "confirmed", "web"),
        _row("held", (10, 17, 0), NY, ANA, MENS, "held", "web"),
    ]


async def write(session_factory: async_sessionmaker[AsyncSession]) -> None:
    """The rows, on the two-branch salon (`branches.seed` first)."""
    async with session_factory() as session:
        await session.execute(insert(CustomerRow).values(
            id=CUSTOMER, business_id=BUSINESS, name="Lena Ledger", phone="+15550007001",
            email="lena@example.com", notifications={}, preferences={},
            created_at=datetime(2026, 1, 1, tzinfo=NY)))
        for row in rows():
            await session.execute(insert(AppointmentRow).values(**row))
        await session.commit()
