"""Who may see which customer at the front desk, and the reads and unit of work the customer
pages use."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import roles, session
from assistant.gateway.api import context
from assistant.gateway.resources import CALENDAR, ENGINE
from scheduling.catalog import Catalog
from scheduling.desk.customer_values import CustomerProfile
from scheduling.persistence.customer_reads import CustomerReads
from scheduling.persistence.customer_records import CustomerUnitOfWork
from scheduling.persistence.database import make_session_factory


def reads(request: web.Request) -> CustomerReads:
    return CustomerReads(make_session_factory(request.app[ENGINE]))


def uow(request: web.Request) -> CustomerUnitOfWork:
    """As `context.uow`, with the desk's customer records (erasure cancels through the
    booking rules, which re-check Google busy time)."""
    calendar = request.app.get(CALENDAR)
    return CustomerUnitOfWork(make_session_factory(request.app[ENGINE]),
                              busy=calendar.busy if calendar is not None else None)


def customer_id(request: web.Request) -> UUID:
    try:
        return UUID(request.match_info["customer_id"])
    except ValueError:
        raise web.HTTPNotFound(text="no such customer") from None


async def visible(request: web.Request, admin: session.AdminSession
                  ) -> tuple[Catalog, CustomerProfile]:
    """The customer as this account may see them; 404 for an unknown id, another business's
    customer, or (for a staff account) a customer who never had an appointment with them."""
    catalog = await context.catalog(request)
    scope = roles.staff_scope(admin)
    found = await reads(request).profile(catalog.business.id, customer_id(request), scope)
    if found is None or (scope is not None and scope not in found.staff_ids):
        raise web.HTTPNotFound(text="no such customer")
    return catalog, found


NOTICES = {"notes": "Notes saved.", "preferences": "Preferences saved.",
           "blocked": "Blocked: they cannot book by any channel.",
           "unblocked": "Unblocked: they can book again.",
           "erased": "Personal data erased.", "already": "Already erased."}
"""What the customer's page says after an action: named by a word in the redirect, so a link
cannot make the page say anything else."""


def done(customer: UUID, what: str, cancelled: int = 0) -> web.HTTPSeeOther:
    extra = f"&cancelled={cancelled}" if cancelled else ""
    return web.HTTPSeeOther(f"/admin/customers/{customer}?done={what}{extra}")


def notice_of(query: Mapping[str, str]) -> str:
    said = NOTICES.get(query.get("done", ""), "")
    cancelled = query.get("cancelled", "")
    if said and cancelled.isdigit() and len(cancelled) < 5:
        said += f" {int(cancelled)} upcoming appointment(s) cancelled."
    return said
