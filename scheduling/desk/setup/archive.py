"""Archiving: a location, staff member or service stops being offered, and old appointments
still name it (rows appointments refer to are never deleted)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from scheduling.catalog import Catalog
from scheduling.desk.setup.business import without_location
from scheduling.desk.setup.change import apply
from scheduling.desk.setup.values import Changed, Kind
from scheduling.errors import InvalidRequest
from scheduling.ports import SetupUnitOfWork


@dataclass(frozen=True, slots=True)
class Archive:
    business_id: UUID
    kind: Kind
    item_id: UUID


async def archive(cmd: Archive, uow: SetupUnitOfWork, now: datetime) -> Changed:
    """Upcoming appointments of what is archived come back as stranded."""
    def edit(catalog: Catalog) -> Catalog:
        return _moved(catalog, cmd.kind, cmd.item_id)
    return await apply(uow, cmd.business_id, edit, now, archive=(cmd.kind, cmd.item_id))


def _moved(catalog: Catalog, kind: Kind, item_id: UUID) -> Catalog:
    if kind is Kind.LOCATION:
        return without_location(catalog, item_id)
    if kind is Kind.STAFF:
        member = catalog.staff_member(item_id)
        _still_offered(member in catalog.staff, "staff")
        return replace(catalog, staff=tuple(s for s in catalog.staff if s.id != item_id),
                       archived=replace(catalog.archived,
                                        staff=(*catalog.archived.staff, member)))
    service = catalog.service(item_id)
    _still_offered(service in catalog.services, "service")
    return replace(catalog, services=tuple(s for s in catalog.services if s.id != item_id),
                   archived=replace(catalog.archived,
                                    services=(*catalog.archived.services, service)))


def _still_offered(offered: bool, what: str) -> None:
    if not offered:
        raise InvalidRequest(f"{what}: already archived", field=what)
