"""A customer's past appointments with a business, as the counts a deposit rule for some
customers reads (first-time customers, customers with a past no-show or late cancellation)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.deposit_rules import CustomerHistory
from scheduling.persistence import driver

HISTORY = (
    "SELECT count(*) FILTER (WHERE status = 'completed'),"
    " count(*) FILTER (WHERE status = 'no_show'),"
    " count(*) FILTER (WHERE status = 'late_cancel')"
    " FROM appointments WHERE customer_id = %(customer)s::uuid"
    " AND business_id = %(business)s::uuid"
)
"""One row of counts; served by ix_appointments_customer_status (a customer's appointments
are few, and all of one business)."""


async def customer_history(session: AsyncSession, business_id: UUID, customer_id: UUID
                           ) -> CustomerHistory:
    """Read by a booking only when its service's deposit rule depends on it: the booking head
    query, which every booking runs, stays as it was."""
    rows: list[Any] = await driver.fetch(session, HISTORY, {"customer": customer_id,
                                                            "business": business_id})
    completed, no_shows, late_cancels = (int(n) for n in rows[0])
    return CustomerHistory(completed, no_shows, late_cancels)
