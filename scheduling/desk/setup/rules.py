"""Booking rules, the blocklist and the business's own parts of messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from scheduling.booking.policies import BookingRules
from scheduling.desk.customers import find_id
from scheduling.desk.setup.values import Block, MessageParts
from scheduling.errors import InvalidRequest, NotFound
from scheduling.ports import SetupUnitOfWork


@dataclass(frozen=True, slots=True)
class BlockCustomer:
    business_id: UUID
    block: Block


@dataclass(frozen=True, slots=True)
class BlockContact:
    """Block whoever books with this phone or e-mail: the customer a booking made with it is
    found as (by phone, else by e-mail), so that booking is the one refused."""

    business_id: UUID
    phone: str | None
    email: str | None
    reason: str = ""
    at: datetime | None = None


Value = TypeVar("Value")


async def set_rules(business_id: UUID, rules: BookingRules, uow: SetupUnitOfWork,
                    was: BookingRules | None = None) -> None:
    """`was`: the rules the edit started from (None: no such claim), as for catalog items."""
    async with uow:
        await uow.setup.lock(business_id)
        await uow.catalog.get(business_id)
        _unchanged(await uow.appointments.rules(business_id), was, "booking_rules")
        await uow.setup.set_rules(business_id, rules)
        await uow.commit()


async def set_message_parts(business_id: UUID, parts: MessageParts, uow: SetupUnitOfWork,
                            was: MessageParts | None = None) -> None:
    """`was`: the parts the edit started from (None: no such claim)."""
    async with uow:
        await uow.setup.lock(business_id)
        _unchanged(await uow.setup.message_parts(business_id), was, "messages")
        await uow.setup.set_message_parts(business_id, parts)
        await uow.commit()


def _unchanged(stored: Value, was: Value | None, what: str) -> None:
    """Read under the catalog lock: two edits at once would otherwise have the second, made
    from the same read, undo the first's fields."""
    if was is not None and stored != was:
        raise InvalidRequest(f"{what}: changed meanwhile; read it again and retry", field=what)


async def block(cmd: BlockCustomer, uow: SetupUnitOfWork) -> None:
    """Blocking twice keeps the first block's reason; a customer of another business is
    not found."""
    async with uow:
        await _own(uow, cmd.business_id, cmd.block.customer_id)
        await uow.setup.block(cmd.block)
        await uow.commit()


async def block_contact(cmd: BlockContact, uow: SetupUnitOfWork) -> UUID:
    """The customer blocked; `NotFound` when no one has booked with that phone or e-mail."""
    async with uow:
        found = await find_id(uow, cmd.business_id, cmd.phone, cmd.email)
        if found is None:
            raise NotFound("customer", cmd.phone or cmd.email)
        await uow.setup.block(Block(found, cmd.reason, cmd.at))
        await uow.commit()
    return found


async def unblock(business_id: UUID, customer_id: UUID, uow: SetupUnitOfWork) -> None:
    async with uow:
        await _own(uow, business_id, customer_id)
        await uow.setup.unblock(customer_id)
        await uow.commit()


async def _own(uow: SetupUnitOfWork, business_id: UUID, customer_id: UUID) -> None:
    if await uow.desk.business_of(customer_id) != business_id:
        raise NotFound("customer", customer_id)


async def rules_of(business_id: UUID, uow: SetupUnitOfWork) -> BookingRules:
    async with uow:
        return await uow.appointments.rules(business_id)


async def message_parts_of(business_id: UUID, uow: SetupUnitOfWork) -> MessageParts:
    async with uow:
        return await uow.setup.message_parts(business_id)


async def blocked(business_id: UUID, uow: SetupUnitOfWork) -> list[Block]:
    """Most recent first."""
    async with uow:
        return await uow.setup.blocklist(business_id)
