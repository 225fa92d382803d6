"""Signed, expiring links to reschedule or cancel, short links for SMS, and add-to-calendar
links.

A token is `<appointment id hex>.<action>.<expiry unix seconds>.<signature>`, the signature
being HMAC-SHA256 over the first three parts with the secret key: anyone can read it, nobody
can change the appointment, the action or the expiry without the key. The gateway calls
`verify` before acting on one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from assistant.settings import Settings
from scheduling.errors import InvalidRequest

ACTIONS = frozenset({"reschedule", "cancel", "manage", "confirm", "claim", "customer", "pay",
                     "fee"})
"""What a link token may do; "customer" tokens (from a one-time code) name a customer, the
others an appointment or a waitlist offer."""


AFTER_END = timedelta(days=30)
"""An appointment's links work until this long after it ends: a no-show follow-up, a question
about a fee or a rebooking comes after the visit, not before it."""
SMS_ACTIONS = {"confirmation": "manage", "reminder": "manage", "reschedule": "manage",
               "owner_change": "confirm", "waitlist_offer": "claim", "pending_payment": "pay",
               "fee_due": "fee"}
"""The page each kind of SMS opens (through a short link): one link fits one segment."""


class InvalidLink(InvalidRequest):
    """A link that was tampered with, is malformed, is for another action, or has expired."""

    code = "invalid_link"

    def __init__(self, reason: str) -> None:
        super().__init__(f"this link is not valid: {reason}", field="token")


def link_key(settings: Settings) -> str:
    """The key customer links are signed with: SECRET_KEY's "customer-link" subkey, so a key
    leaked from another use (admin sessions, Google tokens) cannot forge a customer's link."""
    return settings.subkey("customer-link").hex()


def _signature(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(key: str, subject: UUID, action: str, expires: datetime) -> str:
    if action not in ACTIONS:
        raise InvalidRequest(f"unknown link action {action!r}", field="action")
    body = f"{subject.hex}.{action}.{int(expires.timestamp())}"
    return f"{body}.{_signature(key.encode(), body)}"


def verify(key: str, token: str, action: str, now: datetime) -> UUID:
    """The subject id of a genuine, unexpired `action` token; InvalidLink otherwise."""
    parts = token.split(".")
    if len(parts) != 4:
        raise InvalidLink("malformed")
    subject, found_action, expires, signature = parts
    body = f"{subject}.{found_action}.{expires}"
    if not hmac.compare_digest(signature, _signature(key.encode(), body)):
        raise InvalidLink("signature mismatch")
    if found_action != action:
        raise InvalidLink(f"it is for {found_action}, not {action}")
    if now.timestamp() >= int(expires):
        raise InvalidLink("expired")
    return UUID(hex=subject)


def action_url(base_url: str, key: str, subject: UUID, action: str, expires: datetime) -> str:
    query = urlencode({"token": sign(key, subject, action, expires)})
    return f"{base_url.rstrip('/')}/appointments/{action}?{query}"


def target(payload: dict[str, Any], action: str) -> tuple[UUID, datetime] | None:
    """What an `action` link in a message names and until when: a waitlist offer until its
    deadline for "claim", else the appointment until `AFTER_END` after it ends; None when the
    payload has no such subject."""
    if action == "claim":
        if payload.get("offer_id") and payload.get("expires_at"):
            return UUID(payload["offer_id"]), datetime.fromisoformat(payload["expires_at"])
        return None
    if payload.get("appointment_id") and payload.get("end"):
        end = datetime.fromisoformat(payload["end"])
        return UUID(payload["appointment_id"]), end + AFTER_END
    return None


def short_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/a/{code}"


def book_url(base_url: str, service_id: UUID | None = None) -> str:
    """The public booking page, with the service chosen when there is one."""
    return f"{base_url.rstrip('/')}/book" + (f"/{service_id}" if service_id else "")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(title: str, start: datetime, end: datetime, details: str,
                        location: str) -> str:
    query = urlencode({"action": "TEMPLATE", "text": title,
                       "dates": f"{_stamp(start)}/{_stamp(end)}", "details": details,
                       "location": location})
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_calendar_url(title: str, start: datetime, end: datetime, details: str,
                         location: str) -> str:
    iso = "%Y-%m-%dT%H:%M:%SZ"
    query = urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
                       "startdt": start.astimezone(UTC).strftime(iso),
                       "enddt": end.astimezone(UTC).strftime(iso), "body": details,
                       "location": location})
    return f"https://outlook.live.com/calendar/0/deeplink/compose?{query}"
