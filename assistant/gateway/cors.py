"""CORS for one route: the widget's `POST /chat` fallback, called from the business's own site.

Only the origins CHAT_ALLOWED_ORIGINS lists get `Access-Control-Allow-Origin` (their own, never
a wildcard) and an answered preflight; any other origin's preflight is refused, and no other
route ever sends a CORS header, so no other site's script can read an answer of ours.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from aiohttp import web

from assistant.gateway.resources import SETTINGS
from assistant.gateway.tracing import Handler

PATH = "/chat"
PREFLIGHT = {"Access-Control-Allow-Methods": "POST",
             "Access-Control-Allow-Headers": "Content-Type",
             "Access-Control-Max-Age": "600"}


def allowed_origin(request: web.Request) -> str | None:
    """The request's Origin when it is one the settings allow, else None."""
    origin = request.headers.get("Origin", "").rstrip("/").lower()
    return origin if origin in request.app[SETTINGS].chat_origins else None


def _allow(headers: MutableMapping[str, str], origin: str) -> None:
    headers["Access-Control-Allow-Origin"] = origin
    headers["Vary"] = "Origin"


@web.middleware
async def chat_cors(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path != PATH:
        return await handler(request)
    origin = allowed_origin(request)
    if request.method == "OPTIONS":
        wanted = request.headers.get("Access-Control-Request-Method", "").upper()
        if origin is None or wanted != "POST":
            raise web.HTTPForbidden(text="this origin may not call /chat")
        response = web.Response(status=204, headers=PREFLIGHT)
        _allow(response.headers, origin)
        return response
    try:
        response = await handler(request)
    except web.HTTPException as error:
        if origin is not None:
            _allow(error.headers, origin)
        raise
    if origin is not None:
        _allow(response.headers, origin)
    return response
