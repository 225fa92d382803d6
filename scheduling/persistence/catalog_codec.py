"""The JSON forms of the catalog's nested values, as stored in the JSONB columns.

Money travels as strings ("25.00") so no float ever touches it; dates as ISO strings.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from scheduling.catalog import (
    BusinessPolicies,
    CancellationPolicy,
    Contact,
    CustomerPreferences,
    NotificationPreferences,
    TimeOfDay,
)
from scheduling.hours import Closure, DateOverride, spans

Json = dict[str, Any]


def closures_json(closures: tuple[Closure, ...]) -> list[Json]:
    return [
        {"first_day": str(c.first_day), "last_day": str(c.last_day), "reason": c.reason}
        for c in closures
    ]


def closures_of(data: list[Json]) -> tuple[Closure, ...]:
    return tuple(
        Closure(date.fromisoformat(c["first_day"]), date.fromisoformat(c["last_day"]), c["reason"])
        for c in data
    )


def overrides_json(overrides: tuple[DateOverride, ...]) -> list[Json]:
    return [{"day": o.day.isoformat(), "spans": [str(s) for s in o.spans]} for o in overrides]


def overrides_of(data: list[Json]) -> tuple[DateOverride, ...]:
    return tuple(DateOverride(date.fromisoformat(o["day"]), spans(*o["spans"])) for o in data)


def cancellation_json(policy: CancellationPolicy) -> Json:
    return {"free_hours": policy.free_cancellation_hours, "late_fee": str(policy.late_cancel_fee)}


def cancellation_of(data: Json) -> CancellationPolicy:
    return CancellationPolicy(data["free_hours"], Decimal(data["late_fee"]))


def contact_json(contact: Contact) -> Json:
    return {"phone": contact.phone, "email": contact.email, "website": contact.website}


def contact_of(data: Json) -> Contact:
    return Contact(data.get("phone"), data.get("email"), data.get("website"))


def policies_json(policies: BusinessPolicies) -> Json:
    return {
        "cancellation": cancellation_json(policies.cancellation),
        "currency": policies.currency,
        "no_show_fee": str(policies.no_show_fee),
    }


def policies_of(data: Json) -> BusinessPolicies:
    return BusinessPolicies(
        cancellation_of(data["cancellation"]), data["currency"], Decimal(data["no_show_fee"])
    )


def notifications_json(value: NotificationPreferences) -> Json:
    return {"sms": value.sms, "email": value.email, "reminder_hours": list(value.reminder_hours)}


def notifications_of(data: Json | None) -> NotificationPreferences:
    """Missing keys read as the defaults: the column may hold `{}` (older rows, imports)."""
    data = notifications_json(NotificationPreferences()) | (data or {})
    return NotificationPreferences(data["sms"], data["email"], tuple(data["reminder_hours"]))


def preferences_json(value: CustomerPreferences) -> Json:
    return {
        "weekdays": sorted(value.weekdays),
        "times_of_day": sorted(part.value for part in value.times_of_day),
        "staff_ids": sorted(str(staff_id) for staff_id in value.staff_ids),
        "language": value.language,
    }


def preferences_of(data: Json | None) -> CustomerPreferences:
    """Missing keys read as the defaults, as `notifications_of`."""
    data = preferences_json(CustomerPreferences()) | (data or {})
    return CustomerPreferences(
        weekdays=frozenset(data["weekdays"]),
        times_of_day=frozenset(TimeOfDay(part) for part in data["times_of_day"]),
        staff_ids=frozenset(UUID(staff_id) for staff_id in data["staff_ids"]),
        language=data["language"],
    )
