"""`GET /a/<code>`: the short links our SMS carry.

A live code redirects (303) to its page, `/appointments/<action>?token=<signed token>`, with a
token signed now and expiring with the code, so a code revoked or expired in the database stops
working at once and the long form is never stored. A code that expired, was revoked or never
existed gets a page saying so and what to do instead. Lookups are rate-limited per client
network ("short-link" in `ratelimit.RATES`), so the code space cannot be walked.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from assistant.gateway import pages, ratelimit
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE, SETTINGS
from assistant.notifications import links
from scheduling.errors import NotFound
from scheduling.persistence import short_links as store
from scheduling.persistence.database import make_session_factory

routes = web.RouteTableDef()
LIMIT = "short-link"

EXPIRED = ("This link has expired",
           "Links in our messages stop working 30 days after the appointment, and a time held "
           "for you when the hold ends. You can book a new time, or ask us in the chat.")
REVOKED = ("This link is no longer valid",
           "The business withdrew this link. If you need your booking, ask us in the chat or "
           "call us.")
UNKNOWN = ("We could not find this link",
           "Check that the whole link was copied from the message. You can also book a new "
           "time, or ask us in the chat.")
LIMITED = ("Too many links opened",
           "Please wait a minute, then open the link from your message again.")


@routes.get("/a/{code}")
async def follow(request: web.Request) -> web.Response:
    wait = await request.app[ratelimit.LIMITS][LIMIT].spend(
        request.app, f"{LIMIT}:{ratelimit.client_network(request)}")
    if wait is not None:
        return await _problem(request, 429, LIMITED,
                              headers={"Retry-After": str(math.ceil(wait))})
    code = request.match_info["code"]
    link = None
    if store.is_code(code):
        link = await store.find(make_session_factory(request.app[ENGINE]), code)
    if link is None:
        return await _problem(request, 404, UNKNOWN)
    if link.revoked_at is not None:
        return await _problem(request, 410, REVOKED)
    if link.expires_at <= context.now():
        return await _problem(request, 410, EXPIRED)
    key = links.link_key(request.app[SETTINGS])
    token = links.sign(key, link.subject, link.action, link.expires_at)
    raise web.HTTPSeeOther(f"/appointments/{link.action}?{urlencode({'token': token})}")


async def _problem(request: web.Request, status: int, words: tuple[str, str],
                   headers: dict[str, str] | None = None) -> web.Response:
    """The shared problem page, with the ways forward a customer without a working link has:
    the booking page, the chat, the business's phone."""
    try:
        business = (await context.catalog(request)).business
    except NotFound:
        business = None
    ways: list[dict[str, Any]] = [{"href": "/book", "label": "Book a new time"},
                                  {"href": "/", "label": "Ask us in the chat"}]
    if business is not None and business.contact.phone:
        ways.append({"href": f"tel:{business.contact.phone}",
                     "label": f"Call {business.contact.phone}"})
    response = pages.render(request, "customer/problem.html", status,
                            business_name=business.name if business else "Booking",
                            title=words[0], message=words[1], ways=ways)
    response.headers.update(headers or {})
    return response
