"""What a customer sees when a link or a form cannot go on: the shared problem page
(`customer/problem.html`), with a status that says why and the ways forward, never a stack
trace or the API's JSON. Every handler of these pages is wrapped in `shown`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from uuid import UUID

from aiohttp import web

from assistant.gateway import pages
from assistant.gateway.api import context
from scheduling.catalog import Business
from scheduling.errors import DomainError, NotFound, PolicyViolation, SlotUnavailable

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
NO_STORE = {"Cache-Control": "no-store"}
"""Pages reached with a link token show someone's appointment: no cache may keep them."""


@dataclass(frozen=True, slots=True)
class Way:
    href: str
    label: str


def book_again(service_id: UUID | None = None) -> Way:
    return Way(f"/book/{service_id}" if service_id else "/book", "Book a new time")


class Problem(Exception):
    """A request these pages cannot serve, said in words for the customer."""

    def __init__(self, status: int, title: str, message: str, ways: tuple[Way, ...] = ()) -> None:
        self.status, self.title, self.ways = status, title, ways
        super().__init__(message)


def sentence(said: str) -> str:
    """A domain error's message ("that time is not available") written as a sentence."""
    return said[:1].upper() + said[1:] + ("" if said.endswith(".") else ".")


def problem_of(error: DomainError) -> Problem:
    """The domain's refusals in customer words."""
    said = sentence(str(error))
    if isinstance(error, NotFound) and error.kind in ("service", "staff", "location"):
        return Problem(404, f"That {error.kind} is no longer offered",
                       "It cannot be booked or moved to online any more.", (book_again(),))
    if isinstance(error, NotFound):
        return Problem(404, "We could not find this appointment",
                       "The link names an appointment or offer we do not have.", (book_again(),))
    if isinstance(error, PolicyViolation):
        return Problem(403, "This cannot be done online", said, (book_again(),))
    if isinstance(error, SlotUnavailable):
        return Problem(409, "That time is no longer free", said, (book_again(),))
    return Problem(422, "That did not work", said, (book_again(),))


async def business(request: web.Request) -> Business | None:
    """The business these pages speak for (None on a database without one)."""
    try:
        return (await context.catalog(request)).business
    except NotFound:
        return None


def call_us(found: Business | None) -> tuple[Way, ...]:
    phone = found.contact.phone if found else None
    return (Way(f"tel:{phone}", f"Call us on {phone}"),) if phone else ()


async def problem_page(request: web.Request, problem: Problem) -> web.Response:
    found = await business(request)
    ways = problem.ways + call_us(found)
    response = pages.render(request, "customer/problem.html", problem.status,
                            business_name=found.name if found else "Booking",
                            title=problem.title, message=str(problem),
                            ways=[{"href": w.href, "label": w.label} for w in ways])
    response.headers.update(NO_STORE)
    return response


def shown(handler: Handler) -> Handler:
    """Answer a `Problem` or a domain error raised anywhere below with the problem page."""
    @wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Problem as problem:
            return await problem_page(request, problem)
        except DomainError as error:
            return await problem_page(request, problem_of(error))
    return guarded
