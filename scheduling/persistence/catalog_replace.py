"""Replacing a whole catalog on PostgreSQL: the `CatalogReplacePort` and its unit of work.

Deleting a business deletes its rows by the foreign keys' `ON DELETE CASCADE`.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from scheduling.catalog import Catalog
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_repository import CatalogRepository, RowT
from scheduling.persistence.catalog_tables import BusinessRow, LocationRow, ServiceRow, StaffRow
from scheduling.persistence.uow import SqlUnitOfWork


class CatalogReplaceRepository(CatalogRepository):
    async def count_appointments(self, business_id: UUID) -> int:
        query = select(func.count()).where(AppointmentRow.business_id == business_id)
        return int(await self.session.scalar(query) or 0)

    async def delete_business(self, business_id: UUID) -> None:
        await self.session.execute(delete(BusinessRow).where(BusinessRow.id == business_id))
        await self.session.flush()

    async def unlist(self, catalog: Catalog) -> tuple[str, ...]:
        business = catalog.business
        kept = [
            *await self._unlist(StaffRow, AppointmentRow.staff_id, business.id,
                                [member.id for member in catalog.staff]),
            *await self._unlist(ServiceRow, AppointmentRow.service_id, business.id,
                                [service.id for service in catalog.services]),
            *await self._unlist(LocationRow, AppointmentRow.location_id, business.id,
                                [location.id for location in business.locations]),
        ]
        await self.session.flush()
        return tuple(kept)

    async def _unlist(
        self, table: type[RowT], reference: InstrumentedAttribute[UUID], business_id: UUID,
        listed: list[UUID],
    ) -> list[str]:
        """Delete the rows of `table` not `listed` that no appointment refers to through
        `reference`; the names of the others."""
        unlisted = (table.business_id == business_id) & table.id.not_in(listed)
        referenced = table.id.in_(select(reference))
        kept = await self.session.scalars(
            select(table.name).where(unlisted, referenced).order_by(table.position)
        )
        await self.session.execute(delete(table).where(unlisted, ~referenced))
        return list(kept)


class CatalogReplaceUnitOfWork(SqlUnitOfWork):
    catalog: CatalogReplaceRepository

    def _start(self) -> None:
        self.catalog = CatalogReplaceRepository(self.session)
