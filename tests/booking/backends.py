"""The two implementations of `scheduling.ports` the contract tests run against, and what a
test needs to arrange and inspect on each: the same test function, the fake or PostgreSQL.

`@both` on a test (or `pytestmark = both`) runs it once on the in-memory fake and once on
PostgreSQL (marked `db`, so `-m "not db"` keeps the fast half).
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

import pytest
from booking_builders import Salon, save_salon
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.policies import BookingRules
from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.persistence.outbox import OutboxRow
from scheduling.ports import DeskUnitOfWork as DeskPorts
from tests.fakes.uow import FakeDatabase, FakeUnitOfWork

both = pytest.mark.parametrize(
    "uow", ["fake", pytest.param("postgres", marks=pytest.mark.db)], indirect=True)


class Backend(Protocol):
    async def seed(self, salon: Salon) -> None: ...

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None: ...

    async def block(self, customer_id: UUID) -> None: ...

    async def outbox(self, appointment_id: UUID | None = None) -> dict[str, str]:
        """Queued messages' dedupe keys and statuses (of one appointment, or all)."""
        ...

    async def payloads(self, kind: str) -> list[dict[str, Any]]:
        """The payloads of the queued messages of one kind."""
        ...


class Fake:
    def __init__(self, database: FakeDatabase) -> None:
        self.database = database

    async def seed(self, salon: Salon) -> None:
        self.database.add_catalog(salon.catalog, salon.customers)

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None:
        self.database.state.rules[business_id] = rules

    async def block(self, customer_id: UUID) -> None:
        self.database.state.blocked.add(customer_id)

    async def outbox(self, appointment_id: UUID | None = None) -> dict[str, str]:
        return self.database.outbox(appointment_id)

    async def payloads(self, kind: str) -> list[dict[str, Any]]:
        return [q.message.payload for q in self.database.state.outbox.values()
                if q.message.kind == kind]


RULE_COLUMNS = ", ".join(f"{c} = EXCLUDED.{c}" for c in (
    "max_active_per_customer", "require_approval", "hold_minutes", "claim_window_minutes",
    "no_show_grace_minutes", "payment_window_minutes", "max_per_contact_day",
    "max_per_contact_week", "max_live_holds_per_customer", "deposits_online"))
"""Rules set again replace the business's (the fake's dict does the same)."""


class Postgres:
    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory

    async def seed(self, salon: Salon) -> None:
        await save_salon(self.factory, salon)

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None:
        minutes = 60
        async with self.factory() as session:
            await session.execute(text(
                "INSERT INTO booking_rules (business_id, max_active_per_customer,"
                " require_approval, hold_minutes, claim_window_minutes, no_show_grace_minutes,"
                " payment_window_minutes, max_per_contact_day, max_per_contact_week,"
                " max_live_holds_per_customer, deposits_online) VALUES (:b, :active, :approval,"
                " :hold, :claim, :grace, :payment, :day, :week, :holds, :online)"
                f" ON CONFLICT (business_id) DO UPDATE SET {RULE_COLUMNS}"
            ), {"b": business_id, "active": rules.max_active_per_customer,
                "approval": rules.require_approval,
                "hold": rules.hold_ttl.total_seconds() // minutes,
                "claim": rules.claim_window.total_seconds() // minutes,
                "grace": rules.no_show_grace.total_seconds() // minutes,
                "payment": rules.payment_window.total_seconds() // minutes,
                "day": rules.max_per_contact_day, "week": rules.max_per_contact_week,
                "holds": rules.max_live_holds_per_customer, "online": rules.deposits_online})
            await session.commit()

    async def block(self, customer_id: UUID) -> None:
        async with self.factory() as session:
            await session.execute(text("INSERT INTO customer_blocks VALUES (:c, 'abuse', now())"),
                                  {"c": customer_id})
            await session.commit()

    async def outbox(self, appointment_id: UUID | None = None) -> dict[str, str]:
        query = select(OutboxRow)
        if appointment_id is not None:
            query = query.where(OutboxRow.appointment_id == appointment_id)
        async with self.factory() as session:
            return {row.dedupe_key: row.status for row in await session.scalars(query)}

    async def payloads(self, kind: str) -> list[dict[str, Any]]:
        async with self.factory() as session:
            rows = await session.scalars(select(OutboxRow).where(OutboxRow.kind == kind))
            return [row.payload for row in rows]


def make_uow(request: pytest.FixtureRequest) -> DeskPorts:
    """The fake when the test is parametrised "fake", else PostgreSQL (tables emptied after)."""
    if getattr(request, "param", "postgres") == "fake":
        return FakeUnitOfWork(FakeDatabase())
    request.getfixturevalue("clean_tables")
    return DeskUnitOfWork(request.getfixturevalue("session_factory"))


def backend_of(request: pytest.FixtureRequest, uow: DeskPorts) -> Backend:
    if isinstance(uow, FakeUnitOfWork):
        return Fake(uow.database)
    return Postgres(request.getfixturevalue("session_factory"))
