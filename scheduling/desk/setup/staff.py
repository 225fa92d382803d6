"""Staff: where and when they work, what they can do, their time off and daily maximum."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from scheduling.catalog import Catalog, Staff
from scheduling.desk.setup.change import apply, offered, unchanged, unique_name, upsert
from scheduling.desk.setup.checks import known, no_overlaps
from scheduling.desk.setup.values import Changed
from scheduling.errors import InvalidRequest
from scheduling.hours import TimeOff
from scheduling.ports import SetupUnitOfWork


@dataclass(frozen=True, slots=True)
class SaveStaff:
    """Create (a new id) or replace a staff member, time off and overrides included; `was`:
    the value the edit started from."""

    business_id: UUID
    staff: Staff
    was: Staff | None = None


@dataclass(frozen=True, slots=True)
class AddTimeOff:
    """Time off or blocked time: the staff member takes no booking in it."""

    business_id: UUID
    staff_id: UUID
    time_off: TimeOff


async def save_staff(cmd: SaveStaff, uow: SetupUnitOfWork, now: datetime) -> Changed:
    member = cmd.staff
    if not member.name.strip():
        raise InvalidRequest("name: must not be empty", field="name")
    if not member.location_ids:
        raise InvalidRequest("location_ids: works at one location at least",
                             field="location_ids")
    no_overlaps(member.weekly_hours, "weekly_hours")
    no_overlaps(member.breaks, "breaks")
    days = [override.day for override in member.overrides]
    if len(set(days)) != len(days):
        raise InvalidRequest("overrides: one override a day", field="overrides")

    def edit(catalog: Catalog) -> Catalog:
        offered(catalog.archived.staff, member.id, lambda x: x.id, "staff")
        unchanged(catalog.staff, cmd.was, lambda x: x.id, "staff")
        unique_name([(s.id, s.name) for s in catalog.staff], member.id, member.name, "staff")
        known(member.location_ids, [loc.id for loc in catalog.business.locations],
              "location_ids")
        return replace(catalog, staff=upsert(catalog.staff, member, lambda s: s.id))
    return await apply(uow, cmd.business_id, edit, now)


async def add_time_off(cmd: AddTimeOff, uow: SetupUnitOfWork, now: datetime) -> Changed:
    def edit(catalog: Catalog) -> Catalog:
        member = _offered(catalog, cmd.staff_id)
        off = tuple(sorted((*member.time_off, cmd.time_off), key=lambda o: o.start))
        return replace(catalog, staff=upsert(catalog.staff, replace(member, time_off=off),
                                             lambda s: s.id))
    return await apply(uow, cmd.business_id, edit, now)


def _offered(catalog: Catalog, staff_id: UUID) -> Staff:
    member = catalog.staff_member(staff_id)
    if member not in catalog.staff:
        raise InvalidRequest("staff: archived, edit refused", field="staff")
    return member
