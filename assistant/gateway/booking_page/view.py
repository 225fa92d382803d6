"""What every step of the booking page shares: the service and staff a URL names, the links
between steps (the embed flag kept), rendering, and the one place refusals become pages.

Domain errors are answered in JSON by the gateway's error middleware, which suits the API
and not a person; so each handler here is wrapped by `page`, which turns what can go wrong
with anyone's input (a tampered form, a rate limit, a bad id, a policy) into a page that
says what happened and how to go on.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from assistant.gateway import pages
from assistant.gateway.api import context
from assistant.gateway.booking_page.draft import BadDraft
from assistant.gateway.errors import ApiError, status_of
from assistant.gateway.resources import SETTINGS
from scheduling import formats
from scheduling.assignment import StaffWish, eligible_staff
from scheduling.catalog import Catalog, Location, Service, Staff, zone
from scheduling.deposit_rules import terms
from scheduling.errors import DomainError, NotFound
from scheduling.locations import serving

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ANYONE = "any"


def slug(name: str) -> str:
    """"Women's cut" -> "womens-cut": the service's name as a readable path segment."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain.replace("'", "")).strip("-")


def service_named(catalog: Catalog, text: str) -> Service:
    """The service a path names by id or by slug; NotFound otherwise."""
    for service in catalog.services:
        if text in (str(service.id), slug(service.name)):
            return service
    raise NotFound("service", text)


def choosable_staff(catalog: Catalog, service: Service,
                    location: Location | None = None) -> list[Staff]:
    """Everyone who can give the service at `location`, or at any location that offers it."""
    places = [location] if location else serving(catalog, service)
    found = {s.id: s for loc in places
             for s in eligible_staff(catalog, service, loc.id, StaffWish())}
    return list(found.values())


def location_of(catalog: Catalog, service: Service, text: str | None) -> Location | None:
    """The location a URL names, or the only one that gives the service; None while it could
    be any of several. NotFound for one that cannot give the service, so a tampered link is
    a page that says so."""
    places = serving(catalog, service)
    if not text:
        return places[0] if len(places) == 1 else None
    found = next((loc for loc in places if str(loc.id) == text), None)
    if found is None:
        raise NotFound("location", text)
    return found


def staff_named(catalog: Catalog, service: Service, text: str | None,
                location: Location | None = None) -> Staff | None:
    """The staff member a form names ("any" or none: None); NotFound for anyone who cannot
    give the service (there)."""
    if text in (None, "", ANYONE):
        return None
    found = next((s for s in choosable_staff(catalog, service, location) if str(s.id) == text),
                 None)
    if found is None:
        raise NotFound("staff", text)
    return found


def zone_hint(text: str | None) -> str | None:
    """The customer's zone as their browser reported it, when it is one we know; the page
    then shows the business's own zone instead, as it would without JavaScript."""
    if not text or len(text) > 64:
        return None
    try:
        zone(text)
    except DomainError:
        return None
    return text


def field(form: Mapping[str, object], name: str) -> str:
    """A form field as typed, trimmed; "" when missing or not text (a file upload)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def embedded(request: web.Request) -> bool:
    return request.query.get("embed") == "1"


def link(request: web.Request, path: str, **params: str | None) -> str:
    """A URL of the flow, keeping the embed flag and the location chosen (unless `params`
    name one); parameters that are None are left out."""
    kept = {"location": request.query.get("location")}
    query = {k: v for k, v in (kept | params).items() if v is not None}
    if embedded(request):
        query["embed"] = "1"
    return f"{path}?{urlencode(query)}" if query else path


def minutes(service: Service) -> int:
    return int(service.duration.total_seconds() // 60)


def money(catalog: Catalog, amount: object) -> str:
    return formats.money(str(amount), catalog.business.policies.currency)


def facts(catalog: Catalog, service: Service, staff: Staff | None, start: datetime,
          time_zone: str | None, where: str | None = None,
          location: Location | None = None) -> list[tuple[str, str]]:
    """What is being booked, as rows of a description list: every step from the details on
    shows the same ones (the time in the customer's zone when known, else the location's,
    with the zone named). With several locations the place is named before its address."""
    place = location or next(iter(serving(catalog, service)), None)
    shown = zone(time_zone) if time_zone else (place or catalog.business).zone
    address = where if where is not None else (place.address if place else "")
    if place is not None and len(catalog.business.locations) > 1:
        address = f"{place.name}, {address}" if address else place.name
    rows = [("Service", f"{service.name}, {minutes(service)} min"),
            ("With", staff.name if staff else "Anyone available"),
            ("When", formats.long_when(start, shown)), ("Where", address)]
    return [(label, value) for label, value in rows if value]


def only_at(catalog: Catalog, service: Service) -> str:
    """The one location that gives `service` when the business has several ("Harbour"), so
    the list of services says so before anyone picks; "" otherwise."""
    places = serving(catalog, service)
    return places[0].name if len(places) == 1 and len(catalog.business.locations) > 1 else ""


def prices(catalog: Catalog, price: Decimal, deposit: Decimal) -> list[tuple[str, str]]:
    """The price rows: the deposit only when one is due."""
    rows = [("Price", money(catalog, price))]
    return rows + ([("Deposit due", money(catalog, deposit))] if deposit else [])


def render(request: web.Request, template: str, catalog: Catalog, status: int = 200,
           **values: Any) -> web.Response:
    """A step of the flow; framable by the business's sites when asked for as an embed."""
    return pages.render(request, f"book/{template}", status, _framed_by(request),
                        catalog=catalog, business_name=catalog.business.name,
                        embed=embedded(request), minutes=minutes,
                        only_at=lambda service: only_at(catalog, service),
                        link=lambda path, **params: link(request, path, **params),
                        money=lambda amount: money(catalog, amount),
                        deposit_terms=lambda service: terms(
                            service.deposit, service.price, catalog.business.policies.currency),
                        **values)


async def problem(request: web.Request, status: int, title: str, message: str
                  ) -> web.Response:
    """The shared page for a request that cannot go on, with the way back to the start."""
    try:
        name = (await context.catalog(request)).business.name
    except NotFound:
        name = "Booking"
    ways = [{"href": link(request, "/book"), "label": "Start a new booking"}]
    return pages.render(request, "customer/problem.html", status, _framed_by(request),
                        title=title, message=message, ways=ways, business_name=name)


def _framed_by(request: web.Request) -> tuple[str, ...] | None:
    return request.app[SETTINGS].embed_origins if embedded(request) else None


def page(handler: Handler) -> Handler:
    """Answer what anyone's input can cause with a page, never JSON or a 500."""
    @wraps(handler)
    async def answer(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except BadDraft as error:
            return await problem(request, 400, "Please start again", f"{error}: start again "
                                 "and your chosen time will be checked afresh.")
        except ApiError as error:
            response = await problem(request, error.status, "Please wait a moment", str(error))
            if "retry_after_seconds" in error.details:
                wait = math.ceil(error.details["retry_after_seconds"])
                response.headers["Retry-After"] = str(wait)
            return response
        except NotFound as error:
            return await _not_found(request, error)
        except DomainError as error:
            return await problem(request, status_of(error), "We could not do that", str(error))
    return answer


async def _not_found(request: web.Request, error: NotFound) -> web.Response:
    """An unknown service: the services we do offer; anything else: say what is missing."""
    if error.kind == "service":
        catalog = await context.catalog(request)
        return render(request, "services.html", catalog, 404, slug=slug, missing=True)
    return await problem(request, 404, "Not found", f"We could not find that {error.kind}.")
