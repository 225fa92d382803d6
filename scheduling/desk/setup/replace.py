"""Replace the business the system serves by a whole new catalog, in one transaction.

A fresh install serves the demo salon; the wizard and `catalog import` hand over the owner's
own business. Two cases, told apart by identity:

- the catalog is the served business (same id, or same name): it is updated in place. Its
  locations, staff and services keep their ids when the new catalog names them (matched by id,
  else by name, archived ones too: listing one again offers it again), so appointments keep
  pointing at them; what the catalog no longer lists is archived, never deleted.
- it is another business: the served one is deleted with all its rows and the new one saved.
  A business with appointments is not deleted unless the command says `discard_bookings`
  (the demo's test bookings, say): bookings are not lost as a side effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

from scheduling.booking.model import Appointment
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Catalog, Location, Service, Staff, normalise
from scheduling.desk.setup.change import REACH
from scheduling.desk.setup.stranded import stranded
from scheduling.errors import PolicyViolation
from scheduling.notifications.reminders import DEFAULT_OFFSETS
from scheduling.ports import CatalogReplaceUnitOfWork

Named = TypeVar("Named", Location, Staff, Service)


class BusinessHasBookings(PolicyViolation):
    """Replacing a business would delete the appointments it holds."""

    def __init__(self, name: str, count: int) -> None:
        super().__init__(
            "business_has_bookings",
            f"{name} has {count} appointment(s): replacing it would delete them. Import it "
            "under its own id or name to update it in place, or discard the bookings.",
            count=count,
        )


@dataclass(frozen=True, slots=True)
class Reminders:
    """Reminder lead times of the business and of the services (by name) that have their own;
    a service not named follows the business."""

    business: tuple[timedelta, ...]
    services: Mapping[str, tuple[timedelta, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Served:
    """The served business's catalog with its rules and reminders, as an export writes it."""

    catalog: Catalog
    rules: BookingRules
    reminders: Reminders


@dataclass(frozen=True, slots=True)
class ReplaceCatalog:
    """`rules` and `reminders`: None leaves them as they are. `dry_run`: check and report
    everything, write nothing."""

    catalog: Catalog
    rules: BookingRules | None = None
    reminders: Reminders | None = None
    discard_bookings: bool = False
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Replaced:
    """`catalog` as saved (with the ids it adopted); `removed` the business deleted, if any;
    `archived` names what the catalog no longer lists; `stranded` the upcoming appointments
    an update in place left outside working time (soonest first), for the owner to rebook."""

    catalog: Catalog
    removed: UUID | None = None
    archived: tuple[str, ...] = ()
    stranded: tuple[Appointment, ...] = ()

    @property
    def updated_in_place(self) -> bool:
        return self.removed is None


async def replace_catalog(
    command: ReplaceCatalog, uow: CatalogReplaceUnitOfWork, now: datetime
) -> Replaced:
    async with uow:
        await uow.catalog.lock()
        served = await _served(uow)
        if served is not None and is_same_business(served, command.catalog):
            result = await _update(uow, served, adopt_ids(command.catalog, served), now)
        else:
            result = await _swap(uow, command, served)
        await _settings(uow, command, result.catalog)
        if not command.dry_run:
            await uow.commit()
    return result


async def read_served(uow: CatalogReplaceUnitOfWork) -> Served | None:
    async with uow:
        catalog = await _served(uow)
        if catalog is None:
            return None
        business_id = catalog.business.id
        scopes = await uow.catalog.reminders(business_id)
        reminders = Reminders(
            scopes.get(business_id, DEFAULT_OFFSETS),
            {s.name: scopes[s.id] for s in catalog.services if s.id in scopes})
        return Served(catalog, await uow.catalog.rules(business_id), reminders)


async def _served(uow: CatalogReplaceUnitOfWork) -> Catalog | None:
    ids = await uow.catalog.business_ids()
    return await uow.catalog.get(ids[0]) if ids else None


async def _update(
    uow: CatalogReplaceUnitOfWork, served: Catalog, catalog: Catalog, now: datetime
) -> Replaced:
    business_id = served.business.id
    staff_ids = [member.id for member in (*served.staff, *served.archived.staff)]
    upcoming = await uow.catalog.booked_between(business_id, staff_ids, now, now + REACH)
    await uow.catalog.save(catalog)
    archived = await uow.catalog.archive_unlisted(catalog, now)
    return Replaced(catalog, archived=archived, stranded=stranded(served, catalog, upcoming))


async def _swap(
    uow: CatalogReplaceUnitOfWork, command: ReplaceCatalog, served: Catalog | None
) -> Replaced:
    if served is None:
        await uow.catalog.save(command.catalog)
        return Replaced(command.catalog)
    old = served.business
    count = await uow.catalog.count_appointments(old.id)
    if count and not command.discard_bookings:
        raise BusinessHasBookings(old.name, count)
    await uow.catalog.delete_business(old.id)
    await uow.catalog.save(command.catalog)
    return Replaced(command.catalog, removed=old.id)


async def _settings(
    uow: CatalogReplaceUnitOfWork, command: ReplaceCatalog, catalog: Catalog
) -> None:
    business_id = catalog.business.id
    if command.rules is not None:
        await uow.catalog.set_rules(business_id, command.rules)
    if command.reminders is not None:
        by_name = {service.name: service.id for service in catalog.services}
        scopes = {by_name[name]: offsets
                  for name, offsets in command.reminders.services.items() if name in by_name}
        await uow.catalog.replace_reminders(
            business_id, {business_id: command.reminders.business} | scopes)


def is_same_business(served: Catalog, new: Catalog) -> bool:
    old, other = served.business, new.business
    return old.id == other.id or normalise(old.name) == normalise(other.name)


def adopt_ids(new: Catalog, served: Catalog) -> Catalog:
    """`new` with the served business's ids wherever it names the same thing (by id, else by
    name; offered or archived), references between its parts followed."""
    shelf = served.archived
    places = _id_map(new.business.locations, served.business.locations + shelf.locations)
    people = _id_map(new.staff, served.staff + shelf.staff)
    offers = _id_map(new.services, served.services + shelf.services)
    business = replace(
        new.business, id=served.business.id,
        locations=tuple(replace(loc, id=places[loc.id]) for loc in new.business.locations),
    )
    staff = tuple(
        replace(member, id=people[member.id],
                location_ids=frozenset(places[i] for i in member.location_ids))
        for member in new.staff
    )
    services = tuple(
        replace(service, id=offers[service.id],
                location_ids=frozenset(places[i] for i in service.location_ids))
        for service in new.services
    )
    return Catalog(business=business, staff=staff, services=services)


def _id_map(new: tuple[Named, ...], old: tuple[Named, ...]) -> dict[UUID, UUID]:
    """An offered entry's id wins over an archived one's of the same name (it comes first)."""
    known = {item.id for item in old}
    claimed = {item.id for item in new} & known
    by_name: dict[str, UUID] = {}
    for item in old:
        if item.id not in claimed:
            by_name.setdefault(normalise(item.name), item.id)
    return {
        item.id: item.id if item.id in known else by_name.get(normalise(item.name), item.id)
        for item in new
    }
