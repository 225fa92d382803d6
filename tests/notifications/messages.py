"""In-memory audiences and payloads for rendering tests: no database needed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from assistant.notifications.audience import Audience, Person
from scheduling.catalog import CancellationPolicy
from tests.notifications.conftest import mailable_salon

SALON = mailable_salon()


def payload(start: datetime, minutes: int = 45, **extra: Any) -> dict[str, Any]:
    end = start + timedelta(minutes=minutes)
    return {
        "appointment_id": str(uuid4()), "business_id": str(SALON.id),
        "customer_id": str(SALON.customers[1].id), "service": "Cut", "staff": "Ana",
        "start": start.isoformat(), "end": end.isoformat(),
        "customer_time_zone": "Europe/London", "location_type": "in_person",
        "address": "1 Main St", "meeting_link": None, "status": "confirmed", "seats": 1,
    } | extra


def audience(zone: str = "Europe/London", chain: UUID | None = None, sequence: int = 0,
             **person: Any) -> Audience:
    who = Person(person.pop("name", "Maya"), person.pop("email", "maya@example.com"),
                 person.pop("phone", "+447700900123"), "en", zone, True, True)
    return Audience(SALON.catalog, who, CancellationPolicy(24, SALON.catalog.business.policies
                                                          .cancellation.late_cancel_fee),
                    chain, sequence)
