"""Admin sessions in a signed cookie, and the per-session CSRF token every POST form carries.

The cookie holds the e-mail, an expiry and a random session id, signed with HMAC-SHA256 over
SECRET_KEY: stateless, so any gateway replica accepts it. The CSRF token is an HMAC of the
session id, so it is per session, needs no storage, and is useless without the cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from aiohttp import web

from assistant.gateway.resources import SETTINGS

COOKIE = "admin_session"
LIFETIME = 8 * 3600


@dataclass(frozen=True, slots=True)
class AdminSession:
    email: str
    session_id: str
    expires: int


def _key(request: web.Request) -> bytes:
    return request.app[SETTINGS].secret_key.get_secret_value().encode()


def _sign(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def encode(key: bytes, email: str) -> str:
    """A signed session cookie value for `email`, valid for LIFETIME seconds."""
    payload = {"e": email, "s": secrets.token_urlsafe(12), "x": int(time.time()) + LIFETIME}
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    return f"{body}.{_sign(key, body)}"


def issue(request: web.Request, response: web.StreamResponse, email: str) -> None:
    secure = request.app[SETTINGS].gateway_url.startswith("https://")
    response.set_cookie(COOKIE, encode(_key(request), email), httponly=True,
                        samesite="Lax", max_age=LIFETIME, path="/", secure=secure)


def current(request: web.Request) -> AdminSession | None:
    raw = request.cookies.get(COOKIE, "")
    body, _, signature = raw.partition(".")
    if not body or not hmac.compare_digest(signature, _sign(_key(request), body)):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body.encode()))
        found = AdminSession(str(payload["e"]), str(payload["s"]), int(payload["x"]))
    except (ValueError, KeyError, TypeError):
        return None
    return found if found.expires > time.time() else None


def csrf_token(request: web.Request, session: AdminSession) -> str:
    return _sign(_key(request), f"csrf:{session.session_id}")


def csrf_ok(request: web.Request, session: AdminSession, token: object) -> bool:
    return isinstance(token, str) and hmac.compare_digest(token, csrf_token(request, session))
