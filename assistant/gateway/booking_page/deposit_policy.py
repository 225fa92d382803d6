"""The deposit on the booking page: the service's policy in words before the customer is
known, and the amount owed by the customer the one-time code proved, stated at confirm.

A rule for some customers only (first-time customers, customers with a past no-show or late
cancellation) is worded as such until the code proves who is booking; from then on the page
shows the amount the booking use case will ask of this customer (nothing for a returning
customer under a first-time rule), read from their history in the database.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from aiohttp import web

from assistant.gateway.api import context
from scheduling.catalog import Catalog, Service
from scheduling.deposit_rules import NEW_CUSTOMER, amount_words


def listed(catalog: Catalog, service: Service) -> Decimal:
    """The deposit due from anyone booking (a rule for everyone); else 0, and the policy is
    told in words (`sentence`)."""
    return catalog.deposit_owed(service, NEW_CUSTOMER) if service.deposit.for_everyone \
        else Decimal(0)


def sentence(catalog: Catalog, service: Service) -> str:
    """The policy before the customer is known: "A $30 deposit is due to secure this
    booking." or who it is asked of; empty without a deposit."""
    rule = service.deposit
    if not rule:
        return ""
    amount = amount_words(rule, service.price, catalog.business.policies.currency)
    if rule.for_everyone:
        return f"A {amount} is due to secure this booking."
    return (f"A {amount} is asked of {rule.asked_of}. Once your contact is "
            "checked we show whether it applies to you, before you confirm.")


async def owed(request: web.Request, catalog: Catalog, service: Service,
               customer_id: UUID) -> Decimal:
    """What booking will ask of this customer: read from their history only when the rule
    depends on it."""
    if not service.deposit or service.deposit.for_everyone:
        return catalog.deposit_owed(service, NEW_CUSTOMER)
    async with context.uow(request) as work:
        history = await work.appointments.customer_history(catalog.business.id, customer_id)
    return catalog.deposit_owed(service, history)
