"""Twilio webhooks are checked before anything else: `X-Twilio-Signature` must match the public
URL Twilio called and the posted form, under our auth token. Unsigned, wrongly signed, or with
no token configured: 403, and nothing reaches Rasa or the database.

The form is parsed here, strictly, from the raw body: UTF-8 form encoding (what Twilio sends)
or a 400, with every pair kept as sent (repeated names included) for the signature check.

The URL is the one Twilio saw: PUBLIC_URL when set; the proxy's X-Forwarded-Proto/Host only
when TRUST_PROXY says a proxy we run sets them (otherwise anyone could choose the URL signed).
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict, MultiDictProxy
from twilio.request_validator import RequestValidator

from assistant.gateway.conversation import PENDING, Reply
from assistant.gateway.resources import SETTINGS

log = logging.getLogger(__name__)
TWIML = "application/xml"
FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 100


def public_url(request: web.Request) -> str:
    settings = request.app[SETTINGS]
    if settings.public_url:
        return settings.public_url.rstrip("/") + request.path_qs
    scheme, host = request.scheme, request.host
    if settings.trust_proxy:
        scheme = request.headers.get("X-Forwarded-Proto", scheme).split(",")[0].strip()
        host = request.headers.get("X-Forwarded-Host", host).split(",")[0].strip()
    return f"{scheme}://{host}{request.path_qs}"


async def form_pairs(request: web.Request) -> MultiDict[str]:
    """The posted form, strictly: HTTPBadRequest unless it is UTF-8 form encoding."""
    raw = await request.read()
    if not raw:
        return MultiDict()
    charset = (request.charset or "utf-8").lower()
    if request.content_type != FORM or charset not in ("utf-8", "utf8"):
        raise web.HTTPBadRequest(text=f"expected {FORM} in UTF-8")
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict",
                          max_num_fields=MAX_FIELDS)
    except ValueError:  # UnicodeDecodeError, or more than MAX_FIELDS fields
        raise web.HTTPBadRequest(text="the form is not valid UTF-8 form encoding") from None
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        raise web.HTTPBadRequest(text="the form must not contain NUL characters")
    return MultiDict(pairs)


async def verified_form(request: web.Request) -> MultiDictProxy[str]:
    """The posted form of a genuine Twilio request; 400 if it does not parse, 403 unsigned."""
    form = await form_pairs(request)
    token = request.app[SETTINGS].twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature")
    if token is None or not signature:
        raise web.HTTPForbidden(text="not a signed Twilio request")
    if not _genuine(token.get_secret_value(), public_url(request), form, signature):
        log.warning("refused a Twilio request with a bad signature for %s", request.path)
        raise web.HTTPForbidden(text="bad Twilio signature")
    return MultiDictProxy(form)


def _genuine(token: str, url: str, form: MultiDict[str], signature: str) -> bool:
    try:
        return RequestValidator(token).validate(url, form, signature)
    except ValueError:
        # the URL is built from the Host header when PUBLIC_URL is unset; one that is no host
        # ("[", "a:b") makes urlparse raise, and cannot be the URL Twilio signed
        return False


async def pending_turn(request: web.Request) -> asyncio.Task[list[Reply]] | None:
    """The turn a verified continuation request (`?token=...`) comes back for, if still held."""
    await verified_form(request)
    return await request.app[PENDING].take(request.query.get("token", "")[:100])


def twiml(document: object) -> web.Response:
    return web.Response(text=str(document), content_type=TWIML)
