"""`scheduling.ports.CatalogReplaceUnitOfWork` in memory, on the same `FakeDatabase` as the
booking fake (so a test can book on it, then replace its catalog)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.booking.model import Appointment
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Archived, Catalog
from scheduling.desk.setup.replace import Named
from tests.fakes.uow import FakeAppointments, FakeCatalog, FakeSetup, FakeUnitOfWork


class FakeReplaceCatalog(FakeCatalog):
    async def lock(self) -> None:
        """Nothing to wait for: the fake runs one unit of work at a time."""

    async def business_ids(self) -> list[UUID]:
        return list(self.tx.state.catalogs)

    async def save(self, catalog: Catalog) -> None:
        await FakeSetup(self.tx).save(catalog)

    async def count_appointments(self, business_id: UUID) -> int:
        return sum(a.business_id == business_id for a, _ in self.tx.state.appointments.values())

    async def delete_business(self, business_id: UUID) -> None:
        state = self.tx.state
        del state.catalogs[business_id]
        state.customers = {k: v for k, v in state.customers.items() if v[0] != business_id}
        state.appointments = {k: v for k, v in state.appointments.items()
                              if v[0].business_id != business_id}

    async def booked_between(
        self, business_id: UUID, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[Appointment]:
        return await FakeAppointments(self.tx, None).booked_between(
            business_id, staff_ids, start, end)

    async def rules(self, business_id: UUID) -> BookingRules:
        return self.tx.state.rules.get(business_id, BookingRules())

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None:
        self.tx.state.rules[business_id] = rules

    async def reminders(self, business_id: UUID) -> dict[UUID, tuple[timedelta, ...]]:
        mine = self._scopes(business_id)
        return {k: v for k, v in self.tx.state.reminders.items() if k in mine}

    async def replace_reminders(
        self, business_id: UUID, scopes: dict[UUID, tuple[timedelta, ...]]
    ) -> None:
        mine = self._scopes(business_id)
        kept = {k: v for k, v in self.tx.state.reminders.items() if k not in mine}
        self.tx.state.reminders = kept | {
            k: tuple(sorted(set(v), reverse=True)) for k, v in scopes.items()}

    def _scopes(self, business_id: UUID) -> set[UUID]:
        catalog = self.tx.state.catalogs[business_id]
        return {business_id} | {s.id for s in catalog.services + catalog.archived.services}

    async def archive_unlisted(self, catalog: Catalog, at: datetime) -> tuple[str, ...]:
        business = catalog.business
        stored = self.tx.state.catalogs[business.id]
        shelf = stored.archived
        places = _unlisted(stored.business.locations, business.locations)
        staff = _unlisted(stored.staff, catalog.staff)
        services = _unlisted(stored.services, catalog.services)
        self.tx.state.catalogs[business.id] = Catalog(
            replace(stored.business, locations=_listed(stored.business.locations, places)),
            _listed(stored.staff, staff), _listed(stored.services, services),
            Archived(shelf.locations + places, shelf.staff + staff, shelf.services + services))
        return tuple(item.name for group in (sorted(staff, key=_name),
                                             sorted(services, key=_name),
                                             sorted(places, key=_name)) for item in group)


def _name(item: Named) -> str:
    return item.name


def _unlisted(offered: tuple[Named, ...], listed: tuple[Named, ...]) -> tuple[Named, ...]:
    ids = {item.id for item in listed}
    return tuple(item for item in offered if item.id not in ids)


def _listed(offered: tuple[Named, ...], gone: tuple[Named, ...]) -> tuple[Named, ...]:
    return tuple(item for item in offered if item not in gone)


class FakeReplaceUnitOfWork(FakeUnitOfWork):
    catalog: FakeReplaceCatalog

    def _begin(self) -> None:
        super()._begin()
        self.catalog = FakeReplaceCatalog(self._tx)
