"""The wizard's answers between its steps, kept in a cookie signed for the admin's session.

Nothing is written to the catalog until the last step, so an abandoned wizard leaves nothing
behind. The signature covers the session's token hash: a draft copied into another session,
or edited by hand, reads as no draft at all (the wizard starts again) and never as data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.setup_form import Draft
from assistant.gateway.resources import SETTINGS

COOKIE = "setup_draft"
PATH = "/admin/setup"
MAX_VALUE = 3900


def _signature(request: web.Request, admin: session.AdminSession, body: bytes) -> str:
    key = request.app[SETTINGS].subkey("admin-setup-draft")
    signed = admin.token_hash.encode() + b"\n" + body
    return hmac.new(key, signed, hashlib.sha256).hexdigest()


def read(request: web.Request, admin: session.AdminSession) -> Draft:
    body, _, signature = request.cookies.get(COOKIE, "").rpartition(".")
    try:
        packed = base64.urlsafe_b64decode(body.encode())
    except ValueError:
        return {}
    if not hmac.compare_digest(signature.encode(), _signature(request, admin, packed).encode()):
        return {}
    try:
        found = json.loads(zlib.decompress(packed))
    except (zlib.error, ValueError):  # a draft of an older release
        return {}
    return found if isinstance(found, dict) else {}


def encoded(request: web.Request, admin: session.AdminSession, draft: Draft) -> str | None:
    """The cookie's value for `draft`; None when it is too long for a browser to keep (a
    cookie over 4 KB is dropped without a word, and the wizard would start again)."""
    raw = json.dumps(draft, separators=(",", ":"), ensure_ascii=False).encode()
    packed = zlib.compress(raw, 9)
    value = base64.urlsafe_b64encode(packed).decode() + "." + _signature(request, admin, packed)
    return value if len(value) <= MAX_VALUE else None


def keep(request: web.Request, response: web.StreamResponse, value: str) -> None:
    secure = request.app[SETTINGS].gateway_url.startswith("https://")
    response.set_cookie(COOKIE, value, httponly=True, samesite="Strict", path=PATH,
                        secure=secure)


def drop(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE, path=PATH)
