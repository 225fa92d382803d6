"""Admin sessions, kept server-side, and the per-session CSRF token every POST form carries.

The model:

- Signing in creates a row in `admin_sessions` and sets the cookie `admin_session` to a random
  token (`secrets.token_urlsafe(32)`). The cookie carries nothing else: no e-mail, no expiry,
  no signature, so nothing in it can be forged or edited, and SECRET_KEY cannot mint one. The
  database keeps only the token's sha256, so a leaked table or backup opens no session.
- Each request that carries the cookie is resolved once, by `middleware`, against the database:
  the session must not be revoked, must have been used within IDLE (30 min), must be younger
  than ABSOLUTE (12 h), and its e-mail must still be in `admin_users`. The result is stored on
  the request, so `current(request)` is a plain read for the page guard, the API's `is_admin`
  and the Google connect flow. Requests without the cookie cost no query. `last_seen_at` is
  written at most once a minute (TOUCH_EVERY), so the idle limit is exact to that minute.
- Anything else is "signed out": pages redirect to the login form, the API answers 401.
- Ending sessions: logout revokes its own row; setting an admin's password (the login CLI,
  ADMIN_PASSWORD at start-up when it changed) revokes every session of that admin in the same
  transaction; deleting an admin deletes its sessions (foreign key, ON DELETE CASCADE).
- CSRF: the token is an HMAC of the session's token hash under the subkey "admin-csrf" of
  SECRET_KEY: per session, no storage, useless without the cookie, dead with the session.
- The cookie is HttpOnly, SameSite=Lax, Secure when the gateway's URL is https, Path=/ (the
  REST API under /api reads it too), and lives no longer than ABSOLUTE in the browser.

Every gateway replica shares the table, so a session works on any of them and ends on all.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from aiohttp import web

from assistant.gateway.errors import Handler
from assistant.gateway.ratelimit import client_ip
from assistant.gateway.resources import SETTINGS
from scheduling.persistence.admin_sessions import ABSOLUTE, AdminSession, SessionStore

__all__ = ["COOKIE", "STORE", "AdminSession", "csrf_ok", "csrf_token", "current", "end",
           "middleware", "now", "start"]

COOKIE = "admin_session"
TOKEN_CHARS = 43
"""The length of `secrets.token_urlsafe(32)`; any other cookie value is not looked up."""
STORE = web.AppKey("admin_sessions", SessionStore)
CURRENT = web.RequestKey("admin_session", AdminSession)


def now() -> datetime:
    """The sessions' clock, one place for tests to move it (idle and absolute expiry)."""
    return datetime.now(UTC)


@web.middleware
async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Resolve the session cookie once per request (only when there is one)."""
    token = request.cookies.get(COOKIE, "")
    if len(token) == TOKEN_CHARS:
        found = await request.app[STORE].resolve(token, now())
        if found is not None:
            request[CURRENT] = found
    return await handler(request)


def current(request: web.Request) -> AdminSession | None:
    """The live admin session of this request, as `middleware` resolved it."""
    return request.get(CURRENT)


async def start(request: web.Request, response: web.StreamResponse, email: str) -> None:
    """Open a session for the admin `email` and set its cookie on `response`."""
    token = await request.app[STORE].create(email, now(), client_ip(request),
                                            request.headers.get("User-Agent", ""))
    secure = request.app[SETTINGS].gateway_url.startswith("https://")
    response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", path="/", secure=secure,
                        max_age=int(ABSOLUTE.total_seconds()))


async def end(request: web.Request, response: web.StreamResponse, found: AdminSession) -> None:
    """Revoke the session server-side (a copied cookie dies too) and drop the cookie."""
    await request.app[STORE].revoke(found.token_hash, now())
    response.del_cookie(COOKIE, path="/")


def csrf_token(request: web.Request, found: AdminSession) -> str:
    key = request.app[SETTINGS].subkey("admin-csrf")
    return hmac.new(key, found.token_hash.encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: web.Request, found: AdminSession, token: object) -> bool:
    return (isinstance(token, str) and token.isascii()  # compare_digest refuses non-ASCII str
            and hmac.compare_digest(token, csrf_token(request, found)))
