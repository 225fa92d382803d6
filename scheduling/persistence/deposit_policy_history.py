"""A customer's past appointments with a business, as the counts a deposit rule for some
customers reads (first-time customers, customers with a past no-show or late cancellation)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.deposit_rules import NEW_CUSTOMER, CustomerHistory
from scheduling.persistence import driver

HISTORY_SQL = (
    "SELECT json_build_array(count(*) FILTER (WHERE h.status = 'completed'),"
    " count(*) FILTER (WHERE h.status = 'no_show'),"
    " count(*) FILTER (WHERE h.status = 'late_cancel'))"
    " FROM appointments h WHERE h.customer_id = {customer} AND h.business_id = {business}"
)
"""One row, one JSON array; served by ix_appointments_customer_status."""


def history_of(counts: list[int] | None) -> CustomerHistory:
    """The counts as read (None: not read, as for a new customer)."""
    if counts is None:
        return NEW_CUSTOMER
    completed, no_shows, late_cancels = (int(n) for n in counts)
    return CustomerHistory(completed, no_shows, late_cancels)


async def customer_history(session: AsyncSession, business_id: UUID, customer_id: UUID
                           ) -> CustomerHistory:
    sql = HISTORY_SQL.format(customer="%(customer)s::uuid", business="%(business)s::uuid")
    rows: list[Any] = await driver.fetch(session, sql, {"customer": customer_id,
                                                        "business": business_id})
    return history_of(rows[0][0])
