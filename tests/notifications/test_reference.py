"""The reference a customer quotes to the front desk (the first eight characters of the
appointment's id, upper-case, as the chat and the API say it) is in every e-mail about an
appointment, text and HTML, so the desk can find the booking by it (/admin/appointments?q=)."""

from __future__ import annotations

import pytest

from assistant.notifications.render import Renderer
from tests.booking.booking_builders import NOW, ny
from tests.notifications.conftest import BASE_URL, SECRET
from tests.notifications.messages import audience, payload

RENDERER = Renderer(SECRET, BASE_URL)


@pytest.mark.parametrize("kind", ["confirmation", "reminder", "reschedule", "cancellation"])
def test_messages_about_an_appointment_carry_its_reference(kind: str) -> None:
    data = payload(ny(3, 15, 10), minutes_before=60, by="owner", reason="")
    reference = data["appointment_id"][:8].upper()
    rendered = RENDERER.render(kind, data, audience(), NOW)
    assert f"Ref:   {reference}\nWhat:" in rendered.text
    assert f"<th align=\"left\">Reference</th><td>{reference}</td>" in rendered.html


def test_a_message_about_no_appointment_has_no_reference_line() -> None:
    items = [{"start": ny(3, 15, 9).isoformat(), "service": "Cut", "customer": "C9"}]
    agenda = RENDERER.render("daily_agenda", {"business_id": "x", "day": "Monday 15 March",
                                              "items": items}, audience(), NOW)
    assert "Ref:" not in agenda.text and "Reference" not in agenda.html
