"""What the appointment pages share: the appointment a URL names, as this account may see it;
the way back to its page with a notice; what a refused action says."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import roles, session
from assistant.gateway.resources import ENGINE
from scheduling import formats
from scheduling.booking.model import Appointment, IllegalTransition
from scheduling.catalog import Catalog
from scheduling.errors import DomainError, NotFound
from scheduling.persistence.appointment_reads import AppointmentReads

TEXT_LIMIT = 500


def reads(request: web.Request) -> AppointmentReads:
    return AppointmentReads.on(request.app[ENGINE])


def appointment_id(request: web.Request) -> UUID:
    """The id in the URL; a malformed one is a 404 like an unknown one."""
    try:
        return UUID(request.match_info["appointment_id"])
    except ValueError:
        raise web.HTTPNotFound(text="no such appointment") from None


async def load(request: web.Request, admin: session.AdminSession) -> Appointment:
    """The appointment the URL names, when this account may see it (404 otherwise: a staff
    account cannot tell another's appointment from one that does not exist)."""
    try:
        found = await reads(request).appointment(appointment_id(request))
    except NotFound:
        raise web.HTTPNotFound(text="no such appointment") from None
    roles.require_staff(admin, found.staff_id)
    return found


def back(appointment: UUID, notice: str, path: str = "") -> web.HTTPSeeOther:
    """To the appointment's page (or one of its `path`s) with `notice` shown on it."""
    return web.HTTPSeeOther(f"/admin/appointments/{appointment}{path}?"
                            + urlencode({"notice": notice}))


def refusal(error: DomainError) -> str:
    """A refused action in the desk's words; a replayed one says what the appointment is now."""
    if isinstance(error, IllegalTransition):
        return f"Not done: this appointment is already {error.current.value.replace('_', ' ')}."
    return f"Not done: {error}."


def money(catalog: Catalog) -> Callable[[Decimal], str]:
    """Amounts as the business's customers read them ("$42.50")."""
    return lambda amount: formats.money(amount, catalog.business.policies.currency)


def typed(form: object, name: str, limit: int = TEXT_LIMIT) -> str:
    """A text field of a posted form: trimmed; 422 when longer than `limit` or not text."""
    value = form.get(name, "") if hasattr(form, "get") else ""
    if not isinstance(value, str) or "\x00" in value or len(value) > limit:
        raise web.HTTPUnprocessableEntity(text=f"{name}: at most {limit} characters of text")
    return value.strip()
