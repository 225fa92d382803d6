"""Who is talking: customers found by phone or e-mail, registered on their first booking."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID, uuid4

from scheduling.booking.model import Appointment
from scheduling.catalog import Customer
from scheduling.desk.uow import DeskUnitOfWork
from scheduling.persistence.waitlist_repository import Offer


async def find(
    uow: DeskUnitOfWork, business_id: UUID, *, phone: str | None = None, email: str | None = None
) -> Customer | None:
    """The customer with this phone (preferred) or e-mail, or None for a newcomer."""
    async with uow:
        found = await _find_id(uow, business_id, phone, email)
        return await uow.catalog.get_customer(found) if found else None


async def _find_id(
    uow: DeskUnitOfWork, business_id: UUID, phone: str | None, email: str | None
) -> UUID | None:
    found = await uow.desk.customer_id_by_phone(business_id, phone) if phone else None
    if found is None and email:
        found = await uow.desk.customer_id_by_email(business_id, email)
    return found


async def register(
    uow: DeskUnitOfWork, business_id: UUID, name: str, phone: str | None, email: str | None
) -> Customer:
    """The customer with this phone or e-mail, their name and contact brought up to date; a
    new customer when neither is known. One phone number is one customer."""
    async with uow:
        found = await _find_id(uow, business_id, phone, email)
        if found is None:
            customer = Customer(uuid4(), name, phone, email)
        else:
            current = await uow.catalog.get_customer(found)
            customer = replace(current, name=name or current.name,
                               phone=phone or current.phone, email=email or current.email)
        await uow.catalog.save_customer(business_id, customer)
        await uow.commit()
    return customer


async def upcoming(uow: DeskUnitOfWork, customer_id: UUID, now: datetime) -> list[Appointment]:
    """Booked (pending or confirmed) appointments that have not ended, soonest first."""
    async with uow:
        return await uow.desk.upcoming(customer_id, now)


async def open_offers(uow: DeskUnitOfWork, customer_id: UUID, now: datetime) -> list[Offer]:
    """Waitlist offers made to this customer that can still be claimed."""
    async with uow:
        return await uow.desk.open_offers(customer_id, now)
