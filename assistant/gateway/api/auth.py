"""Who may call: admins (API key compared hashed, or an admin session) and customers (a signed
link token for their appointment, or a token for themselves from a one-time code)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import roles, session
from assistant.gateway.errors import ApiError
from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from scheduling.desk.customers import ANONYMOUS, Proof

CUSTOMER_ACTIONS = ("manage", "cancel", "reschedule", "confirm", "claim", "customer")
"""Link tokens name an appointment or an offer; "customer" tokens (from a one-time code) name
the customer who proved a contact."""


@dataclass(frozen=True, slots=True)
class Caller:
    """`subject` is what a customer token names: an appointment, an offer or a customer."""

    admin: bool
    subject: UUID | None = None
    action: str | None = None


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def is_admin(request: web.Request) -> bool:
    key = request.app[SETTINGS].admin_api_key
    given = request.headers.get("X-API-Key")
    if key is not None and given is not None:
        return hmac.compare_digest(_digest(given), _digest(key.get_secret_value()))
    found = session.current(request)
    return found is not None and roles.sees_all(found)  # a staff account is not an admin


def require_admin(request: web.Request) -> Caller:
    if not is_admin(request):
        raise ApiError(401, "unauthorized", "an admin API key or session is required")
    return Caller(admin=True)


def bearer(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def customer(request: web.Request) -> Caller:
    """The subject of a valid customer token; 401 when there is none or it does not verify."""
    token = bearer(request)
    if token is None:
        raise ApiError(401, "unauthorized", "a customer token (Authorization: Bearer) is required")
    key = links.link_key(request.app[SETTINGS])
    action = token.split(".")[1] if token.count(".") == 3 else ""
    if action not in CUSTOMER_ACTIONS:
        raise ApiError(401, "unauthorized", "this token is not valid: malformed")
    try:
        subject = links.verify(key, token, action, datetime.now(UTC))
    except links.InvalidLink as error:
        raise ApiError(401, "unauthorized", str(error)) from None
    return Caller(admin=False, subject=subject, action=action)


def proof(request: web.Request) -> Proof:
    """What the caller proved: the business (admin), a customer (a token from a one-time
    code), or nothing; a token that is present but invalid is refused, not ignored."""
    if is_admin(request):
        return Proof(owner=True)
    if bearer(request) is None:
        return ANONYMOUS
    caller = customer(request)
    return Proof(customer_id=caller.subject) if caller.action == "customer" else ANONYMOUS


def admin_or_customer(request: web.Request) -> Caller:
    return Caller(admin=True) if is_admin(request) else customer(request)
