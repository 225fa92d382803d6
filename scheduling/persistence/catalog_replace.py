"""Replacing a whole catalog on PostgreSQL: the `CatalogReplacePort` and its unit of work.

Deleting a business deletes its rows by the foreign keys' `ON DELETE CASCADE`.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update

from scheduling.catalog import Catalog
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.catalog_tables import BusinessRow, LocationRow, ServiceRow, StaffRow
from scheduling.persistence.uow import SqlUnitOfWork


class CatalogReplaceRepository(CatalogRepository):
    async def count_appointments(self, business_id: UUID) -> int:
        query = select(func.count()).where(AppointmentRow.business_id == business_id)
        return int(await self.session.scalar(query) or 0)

    async def delete_business(self, business_id: UUID) -> None:
        await self.session.execute(delete(BusinessRow).where(BusinessRow.id == business_id))
        await self.session.flush()

    async def archive_unlisted(self, catalog: Catalog, at: datetime) -> tuple[str, ...]:
        business = catalog.business
        listed = (
            (StaffRow, [member.id for member in catalog.staff]),
            (ServiceRow, [service.id for service in catalog.services]),
            (LocationRow, [location.id for location in business.locations]),
        )
        names: list[str] = []
        for table, ids in listed:
            archived = await self.session.scalars(
                update(table)
                .where(table.business_id == business.id, table.id.not_in(ids),
                       table.archived_at.is_(None))
                .values(archived_at=at).returning(table.name))
            names.extend(sorted(archived))
        return tuple(names)


class CatalogReplaceUnitOfWork(SqlUnitOfWork):
    catalog: CatalogReplaceRepository

    def _start(self) -> None:
        self.catalog = CatalogReplaceRepository(self.session)
