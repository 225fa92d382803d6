"""What planning a message reads, on one read-only session per dispatcher batch: the business's
catalog, the customer, what the appointment row knows that the payload could not, the
appointment's reschedule chain, a closer reminder, opt-outs. Frozen values only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.catalog import Catalog, Customer
from scheduling.desk.setup.values import MessageParts
from scheduling.notifications.delivery import Claimed
from scheduling.persistence import optouts_store, outbox_store
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.lineage import lineage
from scheduling.persistence.setup_repository import SetupRepository


@dataclass(frozen=True, slots=True)
class AppointmentContact:
    """Who the appointment was booked by, a cancellation's refund, a virtual visit's link."""

    refund_amount: Decimal | None
    meeting_link: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None


class DeliveryReads:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def catalog(self, business_id: UUID) -> Catalog:
        return await CatalogRepository(self._session).get(business_id)

    async def message_parts(self, business_id: UUID) -> MessageParts:
        return await SetupRepository(self._session).message_parts(business_id)

    async def customer(self, customer_id: UUID) -> Customer:
        return await CatalogRepository(self._session).get_customer(customer_id)

    async def appointment_contact(self, appointment_id: UUID) -> AppointmentContact | None:
        row = (await self._session.execute(
            select(AppointmentRow.refund_amount, AppointmentRow.meeting_link,
                   AppointmentRow.contact_name, AppointmentRow.contact_phone,
                   AppointmentRow.contact_email)
            .where(AppointmentRow.id == appointment_id))).first()
        return AppointmentContact(*row) if row is not None else None

    async def lineage(self, appointment_id: UUID) -> tuple[UUID, int]:
        return await lineage(self._session, appointment_id)

    async def superseded(self, message: Claimed, now: datetime) -> bool:
        return await outbox_store.superseded(self._session, message, now)

    async def opted_out(self, phones: Iterable[str]) -> set[str]:
        return await optouts_store.opted_out(self._session, phones)


@asynccontextmanager
async def delivery_reads(factory: SessionFactory) -> AsyncIterator[DeliveryReads]:
    """Reads for one batch, rolled back at the end (nothing is written while planning)."""
    async with factory() as session:
        yield DeliveryReads(session)
        await session.rollback()
