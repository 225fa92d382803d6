"""The front desk's writes on a customer (notes, preferences, erasure) on the caller's session,
and the unit of work that carries them: the owner's setup one plus `records`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.model import BOOKED
from scheduling.catalog import CustomerPreferences, NotificationPreferences
from scheduling.desk.customer_records import RecordState
from scheduling.persistence import catalog_codec as codec
from scheduling.persistence import customer_export, erasure
from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.customer_tables import CustomerRecordRow
from scheduling.persistence.setup_uow import SetupUnitOfWork


class CustomerRecords:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, customer_id: UUID) -> RecordState | None:
        """The customer's row locked for this transaction (two erasures, or an erasure and an
        edit, queue on it); None for an unknown id. The state is read after the lock is held,
        in a statement of its own: one statement sees the rows committed when it began, so
        the locking one would miss what the transaction it waited for wrote."""
        locked = await self.session.scalar(select(CustomerRow.id).where(
            CustomerRow.id == customer_id).with_for_update())
        if locked is None:
            return None
        business, preferences, notifications, notes, erased = (await self.session.execute(
            select(CustomerRow.business_id, CustomerRow.preferences, CustomerRow.notifications,
                   CustomerRecordRow.notes, CustomerRecordRow.erased_at)
            .outerjoin(CustomerRecordRow, CustomerRecordRow.customer_id == CustomerRow.id)
            .where(CustomerRow.id == customer_id))).one()
        return RecordState(business, notes or "", codec.preferences_of(preferences),
                           codec.notifications_of(notifications), erased)

    async def set_notes(self, customer_id: UUID, notes: str, now: datetime) -> None:
        await self.session.execute(insert(CustomerRecordRow).values(
            customer_id=customer_id, notes=notes, updated_at=now,
        ).on_conflict_do_update(index_elements=[CustomerRecordRow.customer_id],
                                set_={"notes": notes, "updated_at": now}))

    async def set_preferences(self, customer_id: UUID, preferences: CustomerPreferences,
                              notifications: NotificationPreferences) -> None:
        await self.session.execute(update(CustomerRow).where(CustomerRow.id == customer_id)
                                   .values(preferences=codec.preferences_json(preferences),
                                           notifications=codec.notifications_json(notifications)))

    async def upcoming(self, customer_id: UUID, now: datetime) -> list[UUID]:
        """Booked appointments not yet over: what erasing would cancel."""
        return list(await self.session.scalars(select(A.id).where(
            A.customer_id == customer_id, A.status.in_([s.value for s in BOOKED]),
            A.ends_at > now).order_by(A.starts_at)))

    async def leave_waitlist(self, customer_id: UUID) -> list[UUID]:
        return await erasure.leave_waitlist(self.session, customer_id)

    async def erase(self, customer_id: UUID, holds: Sequence[UUID], now: datetime) -> None:
        await erasure.erase(self.session, customer_id, holds, now)

    async def export(self, customer_id: UUID) -> dict[str, Any]:
        return await customer_export.export(self.session, customer_id)


class CustomerUnitOfWork(SetupUnitOfWork):
    records: CustomerRecords

    def _start(self) -> None:
        super()._start()
        self.records = CustomerRecords(self.session)
