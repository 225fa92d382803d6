"""Reading query parameters and JSON bodies; anything malformed is a 422 naming the field.

Dates are bounded here: a year-1 or year-9999 date parses, then overflows the moment a time
zone, a margin or a duration is applied to it. Booking inputs (a start, a search, a waitlist
window) must lie within a year back and five years ahead; filters over records go further back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from aiohttp import web

from assistant.gateway.errors import ApiError
from scheduling.catalog import E164

MAX_BODY = 16 * 1024


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid_request", f"{field}: {message}", field=field)


def uuid_of(value: object, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise invalid(field, "not a UUID") from None


@dataclass(frozen=True, slots=True)
class Window:
    """How far from now a date may be: `past` before it, `future` after it."""

    past: timedelta
    future: timedelta

    def check(self, moment: datetime, field: str, now: datetime) -> datetime:
        low, high = now - self.past, now + self.future
        if not low <= moment <= high:
            raise invalid(field, f"must be between {low:%Y-%m-%d} and {high:%Y-%m-%d}")
        return moment


BOOKING = Window(past=timedelta(days=366), future=timedelta(days=5 * 366))
HISTORY = Window(past=timedelta(days=30 * 366), future=timedelta(days=5 * 366))


def when_of(value: object, field: str, window: Window = BOOKING,
            now: datetime | None = None) -> datetime:
    """An ISO 8601 date-time with a UTC offset, inside `window` around `now`."""
    if not isinstance(value, str):
        raise invalid(field, "must be an ISO 8601 date-time string")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(field, "not an ISO 8601 date-time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise invalid(field, "needs a UTC offset, like 2026-12-01T10:00:00+01:00 or ...Z")
    return window.check(moment, field, now or datetime.now(UTC))


def path_id(request: web.Request, name: str) -> UUID:
    return uuid_of(request.match_info[name], name)


def _query(request: web.Request, name: str, required: bool) -> str | None:
    raw = request.query.get(name)
    if raw is None and required:
        raise invalid(name, "is required")
    return raw


def query_id(request: web.Request, name: str, required: bool = False) -> UUID | None:
    raw = _query(request, name, required)
    return None if raw is None else uuid_of(raw, name)


def query_when(request: web.Request, name: str, required: bool = False,
               window: Window = BOOKING) -> datetime | None:
    raw = _query(request, name, required)
    return None if raw is None else when_of(raw, name, window)


def query_int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, "not an integer") from None
    if not low <= value <= high:
        raise invalid(name, f"must be between {low} and {high}")
    return value


async def body(request: web.Request) -> dict[str, Any]:
    """The JSON object sent; 413 past MAX_BODY bytes, 400 for broken JSON, 422 for non-objects."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "request_too_large", f"bodies are limited to {MAX_BODY} bytes")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise ApiError(413, "request_too_large", f"bodies are limited to {MAX_BODY} bytes")
    try:
        found = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "the body is not JSON") from None
    if not isinstance(found, dict):
        raise invalid("body", "must be a JSON object")
    return found


def text(data: dict[str, Any], name: str, limit: int, required: bool = False) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid(name, "must be non-empty text" if required else "must be text")
    if len(value) > limit:
        raise invalid(name, f"at most {limit} characters")
    if "\x00" in value:
        raise invalid(name, "must not contain NUL characters")
    return value.strip()


def optional_id(data: dict[str, Any], name: str) -> UUID | None:
    value = data.get(name)
    return None if value is None else uuid_of(value, name)


def contact(data: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(name, phone, email) of the `customer` object; one of phone or e-mail is required."""
    found = data.get("customer")
    if not isinstance(found, dict):
        raise invalid("customer", "must be an object with name and phone or email")
    name = text(found, "name", 120, required=True)
    phone = phone_of(found, "phone", "customer.phone")
    email = email_of(found, "email", "customer.email")
    if phone is None and email is None:
        raise invalid("customer", "needs a phone or an email")
    return name, phone, email


def phone_of(data: dict[str, Any], name: str, field: str) -> str | None:
    """An optional E.164 phone; `field` names it in the error."""
    phone = text(data, name, 16) or None
    if phone is not None and not E164.match(phone):
        raise invalid(field, "must be E.164, like +15551234567")
    return phone


def email_of(data: dict[str, Any], name: str, field: str) -> str | None:
    email = text(data, name, 320) or None
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        raise invalid(field, "is not an e-mail address")
    return email
