"""Every SMS that carries a link fits one GSM-7 segment (160 characters) for the demo salon
at a realistic public address: the short link (`/a/<code>`) is what makes that possible."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from assistant.notifications.audience import Audience, Person
from assistant.notifications.render import GSM7, Renderer
from scheduling.demo import demo_catalog
from scheduling.persistence.short_links import new_code

PUBLIC_URL = "https://book.example-salon.com"
SEGMENT = 160
CATALOG = demo_catalog()
START = datetime(2027, 9, 29, 12, 45, tzinfo=ZoneInfo("America/New_York"))
"""The longest a short time reads in English: "Wed, Sep 29, 12:45 PM"."""
SERVICE = max(CATALOG.services, key=lambda s: len(s.name))
STAFF = max(CATALOG.staff, key=lambda s: len(s.name))
KINDS: dict[str, dict[str, Any]] = {
    "confirmation": {},
    "reminder": {"minutes_before": 1440},
    "reschedule": {"previous_start": (START - timedelta(days=1)).isoformat()},
    "cancellation": {"by": "owner", "fee": "0", "offer_new_times": True},  # owner_change
    "waitlist_offer": {"offer_id": str(uuid4()),
                       "expires_at": (START - timedelta(hours=20)).isoformat()},
    "no_show": {"fee": "40"},
    "pending_payment": {"deposit_status": "card_pending"},  # the link to add a card
}


def sms(kind: str, zone: str) -> str:
    person = Person("Maya", "maya@example.com", "+17185550199", "en", zone, True, True)
    audience = Audience(CATALOG, person, CATALOG.business.policies.cancellation,
                        service_id=SERVICE.id)
    payload = {"appointment_id": str(uuid4()), "business_id": str(CATALOG.business.id),
               "customer_id": str(uuid4()), "service": SERVICE.name, "staff": STAFF.name,
               "start": START.isoformat(), "end": (START + SERVICE.duration).isoformat(),
               "location_type": "in_person", "address": "120 Main Street"} | KINDS[kind]
    rendered = Renderer("key", PUBLIC_URL).render(kind, payload, audience,
                                                  START - timedelta(days=2), new_code())
    assert rendered.sms is not None
    return rendered.sms


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_sms_with_a_link_fits_one_segment(kind: str, zone: str) -> None:
    """In the salon's zone, and in another one (the time then names its zone)."""
    text = sms(kind, zone)
    assert len(text) <= SEGMENT, f"{len(text)}: {text}"
    assert set(text) <= GSM7
    assert "Shear Delight Salon" in text
    expected = f"{PUBLIC_URL}/book/{SERVICE.id}" if kind == "no_show" else f"{PUBLIC_URL}/a/"
    assert expected in text
