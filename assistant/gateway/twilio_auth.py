"""Twilio webhooks are checked before anything else: `X-Twilio-Signature` must match the public
URL Twilio called and the posted form, under our auth token. Unsigned, wrongly signed, or with
no token configured: 403, and nothing reaches Rasa or the database.

The URL is the one Twilio saw: PUBLIC_URL when set; the proxy's X-Forwarded-Proto/Host only
when TRUST_PROXY says a proxy we run sets them (otherwise anyone could choose the URL signed).
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from multidict import MultiDictProxy
from twilio.request_validator import RequestValidator

from assistant.gateway.conversation import PENDING, Reply
from assistant.gateway.resources import SETTINGS

log = logging.getLogger(__name__)
TWIML = "application/xml"


def public_url(request: web.Request) -> str:
    settings = request.app[SETTINGS]
    if settings.public_url:
        return settings.public_url.rstrip("/") + request.path_qs
    scheme, host = request.scheme, request.host
    if settings.trust_proxy:
        scheme = request.headers.get("X-Forwarded-Proto", scheme).split(",")[0].strip()
        host = request.headers.get("X-Forwarded-Host", host).split(",")[0].strip()
    return f"{scheme}://{host}{request.path_qs}"


async def verified_form(request: web.Request) -> MultiDictProxy[str]:
    """The posted form of a genuine Twilio request; HTTPForbidden otherwise."""
    token = request.app[SETTINGS].twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature")
    form = await request.post()
    if token is None or not signature:
        raise web.HTTPForbidden(text="not a signed Twilio request")
    fields = {key: str(value) for key, value in form.items()}
    url = public_url(request)
    if not RequestValidator(token.get_secret_value()).validate(url, fields, signature):
        log.warning("refused a Twilio request with a bad signature for %s", url)
        raise web.HTTPForbidden(text="bad Twilio signature")
    return MultiDictProxy(form)  # type: ignore[arg-type]


async def pending_turn(request: web.Request) -> asyncio.Task[list[Reply]] | None:
    """The turn a verified continuation request (`?token=...`) comes back for, if still held."""
    await verified_form(request)
    return request.app[PENDING].take(request.query.get("token", ""))


def twiml(document: object) -> web.Response:
    return web.Response(text=str(document), content_type=TWIML)
