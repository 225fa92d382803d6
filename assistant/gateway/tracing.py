"""A request id on every request: the caller's X-Request-ID when it is a short safe string (a
proxy's or a load balancer's, so one id follows the request across services), a random one
otherwise; echoed back in the response header and written on every log line of the request.

Installed first, so the id is set before any other middleware or handler logs anything.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from assistant import logcontext

HEADER = "X-Request-ID"
SAFE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
"""What a caller's id may be: long enough to be unique, short and plain enough to log as is."""
REQUEST_ID = web.RequestKey("request_id", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def request_id(request: web.Request) -> str:
    """The id this request runs under ("-" in an app built without the middleware)."""
    found = request.get(REQUEST_ID)
    return found if isinstance(found, str) else logcontext.NONE


@web.middleware
async def request_ids(request: web.Request, handler: Handler) -> web.StreamResponse:
    given = request.headers.get(HEADER, "")
    request[REQUEST_ID] = given if SAFE.match(given) else secrets.token_hex(8)
    # aiohttp runs each request in a task of its own, so the value ends with the request, and
    # the access log line written after this middleware returns still carries it
    logcontext.current.set(f"req={request[REQUEST_ID]}")
    return await handler(request)


async def echo(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every response, errors and static files too, names its request."""
    found = request.get(REQUEST_ID)
    if isinstance(found, str):
        response.headers[HEADER] = found
