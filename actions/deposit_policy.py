"""The deposit the chat states before "yes", as booking will ask it.

A rule for everyone is one amount. A rule for some customers (first-time customers, or
customers with a past no-show or late cancellation) depends on who is booking: for the
customer this conversation proved (`customer_id`: the texting or calling number, a code on
the web) it is read from their history; for someone not proved it is stated with whom it is
asked of, as a phone typed in a chat proves nothing and tells nobody about that profile.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from scheduling import formats
from scheduling.catalog import Catalog, Service
from scheduling.deposit_rules import NEW_CUSTOMER
from scheduling.ports import BookingUnitOfWork


async def owed(work: BookingUnitOfWork, catalog: Catalog, service: Service,
               customer_id: str | None) -> tuple[Decimal, str]:
    """The amount, and whom it is asked of when that is not known to be this customer ("":
    it is theirs)."""
    rule = service.deposit
    if rule.for_everyone:
        return catalog.deposit_owed(service, NEW_CUSTOMER), ""
    if customer_id:
        history = await work.appointments.customer_history(catalog.business.id,
                                                           UUID(customer_id))
        return catalog.deposit_owed(service, history), ""
    step = formats.minor_unit(catalog.business.policies.currency)
    return rule.amount(service.price, step), rule.asked_of
