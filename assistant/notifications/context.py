"""The variables a template sees: facts from the payload, shown in the recipient's zone.

Everything a template prints is prepared here (formatted times, the cancellation policy in
words, signed links), so templates stay free of logic and a new language is only templates.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from assistant.notifications import ics, links
from assistant.notifications.audience import Audience

Json = dict[str, Any]


def long_time(moment: datetime, zone: str) -> str:
    """'Friday 12 March 2027, 15:00 GMT' in `zone`."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def short_time(moment: datetime, zone: str) -> str:
    """'Fri 12 Mar 15:00 GMT' in `zone`, for SMS."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"


def money(amount: Decimal | str | None, currency: str) -> str:
    return f"{Decimal(amount or 0):.2f} {currency}"


def policy_text(audience: Audience) -> str:
    policy = audience.policy
    currency = audience.catalog.business.policies.currency
    free = f"Free cancellation up to {policy.free_cancellation_hours} hours before"
    if policy.late_cancel_fee > 0:
        return f"{free}; later cancellations cost {money(policy.late_cancel_fee, currency)}."
    return f"{free}."


def where(payload: Json, meeting_link: str | None = None) -> str:
    """Where the appointment happens; a video link known at booking or added since."""
    kind = payload.get("location_type")
    if kind == "virtual":
        link = payload.get("meeting_link") or meeting_link
        return f"Online: {link or 'the link will follow'}"
    if kind == "phone":
        return "By phone: we will call you"
    return str(payload.get("address") or "")


def _instant(payload: Json, key: str) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def message_context(kind: str, payload: Json, audience: Audience, key: str, base_url: str,
                    now: datetime) -> Json:
    zone = audience.recipient.time_zone
    business = audience.catalog.business
    start, end = _instant(payload, "start"), _instant(payload, "end")
    context: Json = {
        "kind": kind, "payload": payload, "recipient": audience.recipient,
        "business": business, "contact": business.contact,
        "service": payload.get("service", ""), "staff": payload.get("staff", ""),
        "where": where(payload, audience.meeting_link), "policy": policy_text(audience),
        "currency": business.policies.currency,
        "when": long_time(start, zone) if start else "",
        "when_short": short_time(start, zone) if start else "",
        "links": {}, "event": None,
    }
    context |= _extras(kind, payload, audience, zone)
    if start and end and payload.get("appointment_id"):
        appointment = UUID(payload["appointment_id"])
        context["links"] = _links(appointment, payload, start, end, context, key, base_url, now)
        context["event"] = _event(audience, start, end, context)
    return context


def _extras(kind: str, payload: Json, audience: Audience, zone: str) -> Json:
    currency = audience.catalog.business.policies.currency
    previous = _instant(payload, "previous_start")
    deadline = _instant(payload, "expires_at")
    refund = payload.get("refund", audience.refund)
    return {
        "previous_when": long_time(previous, zone) if previous else "",
        "deadline": long_time(deadline, zone) if deadline else "",
        "deadline_short": short_time(deadline, zone) if deadline else "",
        "reason": payload.get("reason") or "",
        "fee": money(payload.get("fee"), currency),
        "has_fee": Decimal(payload.get("fee") or 0) > 0,
        "refund": money(refund, currency),
        "has_refund": Decimal(refund or 0) > 0,
        "no_show_fee": money(audience.catalog.business.policies.no_show_fee, currency),
        "lead": _lead(payload.get("minutes_before"), payload.get("hours_before")),
        "agenda": [
            {"time": short_time(datetime.fromisoformat(item["start"]), zone).split(" ", 3)[-1],
             "service": item["service"], "customer": item["customer"]}
            for item in payload.get("items", [])
        ],
        "day": payload.get("day", ""),
        "error": payload.get("error", ""),
        "failed_kind": payload.get("failed_kind", ""),
        "event_name": payload.get("event", ""),
    }


def _lead(minutes: int | None, hours: int | None) -> str:
    total = minutes if minutes is not None else (hours or 0) * 60
    if total % 60:
        return f"{total} minutes"
    return "1 hour" if total == 60 else f"{total // 60} hours"


def _links(appointment: UUID, payload: Json, start: datetime, end: datetime, context: Json,
           key: str, base_url: str, now: datetime) -> Json:
    title = f"{context['service']} at {context['business'].name}"
    details = f"{context['service']} with {context['staff']}. {context['policy']}"
    out = {
        action: links.action_url(base_url, key, appointment, action, start)
        for action in ("reschedule", "cancel", "manage", "confirm")
    }
    if payload.get("offer_id") and payload.get("expires_at"):
        out["claim"] = links.action_url(base_url, key, UUID(payload["offer_id"]), "claim",
                                        datetime.fromisoformat(payload["expires_at"]))
    out["google"] = links.google_calendar_url(title, start, end, details, context["where"])
    out["outlook"] = links.outlook_calendar_url(title, start, end, details, context["where"])
    return out


def _event(audience: Audience, start: datetime, end: datetime, context: Json) -> ics.CalendarEvent:
    business = audience.catalog.business
    return ics.CalendarEvent(
        audience.chain_id or UUID(context["payload"]["appointment_id"]), audience.sequence,
        start, end, f"{context['service']} at {business.name}",
        f"{context['service']} with {context['staff']}. {context['policy']}", context["where"],
        business.name, business.contact.email or "bookings@localhost",
        audience.recipient.email,
    )

