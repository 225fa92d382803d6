"""Replacing a whole catalog on PostgreSQL: the `CatalogReplacePort` and its unit of work.

Deleting a business deletes its rows by the foreign keys' `ON DELETE CASCADE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import delete, func, select, text, update

from scheduling.booking.model import Appointment
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Catalog
from scheduling.persistence.booking_codec import rules_of
from scheduling.persistence.booking_repository import BookingRepository
from scheduling.persistence.booking_tables import AppointmentRow, BookingRulesRow
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.catalog_tables import BusinessRow, LocationRow, ServiceRow, StaffRow
from scheduling.persistence.notification_tables import ReminderOffsetsRow
from scheduling.persistence.reminder_offsets import set_offsets
from scheduling.persistence.setup_repository import SetupRepository
from scheduling.persistence.uow import SqlUnitOfWork

LOCK = text("SELECT pg_advisory_xact_lock(hashtext('catalog replace'))")


class CatalogReplaceRepository(CatalogRepository):
    async def lock(self) -> None:
        await self.session.execute(LOCK)
        ids = await self.business_ids()
        if ids:
            await SetupRepository(self.session).lock(ids[0])

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


    async def booked_between(
        self, business_id: UUID, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[Appointment]:
        return await BookingRepository(self.session).booked_between(
            business_id, staff_ids, start, end)

    async def rules(self, business_id: UUID) -> BookingRules:
        return rules_of(await self.session.get(BookingRulesRow, business_id))

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None:
        await SetupRepository(self.session).set_rules(business_id, rules)

    async def reminders(self, business_id: UUID) -> dict[UUID, tuple[timedelta, ...]]:
        rows = await self.session.scalars(
            select(ReminderOffsetsRow).where(ReminderOffsetsRow.business_id == business_id))
        return {row.scope_id: tuple(timedelta(minutes=m) for m in row.minutes) for row in rows}

    async def replace_reminders(
        self, business_id: UUID, scopes: dict[UUID, tuple[timedelta, ...]]
    ) -> None:
        await self.session.execute(
            delete(ReminderOffsetsRow).where(ReminderOffsetsRow.business_id == business_id))
        for scope_id, offsets in scopes.items():
            await set_offsets(self.session, business_id, scope_id, offsets)
        await self.session.flush()


class CatalogReplaceUnitOfWork(SqlUnitOfWork):
    catalog: CatalogReplaceRepository

    def _start(self) -> None:
        self.catalog = CatalogReplaceRepository(self.session)
