"""The front desk's new-booking reads and writes: customers found by what the owner typed,
and the `booking_series` row a recurring booking's occurrences point at. Flushes on the
caller's session, never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.desk.desk_booking import CustomerMatch, Lookup
from scheduling.persistence.booking_tables import CustomerBlockRow, SeriesRow
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.setup_uow import SetupUnitOfWork


class FrontDeskStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_series(self, series_id: UUID, business_id: UUID, customer_id: UUID,
                         rule: dict[str, Any], now: datetime) -> None:
        await self.session.execute(insert(SeriesRow).values(
            id=series_id, business_id=business_id, customer_id=customer_id, rule=rule,
            created_at=now))

    async def customers_matching(self, lookup: Lookup, limit: int) -> list[CustomerMatch]:
        blocked = select(CustomerBlockRow.customer_id).where(
            CustomerBlockRow.customer_id == CustomerRow.id).exists()
        query = (select(CustomerRow, blocked)
                 .where(CustomerRow.business_id == lookup.business_id, _matches(lookup))
                 .order_by(func.lower(CustomerRow.name), CustomerRow.id).limit(limit))
        rows = await self.session.execute(query)
        return [CustomerMatch(row.id, row.name, row.phone, row.email, bool(is_blocked))
                for row, is_blocked in rows]


def _matches(lookup: Lookup) -> Any:
    if lookup.digits is not None:
        return CustomerRow.phone.contains(lookup.digits, autoescape=True)
    if lookup.email is not None:
        return func.lower(CustomerRow.email).contains(lookup.email, autoescape=True)
    return CustomerRow.name.icontains(lookup.name or "", autoescape=True)


class FrontDeskUnitOfWork(SetupUnitOfWork):
    """The setup unit of work (what the admin pages use) plus the new-booking store."""

    front_desk: FrontDeskStore

    def _start(self) -> None:
        super()._start()
        self.front_desk = FrontDeskStore(self.session)
