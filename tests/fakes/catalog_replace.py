"""`scheduling.ports.CatalogReplaceUnitOfWork` in memory, on the same `FakeDatabase` as the
booking fake (so a test can book on it, then replace its catalog)."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from scheduling.catalog import Catalog, Location, Service, Staff
from scheduling.desk.setup.replace import Named
from tests.fakes.uow import FakeCatalog, FakeUnitOfWork


class FakeReplaceCatalog(FakeCatalog):
    async def business_ids(self) -> list[UUID]:
        return list(self.tx.state.catalogs)

    async def save(self, catalog: Catalog) -> None:
        """Leaves alone, after what `catalog` lists, what it does not (as PostgreSQL does)."""
        before = self.tx.state.catalogs.get(catalog.business.id, catalog)
        self._store(catalog, before, used=None)

    async def count_appointments(self, business_id: UUID) -> int:
        return sum(a.business_id == business_id for a, _ in self.tx.state.appointments.values())

    async def delete_business(self, business_id: UUID) -> None:
        state = self.tx.state
        del state.catalogs[business_id]
        state.customers = {k: v for k, v in state.customers.items() if v[0] != business_id}
        state.appointments = {k: v for k, v in state.appointments.items()
                              if v[0].business_id != business_id}

    async def unlist(self, catalog: Catalog) -> tuple[str, ...]:
        business_id = catalog.business.id
        booked = [a for a, _ in self.tx.state.appointments.values()
                  if a.business_id == business_id]
        used = {i for a in booked for i in (a.staff_id, a.service_id, a.location_id)}
        kept = self._store(catalog, self.tx.state.catalogs[business_id], used)
        return tuple(item.name for group in kept for item in group)

    def _store(
        self, catalog: Catalog, before: Catalog, used: set[UUID] | None
    ) -> tuple[tuple[Staff, ...], tuple[Service, ...], tuple[Location, ...]]:
        """`catalog` followed by what `before` had and it does not list (of that, only what
        `used` names, unless None); what was added after it is returned."""
        staff = _kept(before.staff, catalog.staff, used)
        services = _kept(before.services, catalog.services, used)
        places = _kept(before.business.locations, catalog.business.locations, used)
        business = catalog.business
        self.tx.state.catalogs[business.id] = Catalog(
            replace(business, locations=business.locations + places),
            catalog.staff + staff, catalog.services + services,
        )
        return staff, services, places


def _kept(
    old: tuple[Named, ...], new: tuple[Named, ...], used: set[UUID] | None
) -> tuple[Named, ...]:
    listed = {item.id for item in new}
    return tuple(item for item in old
                 if item.id not in listed and (used is None or item.id in used))


class FakeReplaceUnitOfWork(FakeUnitOfWork):
    catalog: FakeReplaceCatalog

    def _begin(self) -> None:
        super()._begin()
        self.catalog = FakeReplaceCatalog(self._tx)
