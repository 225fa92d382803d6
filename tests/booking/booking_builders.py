"""A small salon in New York with fresh ids, its customers, and helpers to name its slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.catalog import (
    Business,
    BusinessPolicies,
    CancellationPolicy,
    Catalog,
    Customer,
    Location,
    Service,
    Staff,
)
from scheduling.deposit_rules import DepositRule
from scheduling.hours import WeeklyHours
from scheduling.persistence.catalog_repository import CatalogRepository

NY = ZoneInfo("America/New_York")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=ZoneInfo("UTC"))
"""A Wednesday; the US clocks go forward on Sunday 14 March 2027."""


@dataclass(frozen=True)
class Salon:
    catalog: Catalog
    customers: tuple[Customer, ...]

    @property
    def id(self) -> UUID:
        return self.catalog.business.id

    def service(self, name: str) -> Service:
        return self.catalog.find_service(name)

    def staff(self, name: str) -> Staff:
        return next(s for s in self.catalog.staff if s.name == name)

    def slot(self, service: str, start: datetime, staff: str | None = "Ana") -> SlotChoice:
        staff_id = self.staff(staff).id if staff else None
        return SlotChoice(self.id, self.service(service).id, start, staff_id)

    def booking(
        self, service: str, start: datetime, customer: int = 0, staff: str | None = "Ana",
        **extra: object,
    ) -> BookAppointment:
        key = extra.pop("key", None) or uuid4().hex
        return BookAppointment(self.slot(service, start, staff), self.customers[customer].id,
                               str(key), **extra)  # type: ignore[arg-type]


def ny(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=NY)


def build_salon(customers: int = 4) -> Salon:
    location = Location(uuid4(), "Main", "America/New_York",
                        WeeklyHours.of(dict.fromkeys(DAYS, ["08:00-20:00"])), address="1 Main St")
    staff = tuple(
        Staff(uuid4(), name, frozenset({location.id}),
              WeeklyHours.of(dict.fromkeys(DAYS, ["09:00-17:00"])),
              breaks=WeeklyHours.of(dict.fromkeys(DAYS, ["12:30-13:00"])),
              skills=frozenset({"cut", "colour", "yoga"}))
        for name in ("Ana", "Ben")
    )
    minutes = timedelta(minutes=1)
    common = {"min_notice": 2 * 60 * minutes, "max_advance_days": 90}
    services = (
        Service(uuid4(), "Cut", 45 * minutes, Decimal("60.00"), buffer_after=10 * minutes,
                required_skills=frozenset({"cut"}), **common),  # type: ignore[arg-type]
        Service(uuid4(), "Colour", 90 * minutes, Decimal("120.00"), buffer_before=5 * minutes,
                buffer_after=15 * minutes, deposit=DepositRule.fixed(Decimal("30.00")),
                required_skills=frozenset({"colour"}), **common),  # type: ignore[arg-type]
        Service(uuid4(), "Trim", 20 * minutes, Decimal("25.00"), slot_interval=5 * minutes,
                required_skills=frozenset({"cut"}),
                cancellation=CancellationPolicy(24, Decimal("0")), **common),  # type: ignore[arg-type]
        Service(uuid4(), "Yoga", 60 * minutes, Decimal("20.00"), capacity=6,
                max_participants=4, slot_interval=60 * minutes,
                required_skills=frozenset({"yoga"}), **common),  # type: ignore[arg-type]
    )
    policies = BusinessPolicies(CancellationPolicy(24, Decimal("25.00")))
    business = Business(uuid4(), "Salon", "America/New_York", (location,), policies=policies)
    people = tuple(
        Customer(uuid4(), f"Customer {i}", phone=f"+1555{uuid4().int % 10**7:07d}",
                 time_zone="Europe/London" if i == 1 else None)
        for i in range(customers)
    )
    return Salon(Catalog(business, staff, services), people)


async def save_salon(factory: async_sessionmaker[AsyncSession], salon: Salon) -> None:
    async with factory() as session:
        repository = CatalogRepository(session)
        await repository.save(salon.catalog)
        for customer in salon.customers:
            await repository.save_customer(salon.id, customer)
        await session.commit()
