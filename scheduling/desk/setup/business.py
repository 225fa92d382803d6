"""The business profile and its locations (each with its own zone, hours and closures)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from scheduling.catalog import Business, BusinessPolicies, Catalog, Contact, Location, zone
from scheduling.desk.setup.change import (
    apply,
    offered,
    unchanged,
    unique_name,
    upsert,
    with_business,
)
from scheduling.desk.setup.checks import no_overlaps
from scheduling.desk.setup.values import Changed
from scheduling.errors import InvalidRequest
from scheduling.ports import SetupUnitOfWork


@dataclass(frozen=True, slots=True)
class EditBusiness:
    """`was`: the business the edit started from; its profile must still be the stored one."""

    business_id: UUID
    name: str
    time_zone: str
    contact: Contact
    policies: BusinessPolicies
    was: Business | None = None


@dataclass(frozen=True, slots=True)
class SaveLocation:
    """Create (a new id) or replace a location; `was`: the value the edit started from."""

    business_id: UUID
    location: Location
    was: Location | None = None


async def edit_business(cmd: EditBusiness, uow: SetupUnitOfWork, now: datetime) -> Changed:
    if not cmd.name.strip():
        raise InvalidRequest("name: must not be empty", field="name")
    zone(cmd.time_zone)

    def edit(catalog: Catalog) -> Catalog:
        if cmd.was is not None and _profile(catalog.business) != _profile(cmd.was):
            raise InvalidRequest("business: changed meanwhile; read it again and retry",
                                 field="business")
        return with_business(catalog, name=cmd.name, time_zone=cmd.time_zone,
                             contact=cmd.contact, policies=cmd.policies)
    return await apply(uow, cmd.business_id, edit, now)


def _profile(business: Business) -> tuple[object, ...]:
    """What a profile edit sets: a location edited meanwhile does not make it stale."""
    return business.name, business.time_zone, business.contact, business.policies


async def save_location(cmd: SaveLocation, uow: SetupUnitOfWork, now: datetime) -> Changed:
    location = cmd.location
    if not location.name.strip():
        raise InvalidRequest("name: must not be empty", field="name")
    no_overlaps(location.opening_hours, "opening_hours")

    def edit(catalog: Catalog) -> Catalog:
        offered(catalog.archived.locations, location.id, lambda x: x.id, "location")
        places = catalog.business.locations
        unchanged(places, cmd.was, lambda x: x.id, "location")
        unique_name([(loc.id, loc.name) for loc in places], location.id, location.name,
                    "location")
        return with_business(catalog, locations=upsert(places, location, lambda loc: loc.id))
    return await apply(uow, cmd.business_id, edit, now)


def without_location(catalog: Catalog, location_id: UUID) -> Catalog:
    """The catalog with the location moved to the archived part; the last one stays."""
    location = catalog.location(location_id)
    left = tuple(loc for loc in catalog.business.locations if loc.id != location_id)
    if location not in catalog.business.locations:
        raise InvalidRequest("location: already archived", field="location")
    if not left:
        raise InvalidRequest("location: a business keeps at least one location",
                             field="location")
    archived = replace(catalog.archived, locations=(*catalog.archived.locations, location))
    return replace(with_business(catalog, locations=left), archived=archived)
