"""A demo hair salon, so `make run` has something to book on a fresh database.

Ids are uuid5 of names, so seeding twice (or on two laptops) yields the same rows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from scheduling.catalog import (
    Business,
    BusinessPolicies,
    CancellationPolicy,
    Catalog,
    Contact,
    Location,
    Service,
    Staff,
)
from scheduling.deposit_rules import DepositRule
from scheduling.hours import Closure, WeeklyHours
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.database import SessionFactory

NAMESPACE = uuid5(NAMESPACE_URL, "https://demo.booking-assistant.local/")
WEEKDAY_HOURS = ["09:00-12:30", "13:30-18:00"]


def demo_id(name: str) -> UUID:
    return uuid5(NAMESPACE, name)


def _location() -> Location:
    hours = dict.fromkeys(("tue", "wed", "thu", "fri"), ["09:00-18:00"])
    hours |= {"mon": ["10:00-18:00"], "sat": ["09:00-16:00"]}
    return Location(
        id=demo_id("location/main-street"),
        name="Main Street",
        time_zone="America/New_York",
        address="120 Main Street, Brooklyn, NY 11201",
        opening_hours=WeeklyHours.of(hours),
        closures=(
            Closure(date(2026, 12, 25), date(2026, 12, 26), "Christmas"),
            Closure(date(2027, 1, 1), date(2027, 1, 1), "New Year's Day"),
        ),
    )


def _staff(location_id: UUID) -> tuple[Staff, ...]:
    lunch = ["12:30-13:30"]
    return (
        Staff(
            id=demo_id("staff/ana"), name="Ana", location_ids=frozenset({location_id}),
            weekly_hours=WeeklyHours.of(dict.fromkeys(("tue", "wed", "thu", "fri", "sat"),
                                                      ["09:00-17:00"])),
            breaks=WeeklyHours.of(dict.fromkeys(("tue", "wed", "thu", "fri", "sat"), lunch)),
            skills=frozenset({"cut", "colour", "blow-dry"}), languages=frozenset({"en", "es"}),
            max_bookings_per_day=8,
        ),
        Staff(
            id=demo_id("staff/marcus"), name="Marcus", location_ids=frozenset({location_id}),
            weekly_hours=WeeklyHours.of(dict.fromkeys(("mon", "tue", "wed", "thu", "fri"),
                                                      ["10:00-18:00"])),
            breaks=WeeklyHours.of(dict.fromkeys(("mon", "tue", "wed", "thu", "fri"),
                                                ["13:00-13:45"])),
            skills=frozenset({"cut", "barbering"}), languages=frozenset({"en"}),
        ),
        Staff(
            id=demo_id("staff/priya"), name="Priya", location_ids=frozenset({location_id}),
            weekly_hours=WeeklyHours.of(dict.fromkeys(("mon", "wed", "thu", "fri", "sat"),
                                                      WEEKDAY_HOURS)),
            skills=frozenset({"cut", "colour", "blow-dry", "barbering"}),
            languages=frozenset({"en", "hi"}), max_bookings_per_day=10,
        ),
    )


def _service(name: str, minutes: int, price: str, skill: str, **extra: Any) -> Service:
    base = Service(
        id=demo_id(f"service/{name}"), name=name, duration=timedelta(minutes=minutes),
        price=Decimal(price), required_skills=frozenset({skill}), category="hair",
    )
    return replace(base, **extra)


def _services() -> tuple[Service, ...]:
    return (
        _service("Women's cut", 45, "65.00", "cut", aliases=("haircut", "ladies cut", "a trim")),
        _service("Men's cut", 30, "40.00", "cut", aliases=("mens haircut", "gents cut")),
        _service("Beard trim", 20, "20.00", "barbering", slot_interval=timedelta(minutes=10),
                 aliases=("beard", "beard thing", "beard tidy")),
        _service("Colour", 90, "120.00", "colour", aliases=("color", "dye", "highlights"),
                 buffer_after=timedelta(minutes=15), deposit=DepositRule.fixed(Decimal("30.00")),
                 min_notice=timedelta(hours=24)),
        _service("Blow-dry", 30, "35.00", "blow-dry", aliases=("blowout", "blow dry")),
    )


def demo_catalog() -> Catalog:
    location = _location()
    business = Business(
        id=demo_id("business/shear-delight"),
        name="Shear Delight Salon",
        time_zone="America/New_York",
        locations=(location,),
        contact=Contact(phone="+17185550123", email="hello@shear-delight.example"),
        policies=BusinessPolicies(
            cancellation=CancellationPolicy(free_cancellation_hours=24,
                                            late_cancel_fee=Decimal("25.00")),
            no_show_fee=Decimal("40.00"),
        ),
    )
    return Catalog(business=business, staff=_staff(location.id), services=_services())


async def seed_demo_if_empty(session_factory: SessionFactory) -> bool:
    """Save the demo catalog when no business exists yet; True when it did."""
    async with session_factory() as session:
        repository = CatalogRepository(session)
        if await repository.has_any_business():
            return False
        await repository.save(demo_catalog())
        await session.commit()
    return True
