"""What the pages' forms and addresses carry, read strictly: a field that cannot be read is
an `InvalidRequest` in the customer's words (shown next to the form), and every date is
bounded before anything computes with it."""

from __future__ import annotations

from datetime import date, datetime

from aiohttp import web
from multidict import MultiDictProxy

from assistant.gateway.api.params import when_of
from assistant.gateway.errors import ApiError
from scheduling.errors import InvalidRequest

Form = MultiDictProxy[str | bytes | bytearray | web.FileField]
REASON_LIMIT = 500


def field(form: Form, name: str) -> str | None:
    """A plain text field; None when absent or not text (a file in a multipart form)."""
    value = form.get(name)
    return value if isinstance(value, str) else None


def read_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest("that date could not be read; choose a day from the list",
                             field="day") from None


def read_start(raw: str | None, now: datetime) -> datetime:
    """A start chosen from the times shown (an ISO date-time with its offset, near now)."""
    try:
        return when_of(raw, "start", now=now)
    except ApiError:
        raise InvalidRequest("that time could not be read; choose one of the times shown",
                             field="start") from None


def read_reason(form: Form) -> str:
    reason = " ".join((field(form, "reason") or "").split())
    if len(reason) > REASON_LIMIT:
        raise InvalidRequest(f"please keep the reason under {REASON_LIMIT} characters",
                             field="reason")
    return reason
