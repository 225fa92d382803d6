"""The variables a template sees: facts from the payload, shown in the recipient's zone.

Everything a template prints is prepared here (times and money through `scheduling.formats`,
the cancellation policy in words, signed links), so templates stay free of logic and a new
language is only templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from assistant.notifications import ics, links
from assistant.notifications.audience import OWNER_KINDS, Audience
from scheduling import formats
from scheduling.booking import fees
from scheduling.desk.setup.values import MessageParts
from scheduling.errors import InvalidRequest

Json = dict[str, Any]
NOTED_KINDS = frozenset({"confirmation", "reminder", "reschedule"})
"""The messages that get the customer to the appointment: they carry what to bring and, for a
visit in person, how to find the place and where to park."""


@dataclass(frozen=True, slots=True)
class Wording:
    """How one recipient reads times and money: their zone and language, and the zone of the
    place (the appointment's location, else the business), named in an SMS when it reads the
    time differently."""

    zone: ZoneInfo
    business_zone: ZoneInfo
    locale: str
    currency: str

    @classmethod
    def of(cls, audience: Audience) -> Wording:
        business = audience.catalog.business
        home = ZoneInfo(audience.home_zone) if audience.home_zone else business.zone
        return cls(ZoneInfo(audience.recipient.time_zone), home,
                   _locale(audience.recipient.language), business.policies.currency)

    def long(self, moment: datetime | None) -> str:
        """"Friday, March 12, 2027 at 3:30 PM EST" (e-mail), "" for no moment."""
        return formats.long_when(moment, self.zone, self.locale) if moment else ""

    def short(self, moment: datetime | None) -> str:
        """"Fri, Mar 12, 3:30 PM" (SMS), with " (GMT)" when that is not the business's zone."""
        if moment is None:
            return ""
        note = formats.zone_note(moment, self.zone, self.business_zone)
        return formats.short_when(moment, self.zone, self.locale) + note

    def clock(self, moment: datetime) -> str:
        return formats.clock(moment, self.zone, self.locale)

    def money(self, amount: Decimal | str | None) -> str:
        return formats.money(amount, self.currency, self.locale)


def _locale(language: str) -> str:
    """The recipient's language if CLDR knows it, else the default: a stored preference we
    cannot format in must not stop their confirmation."""
    try:
        formats.locale_of(language)
    except InvalidRequest:
        return formats.DEFAULT_LOCALE
    return language


def policy_text(audience: Audience, wording: Wording) -> str:
    policy = audience.policy
    free = f"Free cancellation up to {policy.free_cancellation_hours} hours before"
    if policy.late_cancel_fee > 0:
        return f"{free}; later cancellations cost {wording.money(policy.late_cancel_fee)}."
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


def _notes(kind: str, payload: Json, parts: MessageParts) -> list[str]:
    """The business's own notes for this message, one line each; none it left empty."""
    if kind not in NOTED_KINDS:
        return []
    notes = [("What to bring", parts.what_to_bring)]
    if payload.get("location_type") not in ("virtual", "phone"):
        notes += [("Finding us", parts.address_notes), ("Parking", parts.parking_notes)]
    return [f"{label}: {' '.join(text.split())}" for label, text in notes if text.strip()]


def _instant(payload: Json, key: str) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def message_context(kind: str, payload: Json, audience: Audience, key: str, base_url: str,
                    short_code: str | None = None) -> Json:
    """`short_code` is the short link the dispatcher issued for this message's SMS
    (`links.SMS_ACTIONS`); without one the SMS carries the full signed link."""
    wording = Wording.of(audience)
    business = audience.catalog.business
    start, end = _instant(payload, "start"), _instant(payload, "end")
    context: Json = {
        "kind": kind, "payload": payload, "recipient": audience.recipient,
        "business": business, "contact": business.contact,
        "service": payload.get("service", ""), "staff": payload.get("staff", ""),
        "where": where(payload, audience.meeting_link),
        "policy": policy_text(audience, wording), "currency": wording.currency,
        "when": wording.long(start), "when_short": wording.short(start),
        "links": {}, "event": None,
        "notes": _notes(kind, payload, audience.parts),
        "signature": "" if kind in OWNER_KINDS else audience.parts.signature.strip(),
    }
    context |= _extras(payload, audience, wording)
    if start and end and payload.get("appointment_id"):
        context["links"] = _links(kind, payload, audience, start, end, context, key, base_url,
                                  short_code)
        context["event"] = _event(audience, start, end, context)
    return context


def _extras(payload: Json, audience: Audience, wording: Wording) -> Json:
    deadline = _instant(payload, "expires_at")
    refund = payload.get("refund", audience.refund)
    return {
        "previous_when": wording.long(_instant(payload, "previous_start")),
        "deadline": wording.long(deadline),
        "deadline_short": wording.short(deadline),
        "reason": payload.get("reason") or "",
        "fee": wording.money(payload.get("fee")),
        "has_fee": Decimal(payload.get("fee") or 0) > 0,
        "refund": wording.money(refund),
        "has_refund": Decimal(refund or 0) > 0,
        "no_show_fee": wording.money(audience.catalog.business.policies.no_show_fee),
        "card_kept_for": fees.consent(audience.catalog, audience.service_id)
        if audience.service_id else None,
        "card_terms": (fees.consent(audience.catalog, audience.service_id, "saving it")
                       or "") if audience.service_id else "",
        "lead": _lead(payload.get("minutes_before"), payload.get("hours_before")),
        "agenda": [
            {"time": wording.clock(datetime.fromisoformat(item["start"])),
             "service": item["service"], "customer": item["customer"]}
            for item in payload.get("items", [])
        ],
        "day": payload.get("day", ""),
        "error": payload.get("error", ""),
        "failed_kind": payload.get("failed_kind", ""),
        "event_name": payload.get("event", ""),
        "deposit": wording.money(payload.get("amount") or payload.get("deposit")),
        "deposit_at_salon": payload.get("deposit_status") == "pending"
        and payload.get("status") == "confirmed",
    }


def _lead(minutes: int | None, hours: int | None) -> str:
    total = minutes if minutes is not None else (hours or 0) * 60
    if total % 60:
        return f"{total} minutes"
    return "1 hour" if total == 60 else f"{total // 60} hours"


def _links(kind: str, payload: Json, audience: Audience, start: datetime, end: datetime,
           context: Json, key: str, base_url: str, short_code: str | None) -> Json:
    title = f"{context['service']} at {context['business'].name}"
    details = f"{context['service']} with {context['staff']}. {context['policy']}"
    out = {}
    actions = ("reschedule", "cancel", "manage", "confirm", "claim")
    paying = {"pending_payment": ("pay",), "fee_due": ("fee",)}.get(kind, ())
    for action in actions + paying:
        found = links.target(payload, action)
        if found is not None:
            out[action] = links.action_url(base_url, key, found[0], action, found[1])
    out["book"] = links.book_url(base_url, audience.service_id)
    sms_action = links.SMS_ACTIONS.get(kind)
    if sms_action in out:
        out["sms"] = links.short_url(base_url, short_code) if short_code else out[sms_action]
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
