"""The catalog's write side on PostgreSQL (`scheduling.ports.SetupPort`): archiving, booking
rules, reminder lead times, the blocklist and the business's parts of messages.

Like every repository it adds and flushes; the unit of work commits.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.policies import BookingRules
from scheduling.catalog import Catalog
from scheduling.desk.setup.values import Block, Kind, MessageParts
from scheduling.errors import NotFound
from scheduling.persistence.booking_tables import BookingRulesRow, CustomerBlockRow
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.catalog_tables import (
    BusinessRow,
    CustomerRow,
    LocationRow,
    ServiceRow,
    StaffRow,
)
from scheduling.persistence.reminder_offsets import set_offsets

TABLES: dict[Kind, type[LocationRow] | type[StaffRow] | type[ServiceRow]] = {
    Kind.LOCATION: LocationRow, Kind.STAFF: StaffRow, Kind.SERVICE: ServiceRow,
}


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


class SetupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, business_id: UUID) -> None:
        await self.session.execute(
            select(BusinessRow.id).where(BusinessRow.id == business_id).with_for_update())

    async def save(self, catalog: Catalog) -> None:
        await CatalogRepository(self.session).save(catalog)

    async def archive(self, business_id: UUID, kind: Kind, item_id: UUID, at: datetime) -> None:
        table = TABLES[kind]
        done = await self.session.execute(
            update(table).where(table.id == item_id, table.business_id == business_id)
            .values(archived_at=at).returning(table.id))
        if done.first() is None:
            raise NotFound(kind.value, item_id)

    async def message_parts(self, business_id: UUID) -> MessageParts:
        row = await self.session.get(BusinessRow, business_id)
        if row is None:
            raise NotFound("business", business_id)
        return MessageParts(**row.message_parts)

    async def set_message_parts(self, business_id: UUID, parts: MessageParts) -> None:
        await self.session.execute(update(BusinessRow).where(BusinessRow.id == business_id)
                                   .values(message_parts=asdict(parts)))

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None:
        values = {
            "max_active_per_customer": rules.max_active_per_customer,
            "require_approval": rules.require_approval,
            "hold_minutes": _minutes(rules.hold_ttl),
            "claim_window_minutes": _minutes(rules.claim_window),
            "no_show_grace_minutes": _minutes(rules.no_show_grace),
            "payment_window_minutes": _minutes(rules.payment_window),
            "max_per_contact_day": rules.max_per_contact_day,
            "max_per_contact_week": rules.max_per_contact_week,
            "max_live_holds_per_customer": rules.max_live_holds_per_customer,
        }
        statement = insert(BookingRulesRow).values(business_id=business_id, **values)
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=["business_id"], set_=values))

    async def set_reminders(
        self, business_id: UUID, scope_id: UUID, offsets: tuple[timedelta, ...]
    ) -> None:
        await set_offsets(self.session, business_id, scope_id, offsets)

    async def blocklist(self, business_id: UUID) -> list[Block]:
        owner = CustomerRow.id == CustomerBlockRow.customer_id
        rows = await self.session.execute(
            select(CustomerBlockRow, CustomerRow.name).join(CustomerRow, owner)
            .where(CustomerRow.business_id == business_id)
            .order_by(CustomerBlockRow.created_at.desc(), CustomerBlockRow.customer_id))
        return [Block(row.customer_id, row.reason, row.created_at, name) for row, name in rows]

    async def block(self, block: Block) -> None:
        statement = insert(CustomerBlockRow).values(customer_id=block.customer_id,
                                                    reason=block.reason)
        await self.session.execute(statement.on_conflict_do_nothing(
            index_elements=["customer_id"]))

    async def unblock(self, customer_id: UUID) -> None:
        await self.session.execute(
            delete(CustomerBlockRow).where(CustomerBlockRow.customer_id == customer_id))
