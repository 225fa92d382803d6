"""The business's own words reach its customers: a signature under every e-mail to them, what
to bring and (for a visit in person) address and parking notes on the messages that get them
to the appointment; a business that wrote none gets the messages as before, no empty lines."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from assistant.notifications.audience import Audience, Person
from assistant.notifications.render import Rendered, Renderer
from scheduling.demo import demo_catalog
from scheduling.desk.setup.values import MessageParts

CATALOG = demo_catalog()
SERVICE = CATALOG.services[0]
START = datetime(2027, 9, 29, 12, 45, tzinfo=ZoneInfo("America/New_York"))
PARTS = MessageParts(signature="See you soon,\nThe Shear Delight team",
                     what_to_bring="Your loyalty card.",
                     address_notes="Enter through the courtyard, second door.",
                     parking_notes="Free parking behind the bakery.")
APPOINTMENT, CUSTOMER = uuid4(), uuid4()


def render(kind: str, parts: MessageParts, location_type: str = "in_person") -> Rendered:
    person = Person("Maya", "maya@example.com", "+17185550199", "en", "America/New_York",
                    True, True)
    audience = Audience(CATALOG, person, CATALOG.business.policies.cancellation,
                        service_id=SERVICE.id, parts=parts)
    payload = {"appointment_id": str(APPOINTMENT), "business_id": str(CATALOG.business.id),
               "customer_id": str(CUSTOMER), "service": SERVICE.name, "staff": "Ana",
               "start": START.isoformat(), "end": (START + SERVICE.duration).isoformat(),
               "location_type": location_type, "address": "120 Main Street",
               "minutes_before": 1440, "previous_start": START.isoformat(),
               "by": "customer", "fee": "0"}
    return Renderer("key", "https://book.example.com").render(kind, payload, audience,
                                                              START - timedelta(days=2))


@pytest.mark.parametrize("kind", ["confirmation", "reminder", "reschedule"])
def test_the_notes_and_signature_are_in_both_bodies(kind: str) -> None:
    rendered = render(kind, PARTS)
    for body in (rendered.text, rendered.html):
        assert "What to bring: Your loyalty card." in body
        assert "Finding us: Enter through the courtyard, second door." in body
        assert "Parking: Free parking behind the bakery." in body
        assert "The Shear Delight team" in body
    assert "\n\nSee you soon,\nThe Shear Delight team\n\n--\n" in rendered.text
    assert "See you soon,<br>The Shear Delight team" in rendered.html
    assert rendered.text.index("Where: 120 Main Street\nWhat to bring") > 0


def test_the_sms_stays_as_it_was() -> None:
    """The confirmation SMS is already one segment full: the notes go by e-mail only."""
    assert render("confirmation", PARTS).sms == render("confirmation", MessageParts()).sms


def test_an_online_visit_gets_no_directions() -> None:
    rendered = render("confirmation", PARTS, "virtual")
    assert "What to bring" in rendered.text
    assert "Parking" not in rendered.text and "Finding us" not in rendered.text


def test_a_cancellation_is_signed_but_has_no_notes() -> None:
    rendered = render("cancellation", PARTS)
    assert "The Shear Delight team" in rendered.text
    assert "What to bring" not in rendered.text and "Parking" not in rendered.html


def test_without_parts_the_e_mail_is_as_before() -> None:
    """No label without its note, no blank line where a signature would be."""
    rendered = render("confirmation", MessageParts(what_to_bring="  "))
    assert "What to bring" not in rendered.text and "Parking" not in rendered.html
    assert "Where: 120 Main Street\nReschedule:" in rendered.text
    assert "$25.\n\n--\n" in rendered.text and "\n\n\n" not in rendered.text
    assert "<br>" not in rendered.html


def test_html_escapes_the_business_words() -> None:
    rendered = render("confirmation", MessageParts(signature="<b>Ana</b> & co",
                                                   parking_notes="<script>x</script>"))
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; co" in rendered.html
    assert "<script>" not in rendered.html
