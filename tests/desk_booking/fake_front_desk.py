"""The in-memory unit of work with the front desk's store: series rows and the customer
lookup, kept like the fake database's other state (gone unless committed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from scheduling.desk.desk_booking import CustomerMatch, Lookup
from scheduling.persistence.front_desk_store import FrontDeskUnitOfWork
from tests.fakes.uow import FakeDatabase, FakeUnitOfWork


class FakeFrontDeskDatabase(FakeDatabase):
    def __init__(self) -> None:
        super().__init__()
        self.series: dict[UUID, dict[str, Any]] = {}


class FakeFrontDesk:
    def __init__(self, uow: FakeFrontDeskUnitOfWork) -> None:
        self.uow = uow
        self.pending: dict[UUID, dict[str, Any]] = {}

    async def add_series(self, series_id: UUID, business_id: UUID, customer_id: UUID,
                         rule: dict[str, Any], now: datetime) -> None:
        self.pending[series_id] = {"business_id": business_id, "customer_id": customer_id,
                                   "rule": rule, "created_at": now}

    async def customers_matching(self, lookup: Lookup, limit: int) -> list[CustomerMatch]:
        state = self.uow._tx.state
        found = [CustomerMatch(c.id, c.name, c.phone, c.email, c.id in state.blocked)
                 for business, c in state.customers.values()
                 if business == lookup.business_id and _matches(lookup, c.name, c.phone,
                                                                c.email)]
        return sorted(found, key=lambda m: (m.name.lower(), str(m.id)))[:limit]


def _matches(lookup: Lookup, name: str, phone: str | None, email: str | None) -> bool:
    if lookup.digits is not None:
        return lookup.digits in (phone or "")
    if lookup.email is not None:
        return lookup.email in (email or "").lower()
    return (lookup.name or "").lower() in name.lower()


class FakeFrontDeskUnitOfWork(FakeUnitOfWork):
    database: FakeFrontDeskDatabase
    front_desk: FakeFrontDesk

    def _begin(self) -> None:
        super()._begin()
        self.front_desk = FakeFrontDesk(self)

    async def commit(self) -> None:
        self.database.series.update(self.front_desk.pending)
        await super().commit()


Uow = FrontDeskUnitOfWork | FakeFrontDeskUnitOfWork
"""A test's unit of work: PostgreSQL or the fake (`tests.setup.backends.both`)."""
