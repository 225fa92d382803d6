"""Domain values to the JSON shapes in `schemas` (money as strings, times as ISO 8601)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduling import formats
from scheduling.availability import Slot
from scheduling.booking.model import Appointment, AuditEntry
from scheduling.booking.values import WaitlistEntry
from scheduling.catalog import Catalog
from scheduling.locations import serving
from scheduling.releases import Release
from scheduling.suggestions import Suggestion

Json = dict[str, Any]


def _id(value: object | None) -> str | None:
    return None if value is None else str(value)


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def appointment(a: Appointment) -> Json:
    cancel = a.cancellation
    return {
        "id": str(a.id), "reference": str(a.id)[:8].upper(), "business_id": str(a.business_id),
        "customer_id": _id(a.customer_id), "service_id": str(a.service_id),
        "staff_id": str(a.staff_id), "location_id": str(a.location_id),
        "start": a.start.isoformat(), "end": a.end.isoformat(), "status": a.status.value,
        "channel": a.channel.value, "price": str(a.price), "seats": a.seats, "notes": a.notes,
        "created_at": a.created_at.isoformat(), "updated_at": a.updated_at.isoformat(),
        "checked_in_at": _when(a.checked_in_at), "rescheduled_from": _id(a.rescheduled_from),
        "rescheduled_to": _id(a.rescheduled_to),
        "payment": {"required": a.payment.required, "amount": str(a.payment.amount),
                    "status": a.payment.status.value},
        "cancellation": None if cancel is None else {
            "by": cancel.by.value, "reason": cancel.reason, "fee": str(cancel.fee),
            "refund": str(cancel.refund)},
        "contact": None if a.contact is None else {
            "name": a.contact.name, "phone": a.contact.phone, "email": a.contact.email},
    }


def business(catalog: Catalog) -> Json:
    b = catalog.business
    return {"id": str(b.id), "name": b.name, "time_zone": b.time_zone,
            "currency": b.policies.currency,
            "contact": {"phone": b.contact.phone, "email": b.contact.email,
                        "website": b.contact.website},
            "locations": [{"id": str(loc.id), "name": loc.name, "address": loc.address,
                           "time_zone": loc.time_zone} for loc in b.locations]}


def services(catalog: Catalog) -> Json:
    """Each service with the locations it can be booked at (offered, and someone there does
    it), so a client asks for a location only among those; `deposit` is the amount asked of
    the customers `deposit_for` names (a percentage worked out on the price)."""
    step = formats.minor_unit(catalog.business.policies.currency)
    return {"items": [{
        "id": str(s.id), "name": s.name, "category": s.category,
        "duration_minutes": int(s.duration.total_seconds() // 60), "price": str(s.price),
        "deposit": str(s.deposit.amount(s.price, step)),
        "deposit_for": s.deposit.applies_to.value, "card_required": s.card_required,
        "capacity": s.capacity,
        "location_ids": [str(loc.id) for loc in serving(catalog, s)]}
        for s in catalog.services]}


def staff(catalog: Catalog) -> Json:
    return {"items": [{"id": str(m.id), "name": m.name, "skills": sorted(m.skills),
                       "languages": sorted(m.languages),
                       "location_ids": [str(loc.id) for loc in catalog.business.locations
                                        if loc.id in m.location_ids]} for m in catalog.staff]}


def slot(s: Slot) -> Json:
    return {"start": s.start.isoformat(), "end": s.end.isoformat(),
            "service_id": str(s.service_id), "location_id": str(s.location_id),
            "staff_ids": [str(i) for i in s.staff_ids], "seats_left": s.seats_left}


def release(found: Release, opens_at: datetime, message: str) -> Json:
    return {"opens_at": opens_at.isoformat(), "first_day": found.first_day.isoformat(),
            "last_day": found.last_day.isoformat(), "message": message}


def suggestion(s: Suggestion) -> Json:
    return {"slot": slot(s.slot), "staff_id": str(s.staff_id), "score": s.score,
            "reasons": [{"code": r.code.value, "text": r.text} for r in s.reasons]}


def audit(entry: AuditEntry) -> Json:
    return {"at": entry.at.isoformat(), "actor": entry.actor.value,
            "from_status": entry.from_status, "to_status": entry.to_status,
            "reason": entry.reason}


def waitlist_entry(e: WaitlistEntry) -> Json:
    return {"id": str(e.id), "customer_id": str(e.customer_id), "service_id": str(e.service_id),
            "staff_id": _id(e.staff_id), "status": e.status, "created_at": e.created_at.isoformat(),
            "windows": [{"start": lo.isoformat(), "end": hi.isoformat()} for lo, hi in e.windows]}
