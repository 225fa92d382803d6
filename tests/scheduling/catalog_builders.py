"""Builders for small catalogs: one location, staff and services made from a few words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from scheduling.catalog import Business, Catalog, Location, Service, Staff
from scheduling.hours import WeeklyHours

NAMESPACE = UUID("6f1c1f52-6c1d-4b7e-9d7e-0e6b8a1c2d3e")
ALL_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def uid(name: str) -> UUID:
    return uuid5(NAMESPACE, name)


def every_day(*spans: str, days: Sequence[str] = ALL_WEEK) -> WeeklyHours:
    return WeeklyHours.of(dict.fromkeys(days, list(spans)))


def location(zone: str = "America/New_York", **extra: Any) -> Location:
    base = Location(uid("loc"), "Main", zone, every_day("00:00-00:00"))
    return replace(base, **extra)


def staff(name: str, **extra: Any) -> Staff:
    base = Staff(
        uid(name), name, frozenset({uid("loc")}), every_day("09:00-17:00"),
        skills=frozenset({"cut"}),
    )
    return replace(base, **extra)


def service(name: str = "cut", minutes: int = 30, **extra: Any) -> Service:
    base = Service(
        uid(f"service/{name}"), name, timedelta(minutes=minutes), Decimal("40.00"),
        required_skills=frozenset({"cut"}), min_notice=timedelta(0), max_advance_days=365,
    )
    return replace(base, **extra)


def catalog(
    staff_members: Sequence[Staff] = (), services: Sequence[Service] = (), **location_extra: Any
) -> Catalog:
    place = location(**location_extra)
    business = Business(uid("biz"), "Biz", place.time_zone, (place,))
    team = tuple(staff_members) or (staff("ana"),)
    return Catalog(business, team, tuple(services) or (service(),))


def at(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def local_times(slots: Sequence[Any], zone: str) -> list[time]:
    return [slot.start.astimezone(ZoneInfo(zone)).time() for slot in slots]
